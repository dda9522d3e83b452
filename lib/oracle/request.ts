/**
 * What fetch() makes of the script's arguments before any CORS step (Fetch §5.4 Request class, §5.1 Headers class):
 * the method is normalised, headers a script may not set are dropped silently, a string body adds its
 * Content-Type, and arguments fetch() would throw on are reported as input errors naming the field.
 */
import { OracleInputError } from './errors.ts';
import type { HeaderPair, HeaderPairs } from './http.ts';
import { containsHeader, getHeader, headerValueProblem, isToken, normalizeHeaderValue, show } from './http.ts';
import { isSameOrigin, parseRequestUrl, parseSerializedOrigin } from './origin.ts';
import { forbiddenRequestHeader, isCorsSafelistedMethod, isForbiddenMethod, noCorsDropReason, normalizeMethod } from './safelist.ts';
import { SOURCE } from './sources.ts';
import type { OracleStep } from './steps.ts';
import { step } from './steps.ts';
import type { BodyKind, CredentialsMode, OracleRequest, OracleResponse, PreparedRequest, RedirectMode, RequestMode } from './types.ts';

const CREDENTIALS: readonly CredentialsMode[] = ['omit', 'same-origin', 'include'];
const MODES: readonly RequestMode[] = ['cors', 'no-cors', 'same-origin'];
const BODY_KINDS: readonly BodyKind[] = ['none', 'text', 'stream'];
const REDIRECT_MODES: readonly RedirectMode[] = ['follow', 'error', 'manual'];
/** Fetch §5.4: the Content-Type a string body brings with it. */
export const TEXT_BODY_CONTENT_TYPE = 'text/plain;charset=UTF-8';

