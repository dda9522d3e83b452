import { ENGINE_DEVIATIONS } from './engine-deviations.ts';
import { ENGINE_NAMES } from '../oracle/vocabulary.ts';
import { deviationBecause, deviationsFor, fontFetchMode, linkPreloadEvent, OracleInputError, predict, withCallerStep, type BodyKind, type CredentialsMode, type EngineRules, type HeaderPairs, type OracleStep, type Prediction, type RequestMode } from '../oracle/index.ts';
import { mixedContentRule } from '../oracle/predict.ts';
import { ENGINE_PREFLIGHT_CACHES, EMPTY_SHARED_CACHE, lookupSharedCache, storeSharedCache, type OracleResponse, type PreflightCacheState, type SharedCacheRequest, type SharedCacheState } from '../oracle/index.ts';
import type { EngineName } from '../oracle/vocabulary.ts';
import { casePath } from './case-identity.ts';
import { originMap, serializedOrigin, type HostedOriginName, type OriginMap, type OriginName } from './origins.ts';
import { actualResponseExtras, answerStatus, BODY_CONTENT_TYPES, corsHeaders, hopPath, redirectCorsHeaders, redirectLocation, type Policy, type ResponseBody } from './policy.ts';
import type { EngineDeviation, Expectation, OracleSummary, RequestRow } from './scenario.ts';

export type { OracleSummary } from './scenario.ts';

/** Origins with stand-in ports: the oracle only compares origins, so any distinct ports give the same answer. */
const CANONICAL_ORIGINS: OriginMap = originMap({ primary: 1080, secondary: 1081, tls: 1443, closed: 1089 });

interface CaseInput {
  readonly from: OriginName;
  readonly to: HostedOriginName;
  readonly request: RequestRow;
  readonly policy: Policy;
}

/** Where a case stands on a shared engine state: the preflight cache and the clock of its sequence so far. */
export interface SequenceState {
  readonly cache: PreflightCacheState;
  /** Seconds since the sequence's first step. */
  readonly now: number;
  /** One engine's own cache (its max-age cap and how it stores entries), where the standard leaves that to the engine. */
  readonly engine?: EngineName;
  /** The shared cache in front of the `shared-cache` origin, as the steps before left it (the same for every engine). */
  readonly sharedCache?: SharedCacheState;
}

/** What the shared cache in front of the `shared-cache` origin does with one step, as RFC 9111 lets it (lib/oracle/shared-cache.ts). */
export interface SharedCacheStep {
  /** `cache`: a stored answer is served, and the API never sees the request; `api`: the request goes through to the API. */
  readonly servedFrom: 'cache' | 'api';
  /** The origin (by name where it is one of the harness's) whose request stored the answer served; absent when the API answers. */
  readonly storedFor?: string;
  /** Whether the API's answer is stored for later requests. */
  readonly stored: boolean;
  /** Why, in the words of RFC 9111. */
  readonly why: string;
  /** The cache after this step. */
  readonly state: SharedCacheState;
}

/** A case's prediction, with what the shared cache does for a case through it. */
export type CasePrediction = Prediction & { readonly sharedCache?: SharedCacheStep };

// The headers the policy server adds on its own (Node), which also decide what a script can read.
function serverAddedHeaders(kind: 'preflight' | 'actual', status: number, body: ResponseBody | undefined): HeaderPairs {
  const transport: HeaderPairs = [['Date', new Date(0).toUTCString()], ['Connection', 'keep-alive'], ['Keep-Alive', 'timeout=30']];
  if (kind === 'preflight' || status === 204 || status === 304) return transport;
  return [['Content-Type', BODY_CONTENT_TYPES[body ?? 'text']], ['Content-Length', '40'], ...transport];
}

/**
 * Why the oracle (the Fetch Standard's CORS steps) cannot speak for a case, or undefined when it can: the request is
 * not made under CORS at all, or what decides it is engine policy or a cache outside the Fetch Standard.
 */
