/** The oracle's public input and output records. */
import type { Verdict } from './vocabulary.ts';
import type { HeaderPairs } from './http.ts';
import type { OracleStep } from './steps.ts';

export type CredentialsMode = 'omit' | 'same-origin' | 'include';
export type RequestMode = 'cors' | 'no-cors' | 'same-origin';
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
}

export interface OracleResponse {
  readonly status: number;
  /** Header lines as the server sends them, in order; duplicates allowed. */
  readonly headers: HeaderPairs;
}

export interface PredictInput {
  readonly request: OracleRequest;
  /** How the server answers the preflight. Required exactly when a preflight is sent. */
  readonly preflight?: OracleResponse;
  /** How the server answers the actual request. */
  readonly response: OracleResponse;
  /** The CORS-preflight cache before this request (default: empty). */
  readonly cache?: PreflightCacheState;
  /** The time of this request on the cache's clock, in seconds (default 0). */
  readonly now?: number;
  /** The user agent's imposed limit on max-age, in seconds (default: none). */
  readonly maxAgeCap?: number;
}

/** The verdicts the harness can measure for a request that leaves the browser. */
export type OracleVerdict = Exclude<Verdict, 'harness-error'>;

export interface Prediction {
  readonly preflightSent: boolean;
  readonly accessControlRequestMethod?: string;
  readonly accessControlRequestHeaders?: string;
  /** A preflight was needed, but live entries of the preflight cache covered the method and every header. */
  readonly servedFromPreflightCache: boolean;
  readonly verdict: OracleVerdict;
  /** The actual (non-preflight) request reached the server. */
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
