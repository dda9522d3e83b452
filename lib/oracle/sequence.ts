/**
 * The preflight cache over time: a sequence of fetches at given times, each predicted with the cache the ones before
 * it left behind (Fetch §4.8 stores, §4.9 matches and expires, §4.1 clears on failure).
 */
import { EMPTY_PREFLIGHT_CACHE } from './cache.ts';
import { OracleInputError } from './errors.ts';
import { predict } from './predict.ts';
import type { CacheStorage, OracleResponse, PredictInput, Prediction, PreflightCacheState, RedirectHop } from './types.ts';

/** One fetch of a sequence: a {@link PredictInput} whose time is `at`; answers it leaves out come from {@link SequenceOptions.server}. */
export interface SequenceStep extends Omit<PredictInput, 'cache' | 'now' | 'maxAgeCap' | 'cacheStorage' | 'response'> {
  /** Seconds on the cache's clock; never earlier than the step before. */
  readonly at: number;
  readonly response?: OracleResponse;
}

export interface SequenceOptions {
  /** The cache before the first step (default: empty). */
  readonly cache?: PreflightCacheState;
  /** The user agent's limit on max-age, in seconds (see ENGINE_PREFLIGHT_CACHES). */
  readonly maxAgeCap?: number;
  readonly cacheStorage?: CacheStorage;
  /** How the server answers when a step does not say: the same preflight, response and redirects for every step. */
  readonly server?: {
    readonly preflight?: OracleResponse;
    readonly response?: OracleResponse;
    readonly redirects?: readonly RedirectHop[];
  };
}

function withField(prefix: string, error: unknown): unknown {
  return error instanceof OracleInputError ? new OracleInputError(`${prefix}${error.field}`, error.problem) : error;
}

/**
 * Predicts each fetch of a sequence in order, carrying the preflight cache from one to the next: one Prediction per
 * step, whose `cache` is the cache after it and whose `preflightSent` / `servedFromPreflightCache` say whether that
 * step needed a preflight on the wire. Throws {@link OracleInputError} naming `steps[i].…` for bad input.
 */
export function predictSequence(steps: readonly SequenceStep[], options: SequenceOptions = {}): Prediction[] {
  if (!Array.isArray(steps) || steps.length === 0) throw new OracleInputError('steps', 'must be a non-empty list of requests, each with its time "at" in seconds');
  let cache = options.cache ?? EMPTY_PREFLIGHT_CACHE;
  let previous = -Infinity;
  return steps.map((s, i) => {
    if (typeof s.at !== 'number' || !Number.isFinite(s.at) || s.at < 0) throw new OracleInputError(`steps[${i}].at`, 'must be a time in seconds, a number of 0 or more');
    if (s.at < previous) throw new OracleInputError(`steps[${i}].at`, `must not be earlier than the step before (t=${previous}s): the cache's clock only moves forward`);
    previous = s.at;
    const server = options.server ?? {};
    const redirects = s.redirects ?? server.redirects;
    const preflight = s.preflight ?? server.preflight;
    const response = s.response ?? server.response;
    const input: PredictInput = {
      request: s.request,
      ...(redirects !== undefined && { redirects }),
      ...(preflight !== undefined && { preflight }),
      response: response as OracleResponse,
      cache,
      now: s.at,
      ...(options.maxAgeCap !== undefined && { maxAgeCap: options.maxAgeCap }),
      ...(options.cacheStorage !== undefined && { cacheStorage: options.cacheStorage }),
      // An engine's own rules, where it departs from the standard (an unparseable max-age it does not cache, say).
      ...(s.engine !== undefined && { engine: s.engine }),
    };
    let prediction: Prediction;
    try {
      prediction = predict(input);
    } catch (error) {
      throw withField(`steps[${i}].`, error);
    }
    cache = prediction.cache;
    return prediction;
  });
}