export function oracleSilence(input: CaseInput & { readonly sequence?: { readonly step: number } }): string | undefined {
  const kind = input.request.kind ?? 'fetch';
  if (kind === 'websocket') return 'a WebSocket handshake is not a CORS request: the Fetch Standard\'s CORS steps never run, the server alone must check Origin';
  if (kind === 'form') return 'a form submission is a navigation, not a CORS request: no CORS check applies, and which cookies go along is engine cookie policy';
  if (input.from === 'public' || input.from === 'public-granted') return 'Local Network Access is engine policy (a WICG proposal Chromium ships), not part of the Fetch Standard\'s CORS steps';
  // The engine's own (private) cache reuses an answer fresh by max-age; s-maxage is for shared caches only (RFC 9111 §5.2.2.10).
  const cached = Object.entries(input.policy.responseHeaders ?? {}).some(([name, value]) => name.toLowerCase() === 'cache-control' && /(^|[\s,])max-age=[1-9]/.test(value));
  if (cached && (input.sequence?.step ?? 0) > 0) return 'a response the HTTP cache may reuse is decided by the engine\'s HTTP cache (RFC 9111), which the Fetch Standard\'s CORS steps do not model';
  return undefined;
}

/**
 * The request a kind makes, as fetch() would make it (HTML: elements with crossorigin, XHR, EventSource and workers
 * fetch under CORS), with the step of the caller that decided its mode where that is a rule an engine may depart from
 * (a font's).
 */
function asFetch(
  input: CaseInput,
  engine?: EngineRules,
): { origin: OriginName | 'null'; method: string; headers: [string, string][]; credentials: CredentialsMode; mode: RequestMode; bodyKind: BodyKind; callerStep?: OracleStep } {
  const { request } = input;
  const kind = request.kind ?? 'fetch';
  const headers = Object.entries(request.headers ?? {});
  const bodyKind: BodyKind = request.body === undefined ? 'none' : 'text';
  const include = request.credentials === 'include';
  const elementCredentials: CredentialsMode = include ? 'include' : 'same-origin';
  switch (kind) {
    case 'xhr':
      return { origin: input.from, method: request.method, headers, credentials: elementCredentials, mode: 'cors', bodyKind };
    case 'xhr-upload-listener':
      // XHR send(): an upload listener sets use-CORS-preflight, as a ReadableStream body does for fetch().
      return { origin: input.from, method: request.method, headers, credentials: elementCredentials, mode: 'cors', bodyKind: 'stream' };
    case 'event-source':
      return { origin: input.from, method: 'GET', headers: [['Accept', 'text/event-stream']], credentials: elementCredentials, mode: 'cors', bodyKind: 'none' };
    case 'data-worker-fetch':
      // A worker made from a data: URL has an opaque origin, so its requests say `Origin: null`.
      return { origin: 'null', method: request.method, headers, credentials: request.credentials ?? 'same-origin', mode: request.mode ?? 'cors', bodyKind };
    case 'img-canvas':
    case 'script':
    case 'preload':
      return { origin: input.from, method: 'GET', headers: [], credentials: elementCredentials, mode: request.mode === 'no-cors' ? 'no-cors' : 'cors', bodyKind: 'none' };
    case 'font': {
      const font = fontFetchMode(engine);
      return { origin: input.from, method: 'GET', headers: [], credentials: 'same-origin', mode: font.mode, bodyKind: 'none', callerStep: font.step };
    }
    default:
      return { origin: input.from, method: request.method, headers, credentials: request.credentials ?? 'same-origin', mode: request.mode ?? 'cors', bodyKind };
  }
}

/**
 * The oracle's prediction for a case against the policy server, or the reason it cannot give one. The server's answer
 * at each hop depends on the Origin that hop carries (a redirect may taint it to "null"), which the oracle itself
 * predicts: so the answers are rebuilt from the predicted Origin of each hop until they agree.
 */
export function predictCase(input: CaseInput, state?: SequenceState, engine?: EngineName): CasePrediction | OracleInputError {
  let originsByHop: readonly (string | undefined)[] = [];
  const rules = engine && engineRules(engine);
  try {
    for (let round = 0; ; round++) {
      const prediction = predictOnce(input, state, originsByHop, rules);
      const seen = (prediction.hops ?? []).map((h) => h.originHeader ?? undefined);
      const agrees = seen.every((origin, hop) => origin === (originsByHop[hop] ?? requestOriginOf(input)));
      if (agrees || round === 3) return prediction;
      originsByHop = seen;
    }
  } catch (error) {
    if (error instanceof OracleInputError) return error;
    throw error;
  }
}

