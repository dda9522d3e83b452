/** The oracle's public input and output records. */
import type { Verdict } from './vocabulary.ts';
import type { HeaderPairs } from './http.ts';
import type { OracleStep } from './steps.ts';
import type { EngineRules } from './deviations.ts';

export type { EngineRules } from './deviations.ts';

export type CredentialsMode = 'omit' | 'same-origin' | 'include';
export type RequestMode = 'cors' | 'no-cors' | 'same-origin';
/** fetch()'s `redirect` option (Fetch §2.2.5 redirect mode). */
export type RedirectMode = 'follow' | 'error' | 'manual';
/** What the script's Response is (Fetch §2.2.6): a same-origin `basic`, a `cors` response, an `opaque` no-cors one, an `opaqueredirect` under redirect "manual", or `error` when fetch() rejects. */
export type ResponseType = 'basic' | 'cors' | 'opaque' | 'opaqueredirect' | 'error';
/** `text`: a string body (fetch adds `Content-Type: text/plain;charset=UTF-8` unless one is set). `stream`: a ReadableStream body, which always asks for a preflight. */
export type BodyKind = 'none' | 'text' | 'stream';

export interface OracleRequest {
  /** The requesting document's serialised origin, e.g. `https://app.example`, or `null`. */
  readonly origin: string;
  readonly url: string;
  /** As the script writes it: fetch() upper-cases only DELETE, GET, HEAD, OPTIONS, POST and PUT. */
  readonly method: string;
  /** As the script sets them, in order; duplicates allowed. */
  readonly headers: HeaderPairs;
  readonly credentials: CredentialsMode;
  readonly mode: RequestMode;
  readonly bodyKind?: BodyKind;
  /** Default "follow". */
  readonly redirect?: RedirectMode;
}

export interface OracleResponse {
  readonly status: number;
  /** Header lines as the server sends them, in order; duplicates allowed. */
  readonly headers: HeaderPairs;
}

/** One URL of a redirect chain that answers with a redirect: its preflight (when one is sent there) and its 3xx response with a Location. */
export interface RedirectHop {
  readonly preflight?: OracleResponse;
  readonly response: OracleResponse;
}

export interface PredictInput {
  readonly request: OracleRequest;
  /**
   * The answers of the URLs before the last, in order: `redirects[0]` answers `request.url`, `redirects[1]` answers the
   * URL its Location names, and so on; `preflight` and `response` then answer the last URL. Left out: no redirect.
   */
  readonly redirects?: readonly RedirectHop[];
  /** How the server answers the preflight (of the last URL, when there are redirects). Required exactly when a preflight is sent. */
  readonly preflight?: OracleResponse;
  /** How the server answers the actual request (at the last URL, when there are redirects). */
  readonly response: OracleResponse;
  /** The CORS-preflight cache before this request (default: empty). */
  readonly cache?: PreflightCacheState;
  /** The time of this request on the cache's clock, in seconds (default 0). */
  readonly now?: number;
  /** The user agent's imposed limit on max-age, in seconds (default: none). */
  readonly maxAgeCap?: number;
  /** How a preflight's answer is stored (default "per-entry", the standard's; see ENGINE_PREFLIGHT_CACHES). */
  readonly cacheStorage?: CacheStorage;
  /**
   * Whether main fetch's mixed-content check runs first (lib/oracle/mixed-content.ts), with `request.origin` taken as
   * the requesting document's origin. Default false: the CORS steps alone, as a judgement of answers a server really
   * recorded wants them (what arrived was sent).
   */
  readonly checkMixedContent?: boolean;
  /** Predict for this engine, its declared departures applied where they apply. Left out: the Fetch Standard alone. */
  readonly engine?: EngineRules;
}

/**
 * "per-entry": the Fetch Standard's cache, one entry per allowed method and header name, added to what is cached.
 * "one-result-per-url": an engine model (Chromium, WebKit), where a new preflight's answer replaces everything cached
 * for that origin and URL.
 */
