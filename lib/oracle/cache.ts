/**
 * Fetch §4.9 CORS-preflight cache, as an immutable value: entries per (origin, URL, credentials) for one method or
 * one header name each, with a max-age. A later request is served from the cache when live entries cover its
 * method (if that needs a preflight at all) and every CORS-unsafe header name; otherwise a new preflight is sent.
 * The network partition key is left out: the oracle models one top-level site at a time.
 */
import type { HeaderPairs } from './http.ts';
import { headerLines, sameHeaderName, show, showList } from './http.ts';
import { isCorsNonWildcardRequestHeaderName, isCorsSafelistedMethod } from './safelist.ts';
import { SOURCE } from './sources.ts';
import type { OracleStep } from './steps.ts';
import { step } from './steps.ts';
import type { CacheStorage, CredentialsMode, PreflightCacheEntry, PreflightCacheState, PreparedRequest } from './types.ts';
import type { EngineName } from './vocabulary.ts';

export type { CacheStorage, PreflightCacheEntry, PreflightCacheState } from './types.ts';

export const EMPTY_PREFLIGHT_CACHE: PreflightCacheState = { entries: [] };

/** Fetch §4.8: Access-Control-Max-Age absent or unusable means 5 seconds. */
export const DEFAULT_MAX_AGE = 5;

/**
 * How each engine keeps its preflight cache, read in the engines' own sources. None of this is a rule of the Fetch
 * Standard: the standard leaves the limit on max-age to the user agent ("an imposed limit"), lets entries be removed
 * early, and lets a user agent keep no cache at all. Pass `maxAgeCap` (and `cacheStorage`) to model one engine.
 */
export const ENGINE_PREFLIGHT_CACHES = {
  chromium: {
    maxAgeCap: 7200,
    defaultMaxAge: 5,
    storage: 'one-result-per-url',
    source: 'Chromium services/network/public/cpp/cors/preflight_result.cc (kMaxTimeout = 2 h since Chromium 76; default 5 s) and preflight_cache.cc (AppendEntry replaces the one PreflightResult kept per origin, URL and network isolation key)',
  },
  firefox: {
    maxAgeCap: 86400,
    defaultMaxAge: 5,
    storage: 'per-entry',
    source: 'Firefox netwerk/protocol/http/nsCORSListenerProxy.cpp (max-age capped at 24 h, as MDN cites it; entries per method and header name, at most 100 origin/URL keys, LRU)',
  },
  webkit: {
    maxAgeCap: 600,
    defaultMaxAge: 5,
    storage: 'one-result-per-url',
    source: 'WebKit Source/WebCore/loader/CrossOriginPreflightResultCache.cpp (maxPreflightCacheTimeout = 600 s, defaultPreflightCacheTimeout = 5 s; appendEntry replaces the item kept per session, origin and URL, and a lookup that fails removes it)',
  },
} as const satisfies Record<EngineName, { readonly maxAgeCap: number; readonly defaultMaxAge: number; readonly storage: CacheStorage; readonly source: string }>;

/** The engines' max-age caps in seconds, from {@link ENGINE_PREFLIGHT_CACHES}: for a model of one engine, pass one as `maxAgeCap`. */
export const ENGINE_MAX_AGE_CAPS = {
  chromium: ENGINE_PREFLIGHT_CACHES.chromium.maxAgeCap,
  firefox: ENGINE_PREFLIGHT_CACHES.firefox.maxAgeCap,
  webkit: ENGINE_PREFLIGHT_CACHES.webkit.maxAgeCap,
} as const;

/**
 * The cache model of one engine, from {@link ENGINE_PREFLIGHT_CACHES}, as options for predict() or predictSequence():
 * `predictSequence(steps, { ...engineCacheModel('webkit'), server })`. Without it the oracle models the standard.
 */
export function engineCacheModel(engine: EngineName): { readonly maxAgeCap: number; readonly cacheStorage: CacheStorage } {
  const data = ENGINE_PREFLIGHT_CACHES[engine];
  return { maxAgeCap: data.maxAgeCap, cacheStorage: data.storage };
}

export interface CacheKey {
  readonly origin: string;
  readonly url: string;
  readonly credentials: CredentialsMode;
}

function isLive(entry: PreflightCacheEntry, now: number): boolean {
  return now - entry.storedAt < entry.maxAge;
}

/** Fetch §4.9 "cache entry match": same origin and URL; an entry stored with credentials serves requests with or without. */
function matchesKey(entry: PreflightCacheEntry, key: CacheKey): boolean {
  return entry.origin === key.origin && entry.url === key.url && (entry.credentials || key.credentials !== 'include');
}

/** Fetch §4.9 "method cache entry match": a live entry for the method itself, or for `*`. */
export function methodCacheMatch(cache: PreflightCacheState, key: CacheKey, method: string, now: number): PreflightCacheEntry | undefined {
  return cache.entries.find((e) => isLive(e, now) && matchesKey(e, key) && e.method !== null && (e.method === method || e.method === '*'));
}

