/**
 * The oracle: from a request and the server's answers, what a browser following the Fetch Standard does — whether
 * it preflights (and with which Access-Control-Request-* values), whether the request reaches the server, whether
 * the script can read the response and which headers — with the chain of reasons that leads there. A request may be
 * answered by a chain of redirects; each URL of the chain is one hop, fetched by main fetch again (Fetch §4.5).
 */
import { EMPTY_PREFLIGHT_CACHE, clearPreflightCache, describePreflightCache, lookupPreflightCache, storePreflightResult } from './cache.ts';
import { OracleInputError } from './errors.ts';
import { getHeader, show } from './http.ts';
import { isSameOrigin } from './origin.ts';
import { mixedContentCheck } from './mixed-content.ts';
import { departureFrom, type OracleDeviation } from './deviations.ts';
import { checkPreflight, planPreflight } from './preflight.ts';
import type { Tainting } from './redirect.ts';
import { followRedirect, isRedirectStatus, isRedirectTainted } from './redirect.ts';
import { prepareRequest, prepareResponse } from './request.ts';
import { basicReadableHeaders, checkActualResponse, corsReadableHeaders, errorStatusReadable } from './response.ts';
import { SOURCE } from './sources.ts';
import type { OracleStep } from './steps.ts';
import { atHop, formatStep, step } from './steps.ts';
import type { EngineRules, HopPrediction, OracleResponse, PredictInput, Prediction, PreflightCacheState, PreparedRequest, ResponseType } from './types.ts';

/** One URL's answers, with the field path that names them in errors. */
interface Answers {
  readonly field: string;
  readonly preflight: OracleResponse | undefined;
  readonly response: unknown;
  readonly last: boolean;
}

function chainAnswers(input: PredictInput): Answers[] {
  const redirects = input.redirects ?? [];
  if (!Array.isArray(redirects)) throw new OracleInputError('redirects', 'must be a list of { "preflight"?, "response" }, one per URL that answers with a redirect');
  return [
    ...redirects.map((hop, i): Answers => {
      if (hop === null || typeof hop !== 'object') throw new OracleInputError(`redirects[${i}]`, 'must be an object { "preflight"?, "response" }');
      return { field: `redirects[${i}].`, preflight: hop.preflight ?? undefined, response: hop.response, last: false };
    }),
    { field: '', preflight: input.preflight ?? undefined, response: input.response, last: true },
  ];
}

function responseOf(answers: Answers): OracleResponse {
  const field = `${answers.field}response`;
  if (answers.response === undefined || answers.response === null || typeof answers.response !== 'object') {
    throw new OracleInputError(field, 'is required: the actual request reaches the server, so the input must say how the server answers it (status and headers)');
  }
  return prepareResponse(field, answers.response as OracleResponse);
}

function ignoredPreflight(answers: Answers, why: string): OracleStep[] {
  return answers.preflight === undefined ? [] : [step('preflight', 'preflight-input-ignored', 'note', `the input describes a preflight answer${answers.field === '' ? '' : ` (${answers.field}preflight)`}, but ${why}, so it is not used`, SOURCE.mainFetch)];
}

/** Fetch §3.2 "append a request Origin header": what the Origin header of this hop's request holds, if it is sent. */
function originHeader(request: PreparedRequest, serialized: string, tainting: Tainting): string | null {
  if (tainting === 'cors') return serialized;
  if (request.method === 'GET' || request.method === 'HEAD') return null;
  // Outside mode "cors", the default referrer policy (strict-origin-when-cross-origin) hides an https origin from an http URL.
  if (request.mode !== 'cors' && serialized.startsWith('https:') && request.url.startsWith('http:')) return 'null';
  return serialized;
}

interface Sent {
  preflightSent: boolean;
  accessControlRequestMethod?: string;
  accessControlRequestHeaders?: string;
  servedFromPreflightCache: boolean;
}

function hopRecord(request: PreparedRequest, serialized: string, tainting: Tainting, sent: Sent, reached: { readonly reachedServer: boolean; readonly status?: number; readonly followed?: boolean }): HopPrediction {
  return {
    url: request.url,
    method: request.method,
    originHeader: originHeader(request, serialized, tainting),
    tainting,
    preflightSent: sent.preflightSent,
    ...(sent.accessControlRequestMethod !== undefined && { accessControlRequestMethod: sent.accessControlRequestMethod }),
    ...(sent.accessControlRequestHeaders !== undefined && { accessControlRequestHeaders: sent.accessControlRequestHeaders }),
    servedFromPreflightCache: sent.servedFromPreflightCache,
    reachedServer: reached.reachedServer,
    ...(reached.status !== undefined && { status: reached.status }),
    followed: reached.followed ?? false,
  };
}

