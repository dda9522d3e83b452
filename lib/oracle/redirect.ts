/**
 * Fetch §4.4 HTTP fetch (what a redirect status does under each redirect mode) and §4.5 HTTP-redirect fetch (the
 * checks before a redirect is followed, and what following it does to the request), plus the redirect-taint of
 * §2.2.5 that makes a request's origin serialise as "null".
 */
import type { HeaderPairs } from './http.ts';
import { containsHeader, getHeader, sameHeaderName, show } from './http.ts';
import { isSameOrigin } from './origin.ts';
import { isCorsNonWildcardRequestHeaderName } from './safelist.ts';
import { SOURCE } from './sources.ts';
import type { OracleStep } from './steps.ts';
import { step } from './steps.ts';
import type { OracleResponse, PreparedRequest } from './types.ts';

/** Fetch §2.2.3: the redirect statuses. */
export const REDIRECT_STATUSES: readonly number[] = [301, 302, 303, 307, 308];

/** Fetch §4.5: a request's redirect count may reach 20; the 21st redirect is a network error. */
export const MAX_REDIRECTS = 20;

/** Fetch §2.2.2: the request-body-header names, deleted when a redirect turns the method into GET. */
export const REQUEST_BODY_HEADER_NAMES = ['Content-Encoding', 'Content-Language', 'Content-Location', 'Content-Type'] as const;

/** Fetch §4.1 main fetch's response tainting, fixed at the first URL that is not same-origin and kept for the rest of the chain. */
export type Tainting = 'basic' | 'cors' | 'opaque';

/** Fetch §2.2.3: 301, 302, 303, 307 or 308 (not 300 or 304, which are never followed). */
export function isRedirectStatus(status: number): boolean {
  return REDIRECT_STATUSES.includes(status);
}

/**
 * Fetch §2.2.5 "redirect-taint" reduced to what serialising a request origin needs: true when some hop went from a
 * URL that is not same-origin with the request's origin to a URL of yet another origin. From then on the request's
 * origin serialises as "null".
 */
export function isRedirectTainted(requestOrigin: string, urls: readonly string[]): boolean {
  for (let i = 1; i < urls.length; i++) {
    const last = new URL(urls[i - 1] ?? '').origin;
    const next = new URL(urls[i] ?? '').origin;
    if (next !== last && !isSameOrigin(requestOrigin, last)) return true;
  }
  return false;
}

/** What HTTP-redirect fetch makes of a redirect response. */
export type RedirectOutcome =
  /** No Location: the 3xx is the response itself. */
  | { readonly kind: 'final'; readonly steps: readonly OracleStep[] }
  | { readonly kind: 'network-error'; readonly steps: readonly OracleStep[] }
  | { readonly kind: 'follow'; readonly request: PreparedRequest; readonly steps: readonly OracleStep[] };

function dropHeaders(headers: HeaderPairs, drop: (name: string) => boolean): HeaderPairs {
  return headers.filter(([name]) => !drop(name));
}

/**
 * Fetch §4.5 HTTP-redirect fetch for one redirect response, given the request as it stands, the chain's response
 * tainting so far and how many redirects were already followed. Returns the request to send next, the response
 * itself (no Location), or a network error, each with the steps that decided it.
 */
export function followRedirect(request: PreparedRequest, response: OracleResponse, tainting: Tainting, redirectCount: number): RedirectOutcome {
  const src = SOURCE.redirectFetch;
  const location = getHeader(response.headers, 'Location');
  if (location === null) {
    return { kind: 'final', steps: [step('redirect', 'redirect-no-location', 'note', `status ${response.status} without a Location header is not followed: it is the response`, src)] };
  }
  let target: URL;
  try {
    target = new URL(location, request.url);
  } catch {
    return { kind: 'network-error', steps: [step('redirect', 'redirect-location-invalid', 'fail', `Location ${show(location)} does not parse as a URL relative to ${request.url}: a network error`, src)] };
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    return { kind: 'network-error', steps: [step('redirect', 'redirect-location-scheme', 'fail', `Location ${show(location)} is a "${target.protocol}" URL, and a redirect may only lead to http: or https:: a network error`, src)] };
  }
  if (redirectCount >= MAX_REDIRECTS) {
    return {
      kind: 'network-error',
      steps: [step('redirect', 'redirect-limit', 'fail', `this would be redirect number ${redirectCount + 1}, and a fetch follows at most ${MAX_REDIRECTS}: a network error`, src)],
    };
  }
  const includesCredentials = target.username !== '' || target.password !== '';
  if (includesCredentials && request.mode === 'cors' && !isSameOrigin(request.origin, target.origin)) {
    return {
      kind: 'network-error',
      steps: [step('redirect', 'redirect-location-credentials', 'fail', `Location ${show(location)} carries a user name or password and leads to another origin than the request's ${request.origin}, which a request in mode "cors" never follows: a network error`, src)],
    };
  }
  if (includesCredentials && tainting === 'cors') {
    return {
      kind: 'network-error',
      steps: [step('redirect', 'redirect-location-credentials', 'fail', `Location ${show(location)} carries a user name or password, and the response is already CORS-tainted (a cross-origin resource redirecting back): a network error`, src)],
    };
  }
  if (response.status !== 303 && request.bodyKind === 'stream') {
    return {
      kind: 'network-error',
      steps: [step('redirect', 'redirect-stream-body', 'fail', `a ReadableStream body cannot be sent again, so a ${response.status} redirect (which keeps the body; only 303 drops it) is a network error`, src)],
    };
  }

  target.hash = '';
  const steps: OracleStep[] = [];
  let { method, headers, bodyKind } = request;
  const toGet = ((response.status === 301 || response.status === 302) && method === 'POST') || (response.status === 303 && method !== 'GET' && method !== 'HEAD');
  if (toGet) {
    const dropped = REQUEST_BODY_HEADER_NAMES.filter((name) => containsHeader(headers, name));
    const why = response.status === 303 ? `303 turns ${show(method)} into GET` : `${response.status} turns POST into GET`;
    steps.push(step('redirect', 'redirect-method-to-get', 'note', `${why}: the body is dropped${dropped.length > 0 ? `, and with it ${dropped.join(', ')}` : ''}`, src));
    method = 'GET';
    bodyKind = 'none';
    headers = dropHeaders(headers, (name) => REQUEST_BODY_HEADER_NAMES.some((body) => sameHeaderName(body, name)));
  }
  if (new URL(request.url).origin !== target.origin && headers.some(([name]) => isCorsNonWildcardRequestHeaderName(name))) {
    steps.push(step('redirect', 'redirect-authorization-dropped', 'note', `the redirect leads from ${new URL(request.url).origin} to another origin, ${target.origin}, so the browser deletes the Authorization header`, src));
    headers = dropHeaders(headers, isCorsNonWildcardRequestHeaderName);
  }
  steps.unshift(step('redirect', 'redirect-followed', 'note', `${response.status} to ${target.href}: redirect mode "follow" fetches it (redirect ${redirectCount + 1} of at most ${MAX_REDIRECTS})`, src));
  const next: PreparedRequest = {
    ...request,
    url: target.href,
    urlOrigin: target.origin,
    method,
    headers,
    bodyKind,
    useCorsPreflight: bodyKind === 'stream',
  };
  return { kind: 'follow', request: next, steps };
}
