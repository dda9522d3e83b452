/**
 * Fetch §4.1 main fetch (whether a cross-origin cors-mode request takes the preflight path) and §4.8 CORS-preflight
 * fetch (what the preflight carries, and the checks its answer must pass).
 */
import { corsCheck } from './cors-check.ts';
import type { MaxAge } from './cache.ts';
import { parseMaxAge } from './cache.ts';
import { containsHeader, extractTokenList, show, showList } from './http.ts';
import type { UnsafeHeaderNames } from './safelist.ts';
import { corsUnsafeRequestHeaderNames, isCorsSafelistedMethod } from './safelist.ts';
import { SOURCE } from './sources.ts';
import type { OracleStep } from './steps.ts';
import { step } from './steps.ts';
import type { EngineRules, OracleResponse, PreparedRequest } from './types.ts';
import { departureFrom } from './deviations.ts';

export interface PreflightPlan {
  /** Main fetch takes the preflight path (the cache may still spare the preflight itself). */
  readonly wanted: boolean;
  readonly unsafe: UnsafeHeaderNames;
  /** What Access-Control-Request-Method would carry: the method as sent. */
  readonly accessControlRequestMethod: string;
  /** What Access-Control-Request-Headers would carry: the CORS-unsafe names joined with "," (no space), if any. */
  readonly accessControlRequestHeaders?: string;
  readonly steps: readonly OracleStep[];
}

function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}

/** Fetch §4.1: a preflight is wanted for the use-CORS-preflight flag, a method that is not safelisted, or any CORS-unsafe header. */
export function planPreflight(request: PreparedRequest): PreflightPlan {
  const unsafe = corsUnsafeRequestHeaderNames(request.headers);
  const methodSafe = isCorsSafelistedMethod(request.method);
  const wanted = !methodSafe || request.useCorsPreflight || unsafe.names.length > 0;
  const steps: OracleStep[] = [];
  if (!wanted) {
    const headers = unsafe.safelisted.length === 0 ? 'the request sets no headers' : `every header is CORS-safelisted (${unsafe.safelisted.join(', ')})`;
    steps.push(step('no preflight', 'no-preflight-needed', 'pass', `${request.method} is a CORS-safelisted method and ${headers}`, SOURCE.headers));
  } else {
    if (!methodSafe) steps.push(step('preflight', 'preflight-needed', 'note', `${show(request.method)} is not a CORS-safelisted method (GET, HEAD, POST), so a preflight is needed`, SOURCE.methods));
    if (request.useCorsPreflight) steps.push(step('preflight', 'preflight-needed', 'note', 'a ReadableStream body sets the use-CORS-preflight flag, so a preflight is needed whatever the method and headers', SOURCE.requests));
    for (const { name, why } of unsafe.because) steps.push(step('preflight', 'preflight-needed', 'note', `${show(name)} is not a CORS-safelisted request-header: ${why}`, SOURCE.headers));
  }
  return {
    wanted,
    unsafe,
    accessControlRequestMethod: request.method,
    ...(unsafe.names.length > 0 && { accessControlRequestHeaders: unsafe.names.join(',') }),
    steps,
  };
}

export interface PreflightCheck {
  readonly ok: boolean;
  readonly steps: readonly OracleStep[];
  /** What the answer allows, for the cache (only when ok). */
  readonly methods: readonly string[];
  readonly headerNames: readonly string[];
  readonly maxAge?: MaxAge;
}

function failed(steps: OracleStep[]): PreflightCheck {
  return { ok: false, steps, methods: [], headerNames: [] };
}

function preflightStatusWhy(status: number): string {
  if (status >= 300 && status <= 399) return '; a preflight never follows a redirect, so the 3xx itself fails it';
  if (status >= 400) return `; the ${status} is often the server's router or auth layer answering OPTIONS before any CORS code runs`;
  return '';
}

