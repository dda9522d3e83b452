/**
 * Input the oracle cannot answer: not a CORS outcome but a request fetch() would refuse to make, or a description
 * that lacks what the answer depends on (such as the server's answer to a preflight that is sent).
 */
export class OracleInputError extends Error {
  constructor(
    /** Path of the offending field, e.g. `request.origin`. */
    readonly field: string,
    /** The rule it breaks, e.g. `must be a serialised origin like "https://app.example" or "null"`. */
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = 'OracleInputError';
  }
}