function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new OracleInputError(field, `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
}

/** Validates header lines and normalises their values; `who` says what would reject a bad line. */
export function normaliseHeaderPairs(field: string, pairs: unknown, who: string): HeaderPair[] {
  if (!Array.isArray(pairs)) throw new OracleInputError(field, 'must be a list of [name, value] pairs');
  return pairs.map((pair: unknown, index): HeaderPair => {
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') {
      throw new OracleInputError(`${field}[${index}]`, 'must be a [name, value] pair of strings');
    }
    const [name, rawValue] = pair as [string, string];
    if (!isToken(name)) throw new OracleInputError(field, `${show(name)} is not a header name: it must be an HTTP token (RFC 9110 §5.6.2)${who}`);
    const value = normalizeHeaderValue(rawValue);
    const problem = headerValueProblem(value);
    if (problem !== undefined) throw new OracleInputError(field, `the value of ${name} ${problem}${who}`);
    return [name, value];
  });
}

function checkStatus(field: string, status: unknown): number {
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
    throw new OracleInputError(`${field}.status`, 'must be an HTTP status code, a whole number from 100 to 599');
  }
  return status;
}

/** The server's answer with its values normalised, as a header list received from the network holds them. */
export function prepareResponse(field: string, response: OracleResponse): OracleResponse {
  return { status: checkStatus(field, response.status), headers: normaliseHeaderPairs(`${field}.headers`, response.headers, '') };
}

export interface Prepared {
  readonly request: PreparedRequest;
  readonly steps: readonly OracleStep[];
}

export function prepareRequest(input: OracleRequest): Prepared {
  const steps: OracleStep[] = [];
  const origin = parseSerializedOrigin(String(input.origin));
  if (!origin.ok) throw new OracleInputError('request.origin', origin.why);
  const url = parseRequestUrl(String(input.url));
  if (!url.ok) throw new OracleInputError('request.url', url.why);
  const credentials = oneOf('request.credentials', input.credentials, CREDENTIALS);
  const mode = oneOf('request.mode', input.mode, MODES);
  const bodyKind = oneOf('request.bodyKind', input.bodyKind ?? 'none', BODY_KINDS);
  const redirect = oneOf('request.redirect', input.redirect ?? 'follow', REDIRECT_MODES);

  if (typeof input.method !== 'string' || !isToken(input.method)) {
    throw new OracleInputError('request.method', 'must be an HTTP token such as "GET" or "PATCH" (RFC 9110 §9.1); fetch() throws a TypeError otherwise');
  }
  if (isForbiddenMethod(input.method)) {
    throw new OracleInputError('request.method', `${show(input.method)} is a forbidden method: fetch() throws a TypeError and sends nothing (${SOURCE.methods})`);
  }
  const method = normalizeMethod(input.method);
  if (method !== input.method) {
    steps.push(step('request', 'method-normalised', 'note', `fetch() normalises the method ${show(input.method)} to ${show(method)}`, SOURCE.methods));
  } else if (method !== method.toUpperCase()) {
    steps.push(step('request', 'method-as-written', 'note', `${show(method)} is not one of DELETE, GET, HEAD, OPTIONS, POST, PUT, so fetch() sends it exactly as written, not upper-cased`, SOURCE.methods));
  }

  const sameOrigin = isSameOrigin(origin.origin, url.origin);
  if (mode === 'same-origin' && !sameOrigin) {
    throw new OracleInputError('request.mode', `"same-origin" refuses the cross-origin URL ${show(url.url)}: fetch() fails with a network error before anything is sent, so there is no CORS outcome to explain (${SOURCE.mainFetch})`);
  }
  if (mode === 'no-cors' && !sameOrigin && redirect !== 'follow') {
    throw new OracleInputError('request.redirect', `${show(redirect)} in mode "no-cors" refuses the cross-origin URL ${show(url.url)}: fetch() fails with a network error before anything is sent, so there is no CORS outcome to explain (${SOURCE.mainFetch}; ${SOURCE.redirectModeWpt})`);
  }
  if (mode === 'no-cors' && !isCorsSafelistedMethod(method)) {
    throw new OracleInputError('request.method', `${show(method)} is not a CORS-safelisted method, and in mode "no-cors" the Request constructor throws a TypeError for it (${SOURCE.requestClass})`);
  }
  if (bodyKind !== 'none' && (method === 'GET' || method === 'HEAD')) {
    throw new OracleInputError('request.bodyKind', `a ${method} request cannot have a body: the Request constructor throws a TypeError (${SOURCE.requestClass})`);
  }
  if (bodyKind === 'stream' && mode === 'no-cors') {
    throw new OracleInputError('request.bodyKind', `a ReadableStream body needs mode "cors" or "same-origin": the Request constructor throws a TypeError in mode "no-cors" (${SOURCE.requestClass})`);
  }

  const who = '; fetch() throws a TypeError for it';
  const headers: HeaderPair[] = [];
  for (const [name, value] of normaliseHeaderPairs('request.headers', input.headers, who)) {
    const forbidden = forbiddenRequestHeader(name, value);
    if (forbidden !== undefined) {
      steps.push(step('request', 'forbidden-request-header-dropped', 'note', `${forbidden}: the browser drops it silently and it is never sent`, SOURCE.headersClass));
      continue;
    }
    if (mode === 'no-cors') {
      const kept = getHeader(headers, name);
      const dropped = noCorsDropReason(name, kept === null ? value : `${kept}, ${value}`);
      if (dropped !== undefined) {
        steps.push(step('request', 'no-cors-header-dropped', 'note', `in mode "no-cors" the browser drops ${name}: ${dropped}`, SOURCE.headersClass));
        continue;
      }
    }
    headers.push([name, value]);
  }
  if (bodyKind === 'text' && !containsHeader(headers, 'Content-Type')) {
    headers.push(['Content-Type', TEXT_BODY_CONTENT_TYPE]);
    steps.push(step('request', 'text-body-content-type', 'note', `a string body adds Content-Type: ${TEXT_BODY_CONTENT_TYPE}, since the script set none`, SOURCE.requestClass));
  }

  const request: PreparedRequest = {
    origin: origin.origin,
    url: url.url,
    urlOrigin: url.origin,
    method,
    headers: headers satisfies HeaderPairs,
    credentials,
    mode,
    bodyKind,
    redirect,
    useCorsPreflight: bodyKind === 'stream',
  };
  return { request, steps };
}
