/**
 * The oracle: from a request and the server's answers, what a browser following the Fetch Standard does — whether
 * it preflights (and with which Access-Control-Request-* values), whether the request reaches the server, whether
 * the script can read the response and which headers — with the chain of reasons that leads there.
 */
import { EMPTY_PREFLIGHT_CACHE, clearPreflightCache, lookupPreflightCache, storePreflightResult } from './cache.ts';
import { OracleInputError } from './errors.ts';
import { getHeader, show } from './http.ts';
import { checkPreflight, planPreflight } from './preflight.ts';
import { prepareRequest, prepareResponse } from './request.ts';
import { basicReadableHeaders, checkActualResponse, corsReadableHeaders } from './response.ts';
import { SOURCE } from './sources.ts';
import type { OracleStep } from './steps.ts';
import { formatStep, step } from './steps.ts';
import type { OracleResponse, PredictInput, Prediction } from './types.ts';
import { isSameOrigin } from './origin.ts';

const REDIRECT_STATUSES = [301, 302, 303, 307, 308];

/** A prediction before its steps are written out as reasons. */
type Outcome = Omit<Prediction, 'reasons'>;

function finish(outcome: Outcome): Prediction {
  return { ...outcome, reasons: outcome.steps.map(formatStep) };
}

function actualResponse(input: PredictInput): OracleResponse {
  if (input.response === undefined || input.response === null || typeof input.response !== 'object') {
    throw new OracleInputError('response', 'is required: the actual request reaches the server, so the input must say how the server answers it (status and headers)');
  }
  const response = prepareResponse('response', input.response);
  if (REDIRECT_STATUSES.includes(response.status) && getHeader(response.headers, 'Location') !== null) {
    throw new OracleInputError('response.status', `${response.status} with a Location header is a redirect, which fetch() would follow; the oracle does not model redirects, so describe the final response (or leave out Location)`);
  }
  return response;
}

function ignoredPreflight(input: PredictInput, why: string): OracleStep[] {
  return input.preflight === undefined ? [] : [step('preflight', 'preflight-input-ignored', 'note', `the input describes a preflight answer, but ${why}, so it is not used`, SOURCE.mainFetch)];
}

/**
 * Predicts one fetch. Throws {@link OracleInputError} for input that describes no CORS outcome: a request fetch()
 * refuses to make, a malformed field, or a preflight that is sent but whose answer the input leaves out.
 */