/** An engine with its declared departures from the standard, as the oracle takes it. */
function engineRules(engine: EngineName): EngineRules {
  return { name: engine, departures: ENGINE_DEVIATIONS.filter((d) => d.engine === engine) };
}

function requestOriginOf(input: CaseInput): string {
  const made = asFetch(input);
  return made.origin === 'null' ? 'null' : serializedOrigin(made.origin, CANONICAL_ORIGINS);
}

/** The name of a harness origin in the oracle's canonical form, for explanations: `page (http://a.localhost)`. */
function originLabel(origin: string | null): string {
  if (origin === null) return 'no Origin';
  const name = (Object.keys(CANONICAL_ORIGINS) as HostedOriginName[]).find((n) => CANONICAL_ORIGINS[n] === origin && n !== 'same-origin');
  return name ?? origin;
}

function withOriginNames(text: string): string {
  return text.replace(/https?:\/\/[a-z0-9.-]+:[0-9]+/g, (origin) => originLabel(origin));
}

/** The shared cache's part in one step: serve what is stored for the URL, or forward to the API and maybe store its answer. */
function sharedCacheStep(state: SharedCacheState, request: SharedCacheRequest, apiResponse: OracleResponse, now: number): SharedCacheStep & { readonly response: OracleResponse } {
  const found = lookupSharedCache(state, request, now);
  if (found.served) {
    return { servedFrom: 'cache', storedFor: originLabel(found.served.storedFor), stored: false, why: withOriginNames(found.why), state, response: found.served.response };
  }
  const kept = storeSharedCache(state, request, apiResponse, now);
  return { servedFrom: 'api', stored: kept.stored, why: withOriginNames(`${found.why}; the API answers, and ${kept.stored ? 'the cache stores it: ' : 'the cache does not store it: '}${kept.why}`), state: kept.state, response: apiResponse };
}

function predictOnce(input: CaseInput, state: SequenceState | undefined, originsByHop: readonly (string | undefined)[], engine: EngineRules | undefined): CasePrediction {
  const made = asFetch(input, engine);
  const requestOrigin = requestOriginOf(input);
  const contextAt = (hop: number) => ({ requestOrigin: hop < originsByHop.length ? originsByHop[hop] : requestOrigin, origins: CANONICAL_ORIGINS });
  const line = (h: { name: string; value: string }) => [h.name, h.value] as const;
  const { policy } = input;
  const preflightStatus = answerStatus(policy, 'preflight');
  const status = answerStatus(policy, 'actual');
  const key = 'case';
  const hops = policy.redirects ?? [];
  const preflightAnswer = (hop: number) => ({ status: preflightStatus, headers: [...corsHeaders(policy, 'preflight', contextAt(hop)).map(line), ...serverAddedHeaders('preflight', preflightStatus, undefined)] });
  const redirects = hops.map((hop, i) => {
    const location = ['Location', redirectLocation(hop, hopPath(casePath(key), i + 1), CANONICAL_ORIGINS)] as const;
    const redirectAnswer = (kind: 'preflight' | 'actual') => ({ status: hop.status, headers: [...redirectCorsHeaders(policy, hop, kind, contextAt(i)).map(line), location, ...serverAddedHeaders('preflight', hop.status, undefined)] });
    return { preflight: i === 0 && policy.redirectPreflight ? redirectAnswer('preflight') : preflightAnswer(i), response: redirectAnswer('actual') };
  });
  const last = hops.length;
  const url = `${CANONICAL_ORIGINS[input.to]}${casePath(key)}`;
  const apiResponse: OracleResponse = {
    status,
    headers: [...corsHeaders(policy, 'actual', contextAt(last)).map(line), ...actualResponseExtras(policy).map(line), ...serverAddedHeaders('actual', status, policy.body)],
  };
  let shared: (SharedCacheStep & { readonly response: OracleResponse }) | undefined;
  if (input.to === 'shared-cache') {
    if (hops.length > 0) throw new OracleInputError('policy.redirects', 'a redirect through the shared cache is not modelled: state the verdict');
    // On the wire to the cache: the Origin a CORS request carries, and the script's own headers.
    const wire: HeaderPairs = [...(made.mode === 'cors' ? [['Origin', requestOrigin] as const] : []), ...made.headers];
    shared = sharedCacheStep(state?.sharedCache ?? EMPTY_SHARED_CACHE, { url, method: made.method, headers: wire }, apiResponse, state?.now ?? 0);
  }
  const fetched = predict({
    request: {
      origin: requestOrigin,
      url,
      method: made.method,
      headers: made.headers,
      credentials: made.credentials,
      mode: made.mode,
      bodyKind: made.bodyKind,
      redirect: input.request.redirect ?? 'follow',
    },
    ...(redirects.length > 0 && { redirects }),
    preflight: preflightAnswer(last),
    response: shared?.response ?? apiResponse,
    ...(state && { cache: state.cache, now: state.now }),
    ...(state?.engine && { maxAgeCap: ENGINE_PREFLIGHT_CACHES[state.engine].maxAgeCap, cacheStorage: ENGINE_PREFLIGHT_CACHES[state.engine].storage }),
    checkMixedContent: true,
    ...(engine && { engine }),
  });
  const prediction = elementPrediction(input.request.kind ?? 'fetch', made.callerStep, fetched, engine);
  if (!shared) return prediction;
  const { response: _served, ...step } = shared;
  return { ...prediction, sharedCache: step };
}

