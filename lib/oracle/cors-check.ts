/**
 * Fetch §4.10 "CORS check", run on the preflight's answer and on the actual response: Access-Control-Allow-Origin
 * must be `*` (only without credentials) or byte-equal to the request's serialised origin, and with credentials
 * Access-Control-Allow-Credentials must be exactly `true`.
 */
import type { HeaderPairs } from './http.ts';
import { getHeader, headerLines, show } from './http.ts';
import { SOURCE } from './sources.ts';
import type { OracleStep, Stage } from './steps.ts';
import { step } from './steps.ts';
import type { CredentialsMode } from './types.ts';

export interface CorsCheckResult {
  readonly ok: boolean;
  readonly steps: readonly OracleStep[];
}

/** Why an Allow-Origin value that is not the origin fails, in the words a server developer needs. */
function mismatchReason(value: string, origin: string, lines: number, tainted: boolean): string {
  const header = `Access-Control-Allow-Origin ${show(value)}`;
  if (lines > 1) return `the response has ${lines} Access-Control-Allow-Origin lines, which combine into ${show(value)}: the header must be sent once, with one value`;
  if (value.includes(',')) return `${header} is a list: the header holds exactly one origin, "null" or "*"`;
  if (tainted && origin === 'null') return `a redirect tainted the request's origin, so it serialises as "null" and only "null" (or "*" without credentials) matches, not ${show(value)}`;
  if (value === 'null') return `${header} matches only a request from an opaque origin (a sandboxed frame, a data: URL), and this request's origin is ${show(origin)}`;
  if (origin === 'null') return `the request comes from an opaque origin, serialised "null", so only "null" (or "*" without credentials) matches, not ${show(value)}`;
  if (value.includes('*')) return `${header} is not the wildcard: only a lone "*" is, and it is not a pattern`;
  if (value.toLowerCase() === origin.toLowerCase()) return `${header} differs from the request's origin ${show(origin)} only in case, and origins are compared byte for byte`;
  if (value.startsWith(`${origin}/`)) return `${header} has a path: a serialised origin is scheme://host[:port] with no trailing "/", so it is not ${show(origin)}`;
  try {
    if (new URL(value).origin === origin) return `${header} spells ${show(origin)} differently (a serialised origin leaves out the default port and anything after the host), and the comparison is byte for byte`;
  } catch {
    // Not a URL at all: the generic message below says enough.
  }
  return `${header} is not the request's origin ${show(origin)}`;
}

/** `tainted`: the origin is "null" because a redirect tainted it (Fetch §2.2.5), not because the document's origin is opaque. */
export function corsCheck(stage: Stage, headers: HeaderPairs, origin: string, credentials: CredentialsMode, tainted = false): CorsCheckResult {
  const src = SOURCE.corsCheck;
  const value = getHeader(headers, 'Access-Control-Allow-Origin');
  if (value === null) {
    return { ok: false, steps: [step(stage, 'allow-origin-missing', 'fail', 'no Access-Control-Allow-Origin header, so the response is not shared with any other origin', src)] };
  }
  const include = credentials === 'include';
  if (value === '*' && !include) {
    return { ok: true, steps: [step(stage, 'allow-origin-wildcard', 'pass', `Access-Control-Allow-Origin is "*" and the credentials mode is "${credentials}", not "include", so any origin matches`, src)] };
  }
  if (value === '*') {
    return {
      ok: false,
      steps: [step(stage, 'allow-origin-wildcard-with-credentials', 'fail', `Access-Control-Allow-Origin "*" never matches a request whose credentials mode is "include"; the server must name the origin ${show(origin)} and send Access-Control-Allow-Credentials: true`, src)],
    };
  }
  if (value !== origin) {
    const lines = headerLines(headers, 'Access-Control-Allow-Origin').length;
    return { ok: false, steps: [step(stage, 'allow-origin-mismatch', 'fail', mismatchReason(value, origin, lines, tainted), src)] };
  }
  const matched = step(stage, 'allow-origin-match', 'pass', `Access-Control-Allow-Origin ${show(value)} is byte for byte the request's origin`, src);
  if (!include) return { ok: true, steps: [matched] };
  const allowCredentials = getHeader(headers, 'Access-Control-Allow-Credentials');
  if (allowCredentials === 'true') {
    return { ok: true, steps: [matched, step(stage, 'allow-credentials-true', 'pass', 'Access-Control-Allow-Credentials is "true", as a request with credentials mode "include" needs', src)] };
  }
  if (allowCredentials === null) {
    return { ok: false, steps: [matched, step(stage, 'allow-credentials-missing', 'fail', 'no Access-Control-Allow-Credentials header, and a request with credentials mode "include" needs it to be exactly "true"', src)] };
  }
  return {
    ok: false,
    steps: [matched, step(stage, 'allow-credentials-not-true', 'fail', `Access-Control-Allow-Credentials ${show(allowCredentials)} is not exactly "true" (the value is case-sensitive and must be sent once)`, src)],
  };
}