export function predict(input: PredictInput): Prediction {
  const now = input.now ?? 0;
  const cacheBefore = input.cache ?? EMPTY_PREFLIGHT_CACHE;
  const prepared = prepareRequest(input.request);
  const request = prepared.request;
  const steps: OracleStep[] = [...prepared.steps];
  const blocked = { readable: false, readableHeaders: [] as readonly string[] };

  // Main fetch: a same-origin URL is fetched "basic", whatever the mode; nothing of CORS applies.
  if (isSameOrigin(request.origin, request.urlOrigin)) {
    const response = actualResponse(input);
    steps.push(step('same origin', 'same-origin-basic', 'pass', `the URL's origin is the request's origin ${request.origin}, so no CORS step applies: no preflight, and the response is the script's to read`, SOURCE.mainFetch));
    steps.push(...ignoredPreflight(input, 'a same-origin request is never preflighted'));
    const readable = basicReadableHeaders(response.headers);
    steps.push(...readable.steps);
    return finish({ preflightSent: false, servedFromPreflightCache: false, verdict: 'allowed', reachedServer: true, readable: true, readableHeaders: readable.names, steps, cache: cacheBefore });
  }

  // Main fetch, mode "no-cors": sent as is, the response is opaque. (Mode "same-origin" was refused while preparing.)
  if (request.mode === 'no-cors') {
    actualResponse(input);
    steps.push(step('no-cors', 'no-cors-opaque', 'note', 'mode "no-cors" never preflights and never runs the CORS check: the request reaches the server, and the script gets an opaque response (status 0, no headers, no body). The fetch resolves, so the verdict is "allowed", but nothing is readable', SOURCE.mainFetch));
    steps.push(...ignoredPreflight(input, 'mode "no-cors" never preflights'));
    steps.push(step('readable headers', 'readable-opaque', 'note', 'an opaque response shows no headers', SOURCE.responses));
    return finish({ preflightSent: false, servedFromPreflightCache: false, verdict: 'allowed', reachedServer: true, ...blocked, steps, cache: cacheBefore });
  }

  // Mode "cors", cross-origin.
  const plan = planPreflight(request);
  steps.push(...plan.steps);
  let cache = cacheBefore;
  let preflightSent = false;
  let servedFromPreflightCache = false;
  if (plan.wanted) {
    const lookup = lookupPreflightCache(cacheBefore, request, plan.unsafe.names, now);
    steps.push(...lookup.steps);
    if (!lookup.preflightNeeded) {
      servedFromPreflightCache = true;
      steps.push(...ignoredPreflight(input, 'the preflight cache answers for it'));
    } else {
      if (input.preflight === undefined || input.preflight === null) {
        const acrh = plan.accessControlRequestHeaders === undefined ? '' : ` and Access-Control-Request-Headers: ${plan.accessControlRequestHeaders}`;
        throw new OracleInputError(
          'preflight',
          `is required: a preflight is sent (OPTIONS with Access-Control-Request-Method: ${plan.accessControlRequestMethod}${acrh}), so the input must say how the server answers it (status and headers)`,
        );
      }
      preflightSent = true;
      const acrh = plan.accessControlRequestHeaders === undefined ? '' : ` and Access-Control-Request-Headers: ${plan.accessControlRequestHeaders}`;
      steps.push(step('preflight', 'preflight-sent', 'note', `the browser sends OPTIONS with Access-Control-Request-Method: ${plan.accessControlRequestMethod}${acrh}, without credentials`, SOURCE.preflightFetch));
      const answer = prepareResponse('preflight', input.preflight);
      const check = checkPreflight(request, plan, answer, input.maxAgeCap);
      steps.push(...check.steps);
      if (!check.ok) {
        if (cacheBefore.entries.length > 0) steps.push(step('preflight cache', 'cache-cleared', 'note', `the fetch failed, so every cached entry for ${request.origin} → ${request.url} is cleared`, SOURCE.mainFetch));
        return finish({
          preflightSent,
          accessControlRequestMethod: plan.accessControlRequestMethod,
          ...(plan.accessControlRequestHeaders !== undefined && { accessControlRequestHeaders: plan.accessControlRequestHeaders }),
          servedFromPreflightCache,
          verdict: 'blocked-at-preflight',
          reachedServer: false,
          ...blocked,
          steps,
          cache: clearPreflightCache(cacheBefore, request),
        });
      }
      const seconds = check.maxAge?.seconds ?? 0;
      cache = storePreflightResult(cacheBefore, request, { methods: check.methods, headerNames: check.headerNames }, seconds, now);
      steps.push(
        seconds > 0
          ? step('preflight cache', 'cache-stored', 'note', `stores the allowed ${check.methods.length > 0 ? `methods ${check.methods.map((m) => show(m)).join(', ')}` : 'methods (none)'} and header names ${check.headerNames.length > 0 ? check.headerNames.map((h) => show(h)).join(', ') : '(none)'} for ${seconds} seconds`, SOURCE.preflightFetch)
          : step('preflight cache', 'cache-not-stored', 'note', 'nothing is cached, so the next such request is preflighted again', SOURCE.preflightFetch),
      );
    }
  } else {
    steps.push(...ignoredPreflight(input, 'no preflight is sent'));
  }

  const sent = {
    preflightSent,
    ...(preflightSent && { accessControlRequestMethod: plan.accessControlRequestMethod }),
    ...(preflightSent && plan.accessControlRequestHeaders !== undefined && { accessControlRequestHeaders: plan.accessControlRequestHeaders }),
    servedFromPreflightCache,
  };
  const response = actualResponse(input);
  const check = checkActualResponse(request, response);
  steps.push(...check.steps);
  if (!check.ok) {
    if (plan.wanted && cache.entries.length > 0) steps.push(step('preflight cache', 'cache-cleared', 'note', `the fetch failed, so every cached entry for ${request.origin} → ${request.url} is cleared`, SOURCE.mainFetch));
    steps.push(step('readable headers', 'readable-blocked', 'note', `the request reached the server (status ${response.status}), but the browser turns the response into a network error: the script sees a TypeError and nothing of the response`, SOURCE.httpFetch));
    return finish({ ...sent, verdict: 'blocked-at-response', reachedServer: true, ...blocked, steps, cache: plan.wanted ? clearPreflightCache(cache, request) : cache });
  }
  const readable = corsReadableHeaders(response.headers, request.credentials);
  steps.push(...readable.steps);
  return finish({ ...sent, verdict: 'allowed', reachedServer: true, readable: true, readableHeaders: readable.names, steps, cache });
}
