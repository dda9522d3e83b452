// How bad a cause is, worst first: what an outsider can do comes before what the intended traffic cannot.

export const SEVERITIES = [
  /** An outside origin reads with the user's credentials: the session goes along. */
  'outsider-reads-with-credentials',
  /** An outside origin's write reached the handler because the origin check admitted its preflight. */
  'outsider-write-reaches-handler',
  /** An outside origin reads what needs no credentials. */
  'outsider-reads',
  /** Traffic the intent allows is blocked (an error response that hides the real status included). */
  'intended-blocked',
  /** An intended origin gets more than the intent means: a method or a header. */
  'more-than-intended',
  /** Nothing is open or broken today, but a shared cache may serve one origin's answer to another. */
  'cache-hygiene',
  /** The run differs from the expectation in a way no rule explains. */
  'unexplained',
] as const;
export type Severity = (typeof SEVERITIES)[number];

/** 0 for the worst. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export function worstOf(severities: readonly Severity[]): Severity {
  return severities.reduce<Severity>((worst, s) => (severityRank(s) < severityRank(worst) ? s : worst), 'unexplained');
}