/**
 * Predicts one fetch, redirects included. Throws {@link OracleInputError} for input that describes no CORS outcome:
 * a request fetch() refuses to make, a malformed field, or an answer the outcome depends on that the input leaves
 * out (a preflight that is sent, or the next URL of a redirect that is followed).
 */
export function predict(input: PredictInput): Prediction {
  const now = input.now ?? 0;
  const cacheBefore = input.cache ?? EMPTY_PREFLIGHT_CACHE;
  const prepared = prepareRequest(input.request);
  const answers = chainAnswers(input);
  const steps: OracleStep[] = [...prepared.steps];
  const hops: HopPrediction[] = [];
  let request = prepared.request;
  let cache: PreflightCacheState = cacheBefore;
  let tainting: Tainting | null = null;
  const urls: string[] = [request.url];
  let preflightPath = false;
  let redirectCount = 0;

  const finish = (verdict: Prediction['verdict'], responseType: ResponseType, readable: { readable: boolean; readableHeaders: readonly string[] }): Prediction => {
    const preflighted = hops.filter((h) => h.preflightSent);
    const lastPreflight = preflighted[preflighted.length - 1];
    const lastHop = hops[hops.length - 1];
    return {
      preflightSent: lastPreflight !== undefined,
      ...(lastPreflight?.accessControlRequestMethod !== undefined && { accessControlRequestMethod: lastPreflight.accessControlRequestMethod }),
      ...(lastPreflight?.accessControlRequestHeaders !== undefined && { accessControlRequestHeaders: lastPreflight.accessControlRequestHeaders }),
      servedFromPreflightCache: hops.some((h) => h.servedFromPreflightCache),
      verdict,
      reachedServer: lastHop?.reachedServer ?? false,
      ...readable,
      reasons: steps.map(formatStep),
      steps,
      cache,
      responseType,
      hops,
      redirectCount,
    };
  };
  const blocked = { readable: false, readableHeaders: [] as readonly string[] };
  /** Remaining answers of the input that the fetch never got to. */
  const ignoreRest = (hop: number, why: string): void => {
    const unused = answers.length - 1 - hop;
    if (unused > 0) steps.push(...atHop(hop, [step('redirect', 'redirect-input-ignored', 'note', `the input describes ${unused} more answer${unused === 1 ? '' : 's'} after this one, but ${why}, so ${unused === 1 ? 'it is' : 'they are'} not used`, SOURCE.redirectFetch)]));
  };
  /** Main fetch clears the preflight cache entries of the request's origin and current URL when a fetch that took the preflight path fails. */
  const clearOnFailure = (hop: number, keyed: PreparedRequest): void => {
    if (!preflightPath) return;
    if (cache.entries.length > 0) steps.push(...atHop(hop, [step('preflight cache', 'cache-cleared', 'note', `the fetch failed, so every cached entry for ${keyed.origin} → ${keyed.url} is cleared`, SOURCE.mainFetch)]));
    cache = clearPreflightCache(cache, keyed);
  };

  for (let hop = 0; ; hop++) {
    const answer = answers[hop];
    if (answer === undefined) throw new Error('oracle: a redirect was followed past the last answer');
    const push = (...more: readonly OracleStep[]): void => {
      steps.push(...atHop(hop, more));
    };
    const tainted = isRedirectTainted(request.origin, urls);
    const serialized = tainted ? 'null' : request.origin;
    // The request as the CORS steps see it: its origin is the serialised request origin, "null" once tainted.
    const keyed: PreparedRequest = { ...request, origin: serialized, ...(tainted && request.origin !== 'null' && { originTainted: true }) };
    const sameOrigin = isSameOrigin(request.origin, request.urlOrigin);

    // Main fetch blocks mixed content before anything is sent: an https page's request to an http URL that is not
    // potentially trustworthy (a loopback URL is, and passes with a step an engine deviation can name).
    const mixed = input.checkMixedContent === true ? mixedContentRule(request.origin, request.url, input.engine) : undefined;
    if (mixed) push(mixed.step);
    if (mixed?.refused) {
      hops.push(hopRecord(request, serialized, tainting ?? (request.mode === 'no-cors' ? 'opaque' : 'cors'), { preflightSent: false, servedFromPreflightCache: false }, { reachedServer: false }));
      ignoreRest(hop, 'the request is blocked as mixed content');
      // A redirect to such a URL: the server answered the hop before, and the redirect is what fails.
      return finish(hop === 0 ? 'blocked-before-sending' : 'blocked-at-response', 'error', blocked);
    }

    // Main fetch picks the path for this URL.
    let path: Tainting;
    if (sameOrigin && (tainting === null || tainting === 'basic')) {
      path = 'basic';
      push(
        step(
          'same origin',
          'same-origin-basic',
          'pass',
          hop === 0
            ? `the URL's origin is the request's origin ${request.origin}, so no CORS step applies: no preflight, and the response is the script's to read`
            : `the redirect stays at the request's origin ${request.origin} and nothing before it left that origin, so no CORS step applies`,
          SOURCE.mainFetch,
        ),
      );
      push(...ignoredPreflight(answer, 'a same-origin request is never preflighted'));
    } else if (request.mode === 'no-cors') {
      path = 'opaque';
      push(step('no-cors', 'no-cors-opaque', 'note', 'mode "no-cors" never preflights and never runs the CORS check: the request reaches the server, and the script gets an opaque response (status 0, no headers, no body). The fetch resolves, so the verdict is "allowed", but nothing is readable', SOURCE.mainFetch));
      push(...ignoredPreflight(answer, 'mode "no-cors" never preflights'));
    } else {
      path = 'cors';
      if (tainting === 'basic') {
        push(step('redirect', 'redirect-to-cors', 'note', `the redirect leaves the request's origin for ${request.urlOrigin}: from here on this is a CORS request, so every response must pass the CORS check, and a preflight is sent where one is needed`, SOURCE.mainFetch));
      }
      if (tainted && !isRedirectTainted(request.origin, urls.slice(0, -1))) {
        push(
          step(
            'redirect',
            'redirect-tainted-origin',
            'note',
            `the chain went from ${new URL(urls[urls.length - 2] ?? '').origin}, another origin than the request's, on to ${request.urlOrigin}: the request's origin is now redirect-tainted and serialises as "null", so the Origin header is "null" and only Access-Control-Allow-Origin "*" (without credentials) or "null" can match`,
            SOURCE.requestOrigin,
          ),
        );
      }
    }
    if (tainting === null || tainting === 'basic') tainting = path;
    const currentTainting: Tainting = tainting;

    // Mode "cors", cross-origin (or tainted): the preflight, when one is needed and the cache does not answer.
    const sent: Sent = { preflightSent: false, servedFromPreflightCache: false };
    if (path === 'cors') {
      const plan = planPreflight(keyed);
      push(...plan.steps);
      if (plan.wanted) {
        preflightPath = true;
        const lookup = lookupPreflightCache(cache, keyed, plan.unsafe.names, now);
        push(...lookup.steps);
        if (!lookup.preflightNeeded) {
          sent.servedFromPreflightCache = true;
          push(...ignoredPreflight(answer, 'the preflight cache answers for it'));
        } else {
          const acrh = plan.accessControlRequestHeaders === undefined ? '' : ` and Access-Control-Request-Headers: ${plan.accessControlRequestHeaders}`;
          if (answer.preflight === undefined) {
            throw new OracleInputError(
              `${answer.field}preflight`,
              `is required: a preflight is sent${hop === 0 ? '' : ` to ${request.url}`} (OPTIONS with Access-Control-Request-Method: ${plan.accessControlRequestMethod}${acrh}), so the input must say how the server answers it (status and headers)`,
            );
          }
          sent.preflightSent = true;
          sent.accessControlRequestMethod = plan.accessControlRequestMethod;
          if (plan.accessControlRequestHeaders !== undefined) sent.accessControlRequestHeaders = plan.accessControlRequestHeaders;
          push(step('preflight', 'preflight-sent', 'note', `the browser sends OPTIONS${hop === 0 ? '' : ` to ${request.url}`} with Access-Control-Request-Method: ${plan.accessControlRequestMethod}${acrh}${serialized === 'null' && request.origin !== 'null' ? ' and Origin: null' : ''}, without credentials`, SOURCE.preflightFetch));
          const preflightAnswer = prepareResponse(`${answer.field}preflight`, answer.preflight);
          const check = checkPreflight(keyed, plan, preflightAnswer, input.maxAgeCap, input.engine);
          push(...check.steps);
          if (!check.ok) {
            hops.push(hopRecord(request, serialized, currentTainting, sent, { reachedServer: false }));
            clearOnFailure(hop, keyed);
            ignoreRest(hop, 'the preflight failed');
            return finish('blocked-at-preflight', 'error', blocked);
          }
          const seconds = check.maxAge?.seconds ?? 0;
          const storage = input.cacheStorage ?? 'per-entry';
          if (storage === 'one-result-per-url' && describePreflightCache({ entries: cache.entries.filter((e) => e.origin === keyed.origin && e.url === keyed.url) }, now).length > 0) {
            push(step('preflight cache', 'cache-replaced', 'note', `in the "one-result-per-url" model of Chromium and WebKit (not the standard's), this answer replaces everything cached for ${keyed.origin} → ${keyed.url}: methods and headers an earlier preflight allowed there are forgotten`, SOURCE.preflightCache));
          }
          cache = storePreflightResult(cache, keyed, { methods: check.methods, headerNames: check.headerNames }, seconds, now, storage);
          push(
            seconds > 0
              ? step('preflight cache', 'cache-stored', 'note', `stores the allowed ${check.methods.length > 0 ? `methods ${check.methods.map((m) => show(m)).join(', ')}` : 'methods (none)'} and header names ${check.headerNames.length > 0 ? check.headerNames.map((h) => show(h)).join(', ') : '(none)'} for ${seconds} seconds`, SOURCE.preflightFetch)
              : step('preflight cache', 'cache-not-stored', 'note', 'nothing is cached, so the next such request is preflighted again', SOURCE.preflightFetch),
          );
        }
      } else {
        push(...ignoredPreflight(answer, 'no preflight is sent'));
      }
    }

    // The request itself, and the CORS check of whatever comes back (a redirect too).
    const response = responseOf(answer);
    if (path === 'cors') {
      const check = checkActualResponse(keyed, response);
      push(...check.steps);
      if (!check.ok) {
        hops.push(hopRecord(request, serialized, currentTainting, sent, { reachedServer: true, status: response.status }));
        clearOnFailure(hop, keyed);
        push(...errorStatusMasked(response));
        const what = isRedirectStatus(response.status)
          ? `the redirect (status ${response.status}) is a response to a CORS request, so it must pass the CORS check before it is followed; it fails, so the browser returns a network error`
          : `the request reached the server (status ${response.status}), but the browser turns the response into a network error`;
        push(step('readable headers', 'readable-blocked', 'note', `${what}: the script sees a TypeError and nothing of the response`, SOURCE.httpFetch));
        ignoreRest(hop, 'the fetch failed here');
        return finish('blocked-at-response', 'error', blocked);
      }
    }

    if (isRedirectStatus(response.status)) {
      if (request.redirect === 'error') {
        hops.push(hopRecord(request, serialized, currentTainting, sent, { reachedServer: true, status: response.status }));
        push(step('redirect', 'redirect-mode-error', 'fail', `status ${response.status} is a redirect, and redirect mode "error" turns any redirect into a network error: the script sees a TypeError`, SOURCE.httpFetch));
        clearOnFailure(hop, keyed);
        ignoreRest(hop, 'redirect mode "error" stops here');
        return finish('blocked-at-response', 'error', blocked);
      }
      if (request.redirect === 'manual') {
        hops.push(hopRecord(request, serialized, currentTainting, sent, { reachedServer: true, status: response.status }));
        push(
          step(
            'redirect',
            'redirect-mode-manual',
            'note',
            `status ${response.status} is a redirect, and redirect mode "manual" does not follow it: the script gets an opaque-redirect response (type "opaqueredirect", status 0, no headers, no Location). The fetch resolves, so the verdict is "allowed", but nothing is readable`,
            SOURCE.httpFetch,
          ),
        );
        ignoreRest(hop, 'redirect mode "manual" stops here');
        return finish('allowed', 'opaqueredirect', blocked);
      }
      const outcome = followRedirect(request, response, currentTainting, redirectCount);
      if (outcome.kind === 'network-error') {
        hops.push(hopRecord(request, serialized, currentTainting, sent, { reachedServer: true, status: response.status }));
        push(...outcome.steps);
        clearOnFailure(hop, keyed);
        ignoreRest(hop, 'the redirect is not followed');
        return finish('blocked-at-response', 'error', blocked);
      }
      if (outcome.kind === 'follow' && request.mode === 'same-origin' && !isSameOrigin(request.origin, outcome.request.urlOrigin)) {
        // prepareRequest refused a cross-origin first URL in this mode; main fetch refuses a cross-origin redirect target the same way.
        hops.push(hopRecord(request, serialized, currentTainting, sent, { reachedServer: true, status: response.status }));
        push(step('redirect', 'redirect-same-origin-mode', 'fail', `${response.status} to ${outcome.request.url}, another origin than ${request.origin}, and mode "same-origin" refuses it: a network error`, SOURCE.mainFetch));
        clearOnFailure(hop, keyed);
        ignoreRest(hop, 'mode "same-origin" stops here');
        return finish('blocked-at-response', 'error', blocked);
      }
      if (outcome.kind === 'follow') {
        if (answer.last) {
          throw new OracleInputError(
            `${answer.field}response.status`,
            `${response.status} with a Location header is a redirect, which fetch() follows (redirect mode "follow") to ${outcome.request.url}: put this answer in "redirects" and give that URL's answer as "response" (or leave out Location for a final 3xx)`,
          );
        }
        hops.push(hopRecord(request, serialized, currentTainting, sent, { reachedServer: true, status: response.status, followed: true }));
        push(...outcome.steps);
        redirectCount += 1;
        request = outcome.request;
        urls.push(request.url);
        continue;
      }
      push(...outcome.steps);
    }

    // The final response.
    hops.push(hopRecord(request, serialized, currentTainting, sent, { reachedServer: true, status: response.status }));
    ignoreRest(hop, `this response (status ${response.status}) is not a redirect that is followed`);
    if (path === 'basic') {
      const readable = basicReadableHeaders(response.headers);
      push(...readable.steps);
      return finish('allowed', 'basic', { readable: true, readableHeaders: readable.names });
    }
    if (path === 'opaque') {
      push(step('readable headers', 'readable-opaque', 'note', 'an opaque response shows no headers', SOURCE.responses));
      return finish('allowed', 'opaque', blocked);
    }
    push(...errorStatusReadable(response));
    const readable = corsReadableHeaders(response.headers, request.credentials);
    push(...readable.steps);
    return finish('allowed', 'cors', { readable: true, readableHeaders: readable.names });
  }
}