/** Fetch §4.9 "header-name cache entry match": the name case-insensitively, or `*` for any name but Authorization. */
export function headerCacheMatch(cache: PreflightCacheState, key: CacheKey, name: string, now: number): PreflightCacheEntry | undefined {
  return cache.entries.find(
    (e) => isLive(e, now) && matchesKey(e, key) && e.headerName !== null && (sameHeaderName(e.headerName, name) || (e.headerName === '*' && !isCorsNonWildcardRequestHeaderName(name))),
  );
}

function keyOf(request: PreparedRequest): CacheKey {
  return { origin: request.origin, url: request.url, credentials: request.credentials };
}

function until(entry: PreflightCacheEntry): string {
  return `stored at t=${entry.storedAt}s with max-age ${entry.maxAge}s`;
}

/** Why nothing live covers `what`: an expired entry, one stored without credentials, or none at all. */
function missReason(cache: PreflightCacheState, request: PreparedRequest, now: number, covers: (e: PreflightCacheEntry) => boolean): string {
  const related = cache.entries.filter((e) => e.origin === request.origin && e.url === request.url && covers(e));
  const expired = related.find((e) => !isLive(e, now));
  if (expired) return `its entry expired (${until(expired)}, now t=${now}s)`;
  if (related.some((e) => !e.credentials) && request.credentials === 'include') return 'its entry was stored by a request without credentials, which does not serve one with credentials mode "include"';
  return 'no entry holds it';
}

export interface CacheLookup {
  /** A new preflight must be sent. */
  readonly preflightNeeded: boolean;
  /** The cache holds live entries for this origin and URL; false means the cache had nothing to say. */
  readonly consulted: boolean;
  readonly missingMethod: boolean;
  readonly missingHeaders: readonly string[];
  readonly steps: readonly OracleStep[];
}

/**
 * Fetch §4.4 HTTP fetch, the condition for a CORS-preflight fetch: no method cache entry match when the method
 * needs one (not safelisted, or the use-CORS-preflight flag is set), or a CORS-unsafe header name with no
 * header-name cache entry match.
 */
export function lookupPreflightCache(cache: PreflightCacheState, request: PreparedRequest, unsafeNames: readonly string[], now: number): CacheLookup {
  const key = keyOf(request);
  const methodNeedsEntry = !isCorsSafelistedMethod(request.method) || request.useCorsPreflight;
  const methodEntry = methodNeedsEntry ? methodCacheMatch(cache, key, request.method, now) : undefined;
  const missingMethod = methodNeedsEntry && methodEntry === undefined;
  const missingHeaders = unsafeNames.filter((name) => headerCacheMatch(cache, key, name, now) === undefined);
  const preflightNeeded = missingMethod || missingHeaders.length > 0;
  const related = cache.entries.some((e) => e.origin === request.origin && e.url === request.url);
  const steps: OracleStep[] = [];
  const src = SOURCE.httpFetch;
  if (!preflightNeeded) {
    const covered = [
      ...(methodNeedsEntry ? [`the method ${show(request.method)}`] : []),
      ...(unsafeNames.length > 0 ? [`the header${unsafeNames.length > 1 ? 's' : ''} ${showList(unsafeNames)}`] : []),
    ].join(' and ');
    steps.push(step('preflight cache', 'cache-hit', 'pass', `live entries for ${request.origin} → ${request.url} cover ${covered}: served from the preflight cache, no new preflight`, src));
  } else if (related) {
    const gaps: string[] = [];
    if (missingMethod) gaps.push(`the method ${show(request.method)}: ${missReason(cache, request, now, (e) => e.method === request.method || e.method === '*')}`);
    for (const name of missingHeaders) gaps.push(`the header ${show(name)}: ${missReason(cache, request, now, (e) => e.headerName !== null && sameHeaderName(e.headerName, name))}`);
    steps.push(step('preflight cache', 'cache-miss', 'note', `needs a new preflight because the cache does not cover ${gaps.join('; ')}`, src));
  }
  return { preflightNeeded, consulted: related, missingMethod, missingHeaders, steps };
}

export interface MaxAge {
  /** Seconds the answer is cached for; 0 means not at all. */
  readonly seconds: number;
  readonly step: OracleStep;
}

/**
 * Fetch §4.8: Access-Control-Max-Age, capped by the user agent's limit. How the oracle reads each value:
 * - absent: "If max-age is failure or null, then set max-age to 5": 5 seconds.
 * - digits only (delta-seconds): that many seconds; "0" creates entries that are due for removal at once, so
 *   nothing is cached.
 * - anything else that is not delta-seconds ("ten", "1.5", "", two lines "600, 600"): extracting the header list
 *   value fails, so 5 seconds.
 * - negative ("-1"): read literally this is not delta-seconds either, so 5 seconds; but the standard also lets a
 *   cache drop entries early (or keep none), WPT cors/preflight-cache.htm expects "-1" not to be cached, and
 *   Chromium, Firefox and WebKit (measured here, and WebKit's and Chromium's parsers accept a signed integer) do not
 *   cache it. The oracle follows them: not cached. Engines may differ on the other non-numeric values: measure.
 */