/** The fetch as the element that made it sees it: the step its caller took before (a font's mode), and a preload's event. */
function elementPrediction(kind: NonNullable<RequestRow['kind']>, callerStep: OracleStep | undefined, fetched: Prediction, engine: EngineRules | undefined): Prediction {
  const made = callerStep ? withCallerStep(fetched, callerStep) : fetched;
  return kind === 'preload' ? linkPreloadEvent(made, engine) : made;
}

export function summarise(prediction: Prediction): OracleSummary {
  return { verdict: prediction.verdict, preflightSent: prediction.preflightSent, readableHeaders: prediction.readableHeaders, reasons: prediction.reasons };
}

/**
 * The oracle's prediction for each engine whose declared departures from the standard (lib/model/engine-deviations.ts)
 * the standard's prediction passes through: the case predicted again with that engine's own rules.
 */
export function enginePredictions(input: CaseInput, standard: CasePrediction, state?: SequenceState): Partial<Record<EngineName, CasePrediction>> {
  const byEngine: Partial<Record<EngineName, CasePrediction>> = {};
  for (const engine of ENGINE_NAMES) {
    if (deviationsFor(standard, engine, ENGINE_DEVIATIONS).length === 0) continue;
    const own = predictCase(input, state, engine);
    if (!(own instanceof OracleInputError)) byEngine[engine] = own;
  }
  return byEngine;
}

/** The response headers the policy sets, split by whether a prediction lets the script read them. */
function readableSplit(prediction: Prediction, policy: Policy): { readonly readable: string[]; readonly hidden: string[] } {
  const setByPolicy = Object.keys(policy.responseHeaders ?? {});
  return {
    readable: setByPolicy.filter((name) => prediction.readableHeaders.includes(name.toLowerCase())),
    hidden: setByPolicy.filter((name) => !prediction.readableHeaders.includes(name.toLowerCase())),
  };
}

/**
 * The expectation a case is held to: every field the scenario states wins; the oracle supplies the rest. An engine
 * with a declared departure the case passes through is held to the oracle's prediction with that engine's rules
 * ({@link enginePredictions}): verdict, preflight and readable and hidden headers all from that one evaluation.
 */