/** A 4xx or 5xx that fails the CORS check: the script sees a CORS error, never the server's error. */
function errorStatusMasked(response: OracleResponse): OracleStep[] {
  if (response.status < 400) return [];
  const noCors = getHeader(response.headers, 'Access-Control-Allow-Origin') === null;
  const text = noCors
    ? `the server answered ${response.status}, and its error response carries no CORS headers (error handlers often answer before or without the CORS middleware): the script sees only a CORS error, so a CORS error masks a server error`
    : `the server answered ${response.status}, but its error response does not pass the CORS check: the script sees only a CORS error, never the ${response.status}`;
  return [step('response', 'error-status-masked', 'note', text, SOURCE.httpFetch)];
}

/** Main fetch's mixed-content step for one request, as one engine takes it. */
export interface MixedContentRule {
  readonly step: OracleStep;
  /** Whether the request is refused before it is sent. */
  readonly refused: boolean;
  /** The engine's declared departure that refuses a URL the standard sends (WebKit and loopback), if one does. */
  readonly departure?: OracleDeviation;
}

/**
 * Main fetch's mixed-content step (Fetch §4.1) for a request from a document of origin `origin` to `url`, with the
 * engine's own rule where it departs from the standard (an engine that refuses a potentially trustworthy loopback URL
 * too): undefined where the check does not apply. `predict` takes this step; so does an intent's expectation.
 */
export function mixedContentRule(origin: string, url: string, engine?: EngineRules): MixedContentRule | undefined {
  const mixed = mixedContentCheck(origin, url);
  if (mixed.kind === 'none') return undefined;
  const departure = mixed.kind === 'trustworthy' ? departureFrom(engine, mixed.step.stage, mixed.step.rule) : undefined;
  if (departure) return { step: engineRefusal(mixed.step, departure), refused: true, departure };
  return { step: mixed.step, refused: mixed.kind === 'blocked' };
}

/** The engine's own rule at a step the standard passes: it refuses the request, which is never sent. */
function engineRefusal(standard: OracleStep, departure: OracleDeviation): OracleStep {
  return { ...standard, outcome: 'fail', text: `${standard.text.replace(/, so the request is sent$/, '')}; ${departure.engine} departs from the standard here and refuses it before it is sent (a declared engine departure), so the script sees a TypeError`, engineDeparture: departure.engine };
}
