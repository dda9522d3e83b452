/**
 * Header changes a diagnosis may suggest, as pure transforms of a recorded answer. Each is scoped to the request's
 * origin where it touches Access-Control-Allow-Origin, so applying it to an attacker's record shows whether it opens
 * a hole.
 */
import type { HeaderLine } from '../model/policy.ts';
import { headerList, withoutHeaders } from '../model/headers.ts';

export interface AnswerLines {
  readonly status: number;
  readonly headers: readonly HeaderLine[];
}

/** Who the answer is for, as the fix needs to know it. */
export interface FixTarget {
  readonly requestOrigin: string;
  /** Origins the intent lets read (measured: the origins whose requests were meant to be allowed). */
  readonly intendedOrigins: ReadonlySet<string>;
  readonly credentials: boolean;
  /** The request's method and non-safelisted header names, as the preflight asked for them. */
  readonly method: string;
  readonly requestHeaders: readonly string[];
  /** The path the request was for: a fix may be scoped to a route. */
  readonly route?: string;
}

export type FixStage = 'preflight' | 'response';

/** A value to take out of a list header: everywhere, or on one route. */
export interface ListDrop {
  readonly value: string;
  readonly route?: string;
}

export type HeaderFix =
  /** Send the CORS headers an allowed origin gets (Allow-Origin echoed after an exact match, Allow-Credentials, Vary). */
  | { readonly kind: 'allow-intended-origin'; readonly stages: readonly FixStage[] }
  /** Send no Access-Control-Allow-Origin (nor Allow-Credentials) to origins outside the intent. */
  | { readonly kind: 'refuse-outsider'; readonly stages: readonly FixStage[] }
  /** Add a value to a comma-separated list header (Allow-Headers, Allow-Methods), replacing a `*` that does not cover it. */
  | { readonly kind: 'add-to-list'; readonly stage: FixStage; readonly header: string; readonly value: string }
  /**
   * Remove values from a list header (headers or methods the intent does not need), each on every route or on one
   * route only (DELETE is an extra on /todos but intended on /todos/1). A `*` gives way to what the request needs.
   */
  | { readonly kind: 'remove-from-list'; readonly stage: FixStage; readonly header: string; readonly drop: readonly ListDrop[] }
  /** Answer the preflight 204 with the preflight headers, for an allowed origin (it got an error status). */
  | { readonly kind: 'answer-preflight' }
  /** Add Origin to Vary where Allow-Origin depends on the request's Origin. */
  | { readonly kind: 'vary-origin' };

const ACAO = 'access-control-allow-origin';
const ACAC = 'access-control-allow-credentials';

const without = withoutHeaders;
const listValues = headerList;

function withVaryOrigin(headers: readonly HeaderLine[]): HeaderLine[] {
  const vary = listValues(headers, 'Vary');
  if (vary.some((v) => v.toLowerCase() === 'origin' || v === '*')) return [...headers];
  return [...without(headers, 'Vary'), { name: 'Vary', value: [...vary, 'Origin'].join(', ') }];
}

/** The answer with the fix applied, as the server would send it to this request. */
export function applyFix(fix: HeaderFix, stage: FixStage, answer: AnswerLines, target: FixTarget): AnswerLines {
  const { headers } = answer;
  switch (fix.kind) {
    case 'allow-intended-origin': {
      if (!fix.stages.includes(stage) || !target.intendedOrigins.has(target.requestOrigin)) return answer;
      const lines = [...without(headers, ACAO, ACAC), { name: 'Access-Control-Allow-Origin', value: target.requestOrigin }];
      if (target.credentials) lines.push({ name: 'Access-Control-Allow-Credentials', value: 'true' });
      return { ...answer, headers: withVaryOrigin(lines) };
    }
    case 'refuse-outsider':
      if (!fix.stages.includes(stage) || target.intendedOrigins.has(target.requestOrigin)) return answer;
      return { ...answer, headers: without(headers, ACAO, ACAC) };
    case 'add-to-list': {
      if (stage !== fix.stage) return answer;
      const values = listValues(headers, fix.header).filter((v) => v !== '*');
      if (values.some((v) => v.toLowerCase() === fix.value.toLowerCase())) return answer;
      return { ...answer, headers: [...without(headers, fix.header), { name: fix.header, value: [...values, fix.value].join(', ') }] };
    }
    case 'remove-from-list': {
      if (stage !== fix.stage) return answer;
      const drop = new Set(fix.drop.filter((d) => d.route === undefined || d.route === target.route).map((d) => d.value.toLowerCase()));
      const listed = listValues(headers, fix.header);
      const values = listed.filter((v) => !drop.has(v.toLowerCase()) && v !== '*');
      // Listing only what the intent needs: where a `*` stood, the request's own method or headers are named instead.
      if (listed.includes('*')) {
        const needs = fix.header.toLowerCase() === 'access-control-allow-methods' ? [target.method] : target.requestHeaders;
        for (const need of needs) if (!drop.has(need.toLowerCase()) && !values.some((v) => v.toLowerCase() === need.toLowerCase())) values.push(need);
      }
      return { ...answer, headers: [...without(headers, fix.header), ...(values.length ? [{ name: fix.header, value: values.join(', ') }] : [])] };
    }
    case 'answer-preflight': {
      if (stage !== 'preflight' || !target.intendedOrigins.has(target.requestOrigin)) return answer;
      const lines = [...without(headers, ACAO, ACAC, 'access-control-allow-methods', 'access-control-allow-headers'), { name: 'Access-Control-Allow-Origin', value: target.requestOrigin }];
      if (target.credentials) lines.push({ name: 'Access-Control-Allow-Credentials', value: 'true' });
      lines.push({ name: 'Access-Control-Allow-Methods', value: target.method });
      if (target.requestHeaders.length) lines.push({ name: 'Access-Control-Allow-Headers', value: target.requestHeaders.join(', ') });
      return { status: 204, headers: withVaryOrigin(lines) };
    }
    case 'vary-origin':
      return stage === 'response' ? { ...answer, headers: withVaryOrigin(headers) } : answer;
  }
}