export function parseMaxAge(headers: HeaderPairs, cap: number | undefined): MaxAge {
  const src = SOURCE.preflightFetch;
  const lines = headerLines(headers, 'Access-Control-Max-Age');
  const capped = (seconds: number, said: string, rule: 'max-age' | 'max-age-unparseable' = 'max-age'): MaxAge => {
    if (cap !== undefined && seconds > cap) return { seconds: cap, step: step('preflight', rule, 'note', `${said}, capped at the user agent's limit of ${cap} seconds`, src) };
    return { seconds, step: step('preflight', rule, 'note', said, src) };
  };
  if (lines.length === 0) return capped(DEFAULT_MAX_AGE, `no Access-Control-Max-Age, so the answer is cached for the default ${DEFAULT_MAX_AGE} seconds`);
  if (lines.length > 1) return capped(DEFAULT_MAX_AGE, `${lines.length} Access-Control-Max-Age lines, where the header allows one, so the default ${DEFAULT_MAX_AGE} seconds apply`);
  const value = lines[0] ?? '';
  if (/^[0-9]+$/.test(value)) {
    const seconds = Number(value);
    if (seconds === 0) return { seconds: 0, step: step('preflight', 'max-age', 'note', 'Access-Control-Max-Age "0": the answer is not cached', src) };
    return capped(seconds, `Access-Control-Max-Age ${show(value)}: the answer is cached for ${seconds} seconds`);
  }
  if (/^-[0-9]+$/.test(value)) {
    return {
      seconds: 0,
      step: step(
        'preflight',
        'max-age',
        'note',
        `Access-Control-Max-Age ${show(value)} is negative: the answer is not cached (read literally, a value that is not delta-seconds would mean the default ${DEFAULT_MAX_AGE} seconds, but a cache may drop entries early, and WPT and the engines treat a negative max-age as "do not cache")`,
        SOURCE.preflightCacheWpt,
      ),
    };
  }
  // A rule of its own, so that an engine that departs here (Firefox caches nothing) can name this step alone. Two lines
  // fail to parse too, but no engine was measured departing there: they keep the plain rule.
  return capped(DEFAULT_MAX_AGE, `Access-Control-Max-Age ${show(value)} is not a number of seconds (digits only), so the default ${DEFAULT_MAX_AGE} seconds apply`, 'max-age-unparseable');
}

function refreshOrAdd(entries: PreflightCacheEntry[], found: PreflightCacheEntry | undefined, fresh: PreflightCacheEntry): void {
  // Fetch §4.8 sets the matching entry's max-age; the entry is in effect stored again, so its clock restarts too.
  if (found) entries[entries.indexOf(found)] = { ...found, maxAge: fresh.maxAge, storedAt: fresh.storedAt };
  else entries.push(fresh);
}

/**
 * Fetch §4.8, the last steps: a method entry per allowed method and a header-name entry per allowed header name,
 * added to what is cached ("per-entry", the standard). "one-result-per-url" models Chromium and WebKit, which
 * replace everything cached for the origin and URL with the new answer (not a rule of the standard).
 */
export function storePreflightResult(
  cache: PreflightCacheState,
  request: PreparedRequest,
  allowed: { readonly methods: readonly string[]; readonly headerNames: readonly string[] },
  maxAge: number,
  now: number,
  storage: CacheStorage = 'per-entry',
): PreflightCacheState {
  // An engine that keeps one result per origin and URL drops what an earlier preflight allowed there.
  const kept = (e: PreflightCacheEntry): boolean => isLive(e, now) && !(storage === 'one-result-per-url' && e.origin === request.origin && e.url === request.url);
  if (maxAge <= 0) return { entries: cache.entries.filter(kept) };
  const key = keyOf(request);
  const entries = cache.entries.filter(kept);
  const base = { origin: request.origin, url: request.url, credentials: request.credentials === 'include', maxAge, storedAt: now };
  for (const method of allowed.methods) {
    const state = { entries };
    refreshOrAdd(entries, methodCacheMatch(state, key, method, now), { ...base, method, headerName: null });
  }
  for (const headerName of allowed.headerNames) {
    const state = { entries };
    refreshOrAdd(entries, headerCacheMatch(state, key, headerName, now), { ...base, method: null, headerName });
  }
  return { entries };
}

/** Fetch §4.9 "clear cache entries": main fetch drops every entry for the origin and URL when a preflighted fetch fails. */
export function clearPreflightCache(cache: PreflightCacheState, request: PreparedRequest): PreflightCacheState {
  return { entries: cache.entries.filter((e) => !(e.origin === request.origin && e.url === request.url)) };
}

/** One line per live entry, for people. */
export function describePreflightCache(cache: PreflightCacheState, now: number): string[] {
  return cache.entries
    .filter((e) => isLive(e, now))
    .map((e) => `${e.origin} → ${e.url}${e.credentials ? ' (credentials)' : ''}: ${e.method !== null ? `method ${e.method}` : `header ${e.headerName ?? ''}`}, ${until(e)}`);
}
