import { ENGINE_NAMES } from '../oracle/vocabulary.ts';
import type { Verdict } from '../oracle/vocabulary.ts';
import type { Expectation, RequestRow } from './scenario.ts';

const VERDICT_WORDS: Readonly<Record<Verdict, string>> = {
  allowed: 'allowed',
  'blocked-before-sending': 'blocked before sending',
  'blocked-at-preflight': 'blocked at preflight',
  'blocked-at-response': 'blocked at response',
  'harness-error': 'harness error',
};

export function verdictWords(verdict: Verdict): string {
  return VERDICT_WORDS[verdict];
}

function headerPart(headers: Readonly<Record<string, string>>): string {
  const names = Object.entries(headers).map(([name, value]) => (name.toLowerCase() === 'content-type' ? `${name}: ${value}` : name));
  return names.length ? ` [${names.join(', ')}]` : '';
}

function expectationPart(expect: Expectation): string {
  const deviations = ENGINE_NAMES.flatMap((engine) => {
    const verdict = expect.engines?.[engine]?.verdict;
    return verdict && verdict !== expect.verdict ? [`${engine}: ${verdictWords(verdict)}`] : [];
  });
  return verdictWords(expect.verdict) + (deviations.length ? ` (${deviations.join('; ')})` : '');
}

/** A test title that reads like the row: `PUT [X-Custom] from page to cross-site, server allows PUT only → blocked at preflight`. */
export function caseTitle(row: {
  readonly request: RequestRow;
  readonly from: string;
  readonly to: string;
  readonly server: string;
  readonly expect: Expectation;
}): string {
  const { request } = row;
  const credentials = request.credentials ? ` credentials=${request.credentials}` : '';
  const mode = request.mode && request.mode !== 'cors' ? ` mode=${request.mode}` : '';
  const redirect = request.redirect && request.redirect !== 'follow' ? ` redirect=${request.redirect}` : '';
  const kind = request.kind && request.kind !== 'fetch' ? `${request.kind} ` : '';
  return `${kind}${request.method}${headerPart(request.headers ?? {})}${credentials}${mode}${redirect} from ${row.from} to ${row.to}, ${row.server} → ${expectationPart(row.expect)}`;
}
