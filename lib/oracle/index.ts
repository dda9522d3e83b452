/** The CORS oracle: a pure model of the Fetch Standard's CORS steps. See predict() for the entry point. */
export { predict } from './predict.ts';
export { OracleInputError } from './errors.ts';
export type { BodyKind, CredentialsMode, OracleRequest, OracleResponse, OracleVerdict, PredictInput, Prediction, PreparedRequest, RequestMode } from './types.ts';
export type { HeaderPair, HeaderPairs } from './http.ts';
export type { OracleRuleId, OracleStep, Stage, StepOutcome } from './steps.ts';
export { RULES, STAGES, formatStep } from './steps.ts';
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
export { basicReadableHeaders, checkActualResponse, corsReadableHeaders } from './response.ts';
export type { ReadableHeaders } from './response.ts';
export {
  DEFAULT_MAX_AGE,
  EMPTY_PREFLIGHT_CACHE,
  ENGINE_MAX_AGE_CAPS,
  clearPreflightCache,
  describePreflightCache,
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
export { deviationsFor } from './deviations.ts';
export type { OracleDeviation } from './deviations.ts';