export type CacheStorage = 'per-entry' | 'one-result-per-url';

/** The verdicts the harness can measure for a request that leaves the browser. */
export type OracleVerdict = Exclude<Verdict, 'harness-error'>;

/** One request of a redirect chain, as the server and its ledger see it. */
export interface HopPrediction {
  readonly url: string;
  /** The method sent (301/302 with POST and 303 turn it into GET). */
  readonly method: string;
  /** The Origin header of this hop's requests, or null when none is sent; "null" once a redirect tainted the origin. */
  readonly originHeader: string | null;
  /** basic (same origin, nothing tainted), cors, or opaque (mode no-cors). */
  readonly tainting: 'basic' | 'cors' | 'opaque';
  readonly preflightSent: boolean;
  readonly accessControlRequestMethod?: string;
  readonly accessControlRequestHeaders?: string;
  readonly servedFromPreflightCache: boolean;
  /** The actual (non-preflight) request of this hop reached the server. */
  readonly reachedServer: boolean;
  /** The status the server answered the actual request with, when it reached the server. */
  readonly status?: number;
  /** The browser followed this hop's redirect to the next hop. */
  readonly followed: boolean;
}

export interface Prediction {
  /** A preflight was sent (for any hop of a redirect chain). */
  readonly preflightSent: boolean;
  readonly accessControlRequestMethod?: string;
  readonly accessControlRequestHeaders?: string;
  /** A preflight was needed, but live entries of the preflight cache covered the method and every header. */
  readonly servedFromPreflightCache: boolean;
  readonly verdict: OracleVerdict;
  /** The actual (non-preflight) request reached the server; with redirects, the request to the last URL the fetch got to. */
  readonly reachedServer: boolean;
  /** The script can read the response (status, body). */
  readonly readable: boolean;
  /** Names (lower-cased, sorted) of the response headers the script can read. */
  readonly readableHeaders: readonly string[];
  /** The chain of reasons, one line per step: `stage: what and why [source]`. */
  readonly reasons: readonly string[];
  readonly steps: readonly OracleStep[];
  /** The preflight cache after this request. */
  readonly cache: PreflightCacheState;
  /** What the script's Response is; `error` when fetch() rejects. */
  readonly responseType?: ResponseType;
  /** Every request of the chain, in order (one entry without redirects). */
  readonly hops?: readonly HopPrediction[];
  /** How many redirects were followed. */
  readonly redirectCount?: number;
}

/** The request after fetch() has built it: method normalised, headers the browser would drop dropped, body headers added. */
export interface PreparedRequest {
  readonly origin: string;
  readonly url: string;
  readonly urlOrigin: string;
  readonly method: string;
  readonly headers: HeaderPairs;
  readonly credentials: CredentialsMode;
  readonly mode: RequestMode;
  readonly bodyKind: BodyKind;
  readonly redirect: RedirectMode;
  /** `origin` is "null" because a redirect tainted it (Fetch §2.2.5 redirect-taint), not because the document's origin is opaque. */
  readonly originTainted?: boolean;
  /** Fetch §2.2.5: set for a ReadableStream body (and, not modelled, XHR upload listeners). */
  readonly useCorsPreflight: boolean;
}

export interface PreflightCacheEntry {
  /** Byte-serialised request origin. */
  readonly origin: string;
  readonly url: string;
  /** Stored by a request whose credentials mode was "include". */
  readonly credentials: boolean;
  /** A method, `*`, or null for a header-name entry. */
  readonly method: string | null;
  /** A header name, `*`, or null for a method entry. */
  readonly headerName: string | null;
  /** Seconds. */
  readonly maxAge: number;
  /** Seconds, on the same clock as `now`. */
  readonly storedAt: number;
}

export interface PreflightCacheState {
  readonly entries: readonly PreflightCacheEntry[];
}