export function resolveExpectation(stated: Partial<Expectation>, prediction: CasePrediction, policy: Policy, byEngine: Partial<Record<EngineName, CasePrediction>> = {}): Expectation {
  const { readable, hidden } = readableSplit(prediction, policy);
  const failing = prediction.steps.find((s) => s.outcome === 'fail');
  const engines: Partial<Record<(typeof ENGINE_NAMES)[number], EngineDeviation>> = { ...stated.engines };
  if (stated.verdict === undefined) {
    for (const engine of ENGINE_NAMES) {
      const own = byEngine[engine];
      const [known] = deviationsFor(prediction, engine, ENGINE_DEVIATIONS);
      if (!own || !known || engines[engine]?.verdict !== undefined) continue;
      const split = readableSplit(own, policy);
      engines[engine] = {
        ...engines[engine],
        verdict: own.verdict,
        preflight: own.preflightSent,
        ...(stated.readable === undefined && { readable: split.readable }),
        ...(stated.hidden === undefined && { hidden: split.hidden }),
        ...(stated.reachedHandler !== undefined && !own.reachedServer && { reachedHandler: false }),
        ...(stated.cookies !== undefined && !own.reachedServer && { cookies: [] }),
        source: 'known-engine-deviation',
        because: deviationBecause(known),
      };
    }
  }
  const oracleWhy = failing ? `oracle: ${failing.text}` : undefined;
  const shared = prediction.sharedCache;
  const sharedWhy = shared ? `shared cache: ${shared.why}` : undefined;
  const why = stated.why ?? ([sharedWhy, oracleWhy].filter((w) => w !== undefined).join('; ') || undefined);
  return {
    verdict: stated.verdict ?? prediction.verdict,
    preflight: stated.preflight ?? prediction.preflightSent,
    ...((stated.readable ?? readable).length > 0 && { readable: stated.readable ?? readable }),
    ...((stated.hidden ?? hidden).length > 0 && { hidden: stated.hidden ?? hidden }),
    ...(stated.cookies !== undefined && { cookies: stated.cookies }),
    ...(stated.reachedHandler !== undefined && { reachedHandler: stated.reachedHandler }),
    ...(stated.harnessProblem !== undefined && { harnessProblem: stated.harnessProblem }),
    ...(why !== undefined && { why }),
    ...(Object.keys(engines).length > 0 && { engines }),
    ...(stated.profiles && { profiles: stated.profiles }),
  };
}

/** Where a case between two harness origins is made, in the oracle's canonical form: the page's origin and the API's URL. */
export function harnessRequest(from: OriginName, to: HostedOriginName): { readonly pageOrigin: string; readonly url: string } {
  return { pageOrigin: from === 'null' ? 'null' : serializedOrigin(from, CANONICAL_ORIGINS), url: `${CANONICAL_ORIGINS[to]}/api` };
}

const BLOCKS: readonly string[] = ['blocked-at-preflight', 'blocked-at-response'];

/**
 * An intent's expectation as each engine is held to it, with how the page reaches the API decided by the oracle's
 * mixed-content step (with each engine's own rule) for the page origin and URL the case really uses. An intent speaks
 * of what the server lets read, not of how the page reaches it, so:
 * - an http URL that is not potentially trustworthy, from an https page: every engine refuses it. What the intent
 *   refuses stays refused, now before sending; what it lets read stays expected to be read, and fails as it must (the
 *   API cannot be reached that way; the diagnosis says so).
 * - a loopback http URL from an https page: the standard sends it; an engine with a declared departure from that step
 *   (WebKit) is expected to refuse it, as a known engine deviation with its evidence.
 * An engine whose verdict the case states itself (a finding) keeps it. Built once, with the case: the judge compares.
 */
export function intentUnderMixedContent(expect: Expectation, where: { readonly pageOrigin: string; readonly url: string }): Expectation {
  const engines: Partial<Record<EngineName, EngineDeviation>> = { ...expect.engines };
  let laid = false;
  for (const engine of ENGINE_NAMES) {
    const stated = engines[engine];
    const meant = { ...expect, ...stated };
    if (stated?.verdict !== undefined || meant.verdict === 'harness-error') continue;
    const rule = mixedContentRule(where.pageOrigin, where.url, engineRules(engine));
    if (!rule?.refused || (rule.departure === undefined && !BLOCKS.includes(meant.verdict))) continue;
    // Nothing is sent: no preflight, nothing read, nothing at the handler; headers the intent hides stay hidden.
    engines[engine] = {
      ...stated,
      verdict: 'blocked-before-sending',
      preflight: false,
      readable: undefined,
      cookies: undefined,
      ...(meant.reachedHandler !== undefined && { reachedHandler: false }),
      ...(rule.departure ? { source: 'known-engine-deviation' as const, because: deviationBecause(rule.departure) } : { because: `${rule.step.text} [${rule.step.source}]` }),
    };
    laid = true;
  }
  return laid ? { ...expect, engines } : expect;
}
