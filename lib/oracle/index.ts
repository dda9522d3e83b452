/** The CORS oracle: a pure model of the Fetch Standard's CORS steps. See predict() and predictSequence() for the entry points. */
export { predict } from './predict.ts';
export { predictSequence } from './sequence.ts';
export type { SequenceOptions, SequenceStep } from './sequence.ts';
export { MAX_REDIRECTS, REDIRECT_STATUSES, REQUEST_BODY_HEADER_NAMES, followRedirect, isRedirectStatus, isRedirectTainted } from './redirect.ts';
export type { RedirectOutcome, Tainting } from './redirect.ts';
export { OracleInputError } from './errors.ts';
export type {
  BodyKind,
  CacheStorage,
  CredentialsMode,
  HopPrediction,
  OracleRequest,
  OracleResponse,
  OracleVerdict,
  PredictInput,
  Prediction,
  PreparedRequest,
  RedirectHop,
  RedirectMode,
  RequestMode,
  ResponseType,
} from './types.ts';
export type { HeaderPair, HeaderPairs } from './http.ts';
export type { OracleRuleId, OracleStep, Stage, StepOutcome } from './steps.ts';
export { NOT_CORS_CHECKS, RULES, STAGES, atHop, formatStep } from './steps.ts';
export { SOURCE } from './sources.ts';
export type { Source } from './sources.ts';
export {
  CORS_SAFELISTED_RESPONSE_HEADER_NAMES,
  corsSafelistedRequestHeader,
  corsUnsafeRequestHeaderNames,
  forbiddenRequestHeader,
  isCorsSafelistedMethod,
  isCorsSafelistedResponseHeaderName,
  isForbiddenMethod,
  isForbiddenResponseHeaderName,
  normalizeMethod,
} from './safelist.ts';
export type { SafelistVerdict, UnsafeHeaderNames } from './safelist.ts';
export { checkPreflight, planPreflight } from './preflight.ts';
export type { PreflightCheck, PreflightPlan } from './preflight.ts';
export { corsCheck } from './cors-check.ts';
export type { CorsCheckResult } from './cors-check.ts';
export { basicReadableHeaders, checkActualResponse, corsReadableHeaders, errorStatusReadable } from './response.ts';
export type { ReadableHeaders } from './response.ts';
export {
  DEFAULT_MAX_AGE,
  EMPTY_PREFLIGHT_CACHE,
  ENGINE_MAX_AGE_CAPS,
  ENGINE_PREFLIGHT_CACHES,
  clearPreflightCache,
  describePreflightCache,
  engineCacheModel,
  headerCacheMatch,
  lookupPreflightCache,
  methodCacheMatch,
  parseMaxAge,
  storePreflightResult,
} from './cache.ts';
export type { CacheKey, CacheLookup, MaxAge } from './cache.ts';
export type { PreflightCacheEntry, PreflightCacheState } from './types.ts';
export { prepareRequest, prepareResponse } from './request.ts';
export { parseSerializedOrigin, parseRequestUrl, isSameOrigin } from './origin.ts';
export { parseMimeEssence } from './mime.ts';
export { parseSingleRange } from './range.ts';
export { deviationBecause, deviationsFor } from './deviations.ts';
export { fontFetchMode, linkPreloadEvent, withCallerStep } from './elements.ts';
export type { FontFetchMode } from './elements.ts';
export { mixedContentCheck, potentiallyTrustworthy } from './mixed-content.ts';
export type { MixedContentCheck, TrustworthyBecause } from './mixed-content.ts';
export { EMPTY_SHARED_CACHE, lookupSharedCache, storeSharedCache } from './shared-cache.ts';
export type { SharedCacheEntry, SharedCacheLookup, SharedCacheRequest, SharedCacheState, SharedCacheStore } from './shared-cache.ts';
export type { OracleDeviation } from './deviations.ts';
export type { EngineRules } from './types.ts';
