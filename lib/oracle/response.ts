/**
 * The actual response: its CORS check (Fetch §4.10, via main fetch §4.4) and which of its headers the script can
 * read (Fetch §4.1 main fetch computes the CORS-exposed header-name list; §2.2.6 filters the response by it).
 */
import { corsCheck } from './cors-check.ts';
import type { CorsCheckResult } from './cors-check.ts';
import type { HeaderPairs } from './http.ts';
import { extractTokenList, show, showList, sortedLowercaseSet } from './http.ts';
import { isCorsSafelistedResponseHeaderName, isForbiddenResponseHeaderName } from './safelist.ts';
import { SOURCE } from './sources.ts';
import type { OracleStep } from './steps.ts';
import { step } from './steps.ts';
import type { CredentialsMode, OracleResponse, PreparedRequest } from './types.ts';

/** Fetch §4.4 HTTP fetch: a cors-tainted response that fails the CORS check becomes a network error, whatever its status. */
export function checkActualResponse(request: PreparedRequest, response: OracleResponse): CorsCheckResult {
  return corsCheck('response', response.headers, request.origin, request.credentials, request.originTainted === true);
}

/** A 4xx or 5xx that passed the CORS check: the CORS check never looks at the status, so the script reads the error. */
export function errorStatusReadable(response: OracleResponse): OracleStep[] {
  if (response.status < 400) return [];
  return [step('response', 'error-status-readable', 'note', `status ${response.status} is an error status, but the CORS check does not look at the status: the response passed it, so the script reads status ${response.status} and its body`, SOURCE.corsCheck)];
}

export interface ReadableHeaders {
  /** Lower-cased, sorted, deduplicated. */
  readonly names: readonly string[];
  readonly steps: readonly OracleStep[];
}

function present(headers: HeaderPairs): string[] {
  return sortedLowercaseSet(headers.map(([name]) => name));
}

/** A same-origin (basic) response: every header but Set-Cookie and Set-Cookie2. */
export function basicReadableHeaders(headers: HeaderPairs): ReadableHeaders {
  const names = present(headers);
  const forbidden = names.filter(isForbiddenResponseHeaderName);
  const steps = [step('readable headers', 'readable-basic', 'pass', 'a same-origin (basic) response shows the script every header except Set-Cookie and Set-Cookie2', SOURCE.responses)];
  if (forbidden.length > 0) steps.push(step('readable headers', 'hidden-forbidden', 'note', `${showList(forbidden)} ${forbidden.length === 1 ? 'is a forbidden response-header name' : 'are forbidden response-header names'}: no script ever reads ${forbidden.length === 1 ? 'it' : 'them'}`, SOURCE.headers));
  return { names: names.filter((n) => !isForbiddenResponseHeaderName(n)), steps };
}

/** A CORS response: the CORS-safelisted response-header names, plus what Access-Control-Expose-Headers exposes. */
export function corsReadableHeaders(headers: HeaderPairs, credentials: CredentialsMode): ReadableHeaders {
  const stage = 'readable headers';
  const steps: OracleStep[] = [];
  const names = present(headers);
  const expose = extractTokenList(headers, 'Access-Control-Expose-Headers');
  let exposed: readonly string[] = [];
  let all = false;
  if (expose.kind === 'failure') {
    steps.push(step(stage, 'expose-headers-malformed', 'note', `Access-Control-Expose-Headers ${show(expose.value)} is not a list of header names (${show(expose.element)} is not a token), so it exposes nothing`, SOURCE.mainFetch));
  } else if (expose.kind === 'values') {
    if (credentials !== 'include' && expose.values.includes('*')) {
      all = true;
      steps.push(step(stage, 'readable-expose-wildcard', 'pass', `Access-Control-Expose-Headers ${show(expose.value)} holds "*", which exposes every header of a response to a request without credentials`, SOURCE.mainFetch));
    } else {
      exposed = expose.values.map((v) => v.toLowerCase());
      if (expose.values.includes('*')) {
        steps.push(step(stage, 'expose-wildcard-literal', 'note', `with credentials mode "include", "*" in Access-Control-Expose-Headers is not a wildcard: it exposes only a header literally named "*"`, SOURCE.mainFetch));
      }
    }
  }

  const readable: string[] = [];
  const safelisted: string[] = [];
  const byList: string[] = [];
  const hidden: string[] = [];
  const forbidden: string[] = [];
  for (const name of names) {
    if (isForbiddenResponseHeaderName(name)) forbidden.push(name);
    else if (isCorsSafelistedResponseHeaderName(name)) safelisted.push(name);
    else if (all || exposed.includes(name)) byList.push(name);
    else hidden.push(name);
  }
  readable.push(...safelisted, ...byList);
  if (safelisted.length > 0) {
    steps.push(step(stage, 'readable-safelisted', 'pass', `${showList(safelisted)} ${safelisted.length === 1 ? 'is a CORS-safelisted response-header name' : 'are CORS-safelisted response-header names'}, readable without being exposed`, SOURCE.headers));
  }
  if (byList.length > 0 && !all) steps.push(step(stage, 'readable-exposed', 'pass', `${showList(byList)} ${byList.length === 1 ? 'is' : 'are'} exposed by Access-Control-Expose-Headers (names compare case-insensitively)`, SOURCE.mainFetch));
  if (hidden.length > 0) steps.push(step(stage, 'hidden-not-exposed', 'note', `${showList(hidden)} ${hidden.length === 1 ? 'is' : 'are'} hidden: neither safelisted nor exposed`, SOURCE.responses));
  if (forbidden.length > 0) {
    steps.push(step(stage, 'hidden-forbidden', 'note', `${showList(forbidden)} ${forbidden.length === 1 ? 'is a forbidden response-header name' : 'are forbidden response-header names'}: no script ever reads ${forbidden.length === 1 ? 'it' : 'them'}, exposed or not`, SOURCE.headers));
  }
  return { names: sortedLowercaseSet(readable), steps };
}
