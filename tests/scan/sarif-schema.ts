import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import AjvDraft04 from 'ajv-draft-04';

// The SARIF 2.1.0 JSON schema as published (sarif-2.1.0-rtm.5.json, shipped by the @microsoft/jest-sarif package; a
// draft-04 schema, hence ajv-draft-04). Its language-tag pattern is not valid as a unicode RegExp, so RegExps are
// compiled without the u flag; its uri formats are not checked here (the tests parse the URIs with URL instead).
const schemaFile = createRequire(import.meta.url).resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as object;
// A CommonJS module: its class is the default export's `default` under NodeNext's typing.
const Ajv = AjvDraft04.default;

export const validateSarif = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false, validateFormats: false, logger: false }).compile(schema);

/** The schema's complaints, one a line, or '' when the log is valid SARIF 2.1.0. */
export function sarifProblems(log: unknown): string {
  return validateSarif(log) ? '' : (validateSarif.errors ?? []).map((e: { instancePath: string; message?: string }) => `${e.instancePath || '/'} ${e.message ?? ''}`).join('\n');
}
