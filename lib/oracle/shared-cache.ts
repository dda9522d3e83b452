/**
 * A shared cache between the engines and an API (a CDN, a reverse proxy), as RFC 9111 lets one behave: what it
 * stores, and which stored answer it hands to which later request. Pure: no clock, no I/O. The CORS check then runs
 * on whatever it hands over — an answer stored for another Origin included (RFC 9111 does not look at CORS at all:
 * only `Vary: Origin` keeps one Origin's answer from another).
 *
 * Where RFC 9111 leaves the choice to the cache (it never has to store), this model makes the choices of the
 * harness's own cache (servers/assets/shared-cache.vcl), which are a common CDN configuration: explicit freshness only (no
 * heuristic), nothing stored for no-cache, Set-Cookie or a request with Authorization, Cookie ignored.
 */
import { OracleInputError } from './errors.ts';
import { getHeader, headerLines, type HeaderPairs } from './http.ts';
import type { OracleResponse } from './types.ts';

/** One stored answer. */
export interface SharedCacheEntry {
  readonly url: string;
  /** The Origin of the request whose answer this is; null when it carried none. */
  readonly storedFor: string | null;
  /** The request headers the answer's Vary names, lower-cased, and their values in the request that stored it (null: absent). */
  readonly varyOn: Readonly<Record<string, string | null>>;
  readonly response: OracleResponse;
  /** Seconds on the sequence's clock. */
  readonly storedAt: number;
  /** Seconds it stays fresh (s-maxage, else max-age). */
  readonly freshFor: number;
}

export interface SharedCacheState {
  readonly entries: readonly SharedCacheEntry[];
}

export const EMPTY_SHARED_CACHE: SharedCacheState = { entries: [] };

/** A request as it reaches the cache: every header on the wire that a Vary may name (Origin included). */
export interface SharedCacheRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: HeaderPairs;
}

export type SharedCacheLookup =
  | { readonly served: SharedCacheEntry; readonly why: string }
  | { readonly served?: undefined; readonly why: string };

export interface SharedCacheStore {
  readonly state: SharedCacheState;
  readonly stored: boolean;
  readonly why: string;
}

/** A request header's value as the cache compares it (RFC 9111 §4.1), null when absent. */
function wireValue(request: SharedCacheRequest, name: string): string | null {
  return getHeader(request.headers, name);
}

function varyNames(response: OracleResponse): string[] | '*' {
  const names = headerLines(response.headers, 'Vary')
    .flatMap((line) => line.split(','))
    .map((n) => n.trim().toLowerCase())
    .filter((n) => n !== '');
  return names.includes('*') ? '*' : [...new Set(names)];
}

function directives(headers: HeaderPairs): Map<string, string | true> {
  const found = new Map<string, string | true>();
  for (const line of headerLines(headers, 'Cache-Control')) {
    for (const part of line.split(',')) {
      const [name = '', value] = part.split('=').map((s) => s.trim());
      if (name !== '') found.set(name.toLowerCase(), value === undefined ? true : value.replace(/^"|"$/g, ''));
    }
  }
  return found;
}

function seconds(value: string | true | undefined): number | undefined {
  if (typeof value !== 'string' || !/^[0-9]+$/.test(value)) return undefined;
  return Number(value);
}

// Statuses Varnish stores when freshness is explicit (RFC 9111 §3 allows any final status with explicit freshness; a cache may store fewer).
const STORABLE_STATUSES = new Set([200, 203, 300, 301, 404, 410]);

/**
 * Whether a stored answer may be reused for this request (RFC 9111 §4): same URL and a safe method, still fresh, and
 * every header its Vary names the same in both requests (§4.1).
 */