/** Fetch §4.8 step 7: the answer to the preflight, checked for the actual request it stands for. */
export function checkPreflight(request: PreparedRequest, plan: PreflightPlan, answer: OracleResponse, maxAgeCap?: number, engine?: EngineRules): PreflightCheck {
  const src = SOURCE.preflightFetch;
  const include = request.credentials === 'include';
  const cors = corsCheck('preflight', answer.headers, request.origin, request.credentials, request.originTainted === true);
  const statusOk = answer.status >= 200 && answer.status <= 299;
  const statusStep = statusOk
    ? step('preflight', 'preflight-status-ok', 'pass', `status ${answer.status} is an ok status (200-299)`, src)
    : step('preflight', 'preflight-status-not-ok', 'fail', `status ${answer.status} is not an ok status (200-299): a preflight must get an ok status (2xx)${preflightStatusWhy(answer.status)}`, src);
  const steps: OracleStep[] = [...cors.steps, statusStep];
  if (!cors.ok || !statusOk) return failed(steps);

  const methodList = extractTokenList(answer.headers, 'Access-Control-Allow-Methods');
  const headerList = extractTokenList(answer.headers, 'Access-Control-Allow-Headers');
  if (methodList.kind === 'failure') {
    steps.push(step('preflight', 'allow-methods-malformed', 'fail', `Access-Control-Allow-Methods ${show(methodList.value)} is not a comma-separated list of methods: ${show(methodList.element)} is not a token`, src));
    return failed(steps);
  }
  if (headerList.kind === 'failure') {
    steps.push(step('preflight', 'allow-headers-malformed', 'fail', `Access-Control-Allow-Headers ${show(headerList.value)} is not a comma-separated list of header names: ${show(headerList.element)} is not a token`, src));
    return failed(steps);
  }

  // Methods: an exact (case-sensitive) entry, a safelisted method, or `*` without credentials.
  const method = request.method;
  const methodsShown = methodList.kind === 'values' ? `Access-Control-Allow-Methods ${show(methodList.value)}` : '';
  let methods: readonly string[] = methodList.kind === 'values' ? methodList.values : [];
  if (methodList.kind === 'absent' && request.useCorsPreflight) {
    methods = [method];
    steps.push(step('preflight', 'method-listed', 'pass', `no Access-Control-Allow-Methods, and for a preflight sent for the use-CORS-preflight flag the method ${show(method)} itself counts as allowed`, src));
  } else if (methods.includes(method)) {
    steps.push(step('preflight', 'method-listed', 'pass', `${methodsShown} lists ${show(method)}`, src));
  } else if (isCorsSafelistedMethod(method)) {
    steps.push(step('preflight', 'method-safelisted', 'pass', `${show(method)} is a CORS-safelisted method, so it needs no Access-Control-Allow-Methods entry`, src));
  } else if (!include && methods.includes('*')) {
    steps.push(step('preflight', 'method-wildcard', 'pass', `${methodsShown} holds "*", a wildcard for a request without credentials, so it allows ${show(method)}`, src));
  } else {
    const nearMiss = methods.find((m) => m.toLowerCase() === method.toLowerCase());
    let why: string;
    if (methodList.kind === 'absent') why = `no Access-Control-Allow-Methods, so ${show(method)}, which is not CORS-safelisted, is not allowed`;
    else if (methods.length === 0) why = `${methodsShown} is an empty list (valid, but it allows only the CORS-safelisted methods), so ${show(method)} is not allowed`;
    else if (nearMiss !== undefined) {
      why = `${methodsShown} does not list ${show(method)}: ${show(nearMiss)} differs in case and methods are compared case-sensitively${method === method.toUpperCase() ? '' : `; fetch() sends ${show(method)} as written`}`;
    } else if (include && methods.includes('*')) {
      why = `${methodsShown} does not list ${show(method)}: "*" is not a wildcard when the credentials mode is "include" (it names a method literally called "*")`;
    } else why = `${methodsShown} does not list ${show(method)}`;
    steps.push(step('preflight', 'method-not-allowed', 'fail', why, src));
    return failed(steps);
  }

  // Authorization is never covered by `*`, with or without credentials.
  const headerNames = headerList.kind === 'values' ? headerList.values : [];
  const lists = (name: string): boolean => headerNames.some((h) => h.toLowerCase() === name.toLowerCase());
  const headersShown = headerList.kind === 'values' ? `Access-Control-Allow-Headers ${show(headerList.value)}` : 'no Access-Control-Allow-Headers, and it';
  if (containsHeader(request.headers, 'Authorization') && !lists('authorization')) {
    const rule = headerNames.includes('*') ? 'authorization-not-covered-by-wildcard' : 'authorization-not-listed';
    const departure = rule === 'authorization-not-covered-by-wildcard' && !include ? departureFrom(engine, 'preflight', rule) : undefined;
    if (departure === undefined) {
      steps.push(step('preflight', rule, 'fail', `${headersShown} does not list "authorization" (a wildcard never covers Authorization)`, src));
      return failed(steps);
    }
    // The engine's own rule at this step: "*" (without credentials) covers Authorization too, so it joins the wildcard's names below.
    steps.push({ ...step('preflight', rule, 'pass', `${headersShown} does not list "authorization"; the standard says a wildcard never covers Authorization, but ${departure.engine} lets "*" cover it (a declared engine departure)`, src), engineDeparture: departure.engine });
  }

  // Every CORS-unsafe header name: listed (case-insensitively), or `*` without credentials.
  const wildcard = !include && headerNames.includes('*');
  const missing = plan.unsafe.names.filter((name) => !lists(name) && !wildcard);
  if (missing.length > 0) {
    let why: string;
    if (headerList.kind === 'absent') why = `no Access-Control-Allow-Headers, so ${showList(missing)} ${plural(missing.length, 'is', 'are')} not allowed`;
    else if (headerNames.length === 0) why = `${headersShown} is an empty list, so ${showList(missing)} ${plural(missing.length, 'is', 'are')} not allowed`;
    else if (include && headerNames.includes('*')) {
      why = `${headersShown} does not list ${showList(missing)}: "*" is not a wildcard when the credentials mode is "include" (it names a header literally called "*")`;
    } else why = `${headersShown} does not list ${showList(missing)}`;
    steps.push(step('preflight', 'header-not-allowed', 'fail', why, src));
    return failed(steps);
  }
  if (plan.unsafe.names.length > 0) {
    const listed = plan.unsafe.names.filter(lists);
    const byWildcard = plan.unsafe.names.filter((n) => !lists(n));
    const parts = [
      ...(listed.length > 0 ? [`lists ${showList(listed)} (names compare case-insensitively)`] : []),
      ...(byWildcard.length > 0 ? [`covers ${showList(byWildcard)} with "*", a wildcard for a request without credentials`] : []),
    ];
    steps.push(step('preflight', 'headers-allowed', 'pass', `Access-Control-Allow-Headers ${show(headerList.kind === 'values' ? headerList.value : '')} ${parts.join(' and ')}`, src));
  }

  const maxAge = engineMaxAge(parseMaxAge(answer.headers, maxAgeCap), engine);
  steps.push(maxAge.step);
  return { ok: true, steps, methods, headerNames, maxAge };
}

/** The max-age as the engine takes it: an engine that departs from the unparseable-value rule caches nothing (Firefox). */
function engineMaxAge(standard: MaxAge, engine: EngineRules | undefined): MaxAge {
  const departure = standard.step.rule === 'max-age-unparseable' ? departureFrom(engine, 'preflight', 'max-age-unparseable') : undefined;
  if (departure === undefined) return standard;
  const text = `${standard.step.text.replace(/, so the default .*$/, '')}: the standard caches the answer for the default ${standard.seconds} seconds, but ${departure.engine} departs from it here and does not cache it at all (a declared engine departure)`;
  return { seconds: 0, step: { ...standard.step, text, engineDeparture: departure.engine } };
}