/** `DELETE on /todos, PUT on /todos/1`; a value dropped on several routes names them together. */
function describeDrops(drops: readonly ListDrop[]): string {
  const routesOf = new Map<string, string[]>();
  for (const d of drops) routesOf.set(d.value, [...(routesOf.get(d.value) ?? []), ...(d.route === undefined ? [] : [d.route])]);
  return [...routesOf].map(([value, routes]) => (routes.length ? `${value} on ${routes.join(', ')}` : value)).join('; ');
}

/** The fix in the words of a response-header change, for people. */
export function describeFix(
  fix: HeaderFix,
  example: { readonly origin?: string; readonly origins?: readonly string[]; readonly credentials?: boolean; readonly method?: string; readonly requestHeaders?: readonly string[] },
): string {
  const on = (stages: readonly FixStage[]) => stages.map((s) => (s === 'preflight' ? 'the preflight (OPTIONS) answer' : 'the response')).join(' and ');
  switch (fix.kind) {
    case 'allow-intended-origin':
      return `on ${on(fix.stages)}, for an allowed origin: Access-Control-Allow-Origin: ${example.origin ?? '<the request Origin, after an exact match>'}${example.credentials ? ' + Access-Control-Allow-Credentials: true' : ''} + Vary: Origin — on every status, errors and redirects included`;
    case 'refuse-outsider':
      return `on ${on(fix.stages)}: no Access-Control-Allow-Origin (and no Access-Control-Allow-Credentials) unless the Origin equals an allowed origin exactly — compare whole origins${example.origins?.length ? ` against the list (${example.origins.join(', ')})` : ''}, never a prefix, suffix or unanchored pattern`;
    case 'add-to-list':
      return `on ${fix.stage === 'preflight' ? 'the preflight (OPTIONS) answer' : 'the response'}: add ${fix.value} to ${fix.header}${fix.header.toLowerCase() === 'access-control-allow-headers' && fix.value.toLowerCase() === 'authorization' ? ' (a "*" does not cover Authorization)' : ''}`;
    case 'remove-from-list':
      return `on ${fix.stage === 'preflight' ? 'the preflight (OPTIONS) answer' : 'the response'}: list only what the intent needs in ${fix.header} — drop ${describeDrops(fix.drop)}${fix.header.toLowerCase() === 'access-control-allow-headers' ? ' (and do not echo Access-Control-Request-Headers)' : ''}`;
    case 'answer-preflight':
      return `answer OPTIONS on this route with 204 + Access-Control-Allow-Origin: ${example.origin ?? '<the allowed origin>'}${example.credentials ? ' + Access-Control-Allow-Credentials: true' : ''} + Access-Control-Allow-Methods: ${example.method ?? '<the method>'}${example.requestHeaders?.length ? ` + Access-Control-Allow-Headers: ${example.requestHeaders.join(', ')}` : ''} + Vary: Origin, before any routing, auth or error handling`;
    case 'vary-origin':
      return 'on the response: add Vary: Origin wherever Access-Control-Allow-Origin depends on the request Origin, so shared caches keep one answer per origin';
  }
}