export function lookupSharedCache(state: SharedCacheState, request: SharedCacheRequest, now: number): SharedCacheLookup {
  const method = request.method.toUpperCase();
  if (method !== 'GET' && method !== 'HEAD') return { why: `a ${method} request is never answered from the cache (RFC 9111 §4: only a stored answer to the same method may be reused; this cache stores GET/HEAD)` };
  const candidates = state.entries.filter((e) => e.url === request.url);
  if (candidates.length === 0) return { why: 'nothing is stored for this URL' };
  const fresh = candidates.filter((e) => now < e.storedAt + e.freshFor);
  if (fresh.length === 0) return { why: 'what is stored for this URL is no longer fresh (RFC 9111 §4.2)' };
  for (const entry of fresh) {
    const mismatch = Object.entries(entry.varyOn).find(([name, value]) => wireValue(request, name) !== value);
    if (!mismatch) {
      const varied = Object.keys(entry.varyOn);
      const matched = varied.length === 0 ? 'its answer has no Vary, so any request to the URL matches (RFC 9111 §4.1)' : `Vary: ${varied.join(', ')} matches this request (RFC 9111 §4.1)`;
      return { served: entry, why: `the cache serves the answer it stored for ${entry.storedFor === null ? 'a request without Origin' : `origin ${entry.storedFor}`}: ${matched}` };
    }
  }
  const names = [...new Set(fresh.flatMap((e) => Object.keys(e.varyOn)))];
  return { why: `a fresh answer is stored for this URL, but its Vary (${names.join(', ')}) names a header whose value differs in this request (RFC 9111 §4.1): the request goes to the API` };
}

/**
 * Stores the API's answer if this cache may and does (RFC 9111 §3 and §5.2.2, with this cache's choices), replacing
 * what was stored for the same URL and Vary values. Throws {@link OracleInputError} for a Vary that names a header
 * whose value on the wire the model cannot know.
 */
export function storeSharedCache(state: SharedCacheState, request: SharedCacheRequest, response: OracleResponse, now: number): SharedCacheStore {
  const keep = (why: string): SharedCacheStore => ({ state, stored: false, why });
  const method = request.method.toUpperCase();
  if (method !== 'GET' && method !== 'HEAD') return keep(`the answer to a ${method} is not stored`);
  if (getHeader(request.headers, 'Authorization') !== null) return keep('the request carried Authorization: a shared cache stores no such answer (RFC 9111 §3.5)');
  const cc = directives(response.headers);
  if (cc.has('no-store')) return keep('Cache-Control: no-store forbids storing it (RFC 9111 §5.2.2.5)');
  if (cc.has('private')) return keep('Cache-Control: private forbids a shared cache to store it (RFC 9111 §5.2.2.7)');
  if (cc.has('no-cache')) return keep('Cache-Control: no-cache: the answer must be revalidated on every use, so this cache does not keep it (each request reaches the API)');
  if (getHeader(response.headers, 'Set-Cookie') !== null) return keep('it sets a cookie: this cache does not store answers with Set-Cookie');
  const vary = varyNames(response);
  if (vary === '*') return keep('Vary: * matches no later request (RFC 9111 §4.1), so it is not stored');
  if (!STORABLE_STATUSES.has(response.status)) return keep(`status ${response.status} is not stored by this cache`);
  const freshFor = seconds(cc.get('s-maxage')) ?? seconds(cc.get('max-age'));
  if (freshFor === undefined || freshFor <= 0) return keep('it has no explicit freshness (s-maxage or max-age above 0), and this cache adds none (no heuristic freshness)');
  const varyOn: Record<string, string | null> = {};
  for (const name of vary) {
    if (name !== 'origin' && getHeader(request.headers, name) === null) {
      throw new OracleInputError(`response.headers.Vary`, `names "${name}", a header the engine may add on its own: the shared-cache model predicts only Vary on Origin and on headers the script sets`);
    }
    varyOn[name] = wireValue(request, name);
  }
  const entry: SharedCacheEntry = { url: request.url, storedFor: getHeader(request.headers, 'Origin'), varyOn, response, storedAt: now, freshFor };
  const replaced = (e: SharedCacheEntry) => e.url === request.url && Object.entries(e.varyOn).every(([name, value]) => varyOn[name] === value) && Object.keys(e.varyOn).length === vary.length;
  const varied = vary.length === 0 ? 'under its URL alone (no Vary)' : `under its URL and ${vary.join(', ')}`;
  return {
    state: { entries: [...state.entries.filter((e) => !replaced(e)), entry] },
    stored: true,
    why: `stored for ${freshFor} s ${varied}, for ${entry.storedFor === null ? 'a request without Origin' : `origin ${entry.storedFor}`}`,
  };
}
