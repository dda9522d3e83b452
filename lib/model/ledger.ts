import type { HarnessProblemCode } from '../oracle/vocabulary.ts';
import type { HeaderLine } from './policy.ts';

export type ArrivalKind = 'preflight' | 'actual';

/** One request as the server saw it arrive, and the answer it got on the wire (if any). */
export interface LedgerEntry {
  /** When the request arrived (its head was parsed), not when it was answered. */
  readonly at: number;
  readonly kind: ArrivalKind;
  readonly method: string;
  /** `scheme://host:port` the request was addressed to. */
  readonly target: string;
  /** Path and query exactly as requested. */
  readonly path: string;
  readonly origin: string | undefined;
  readonly accessControlRequestMethod: string | undefined;
  readonly accessControlRequestHeaders: string | undefined;
  /** Names of the cookies the request carried. */
  readonly cookies: readonly string[];
  /**
   * Sec-Fetch-Dest, where the engine sent one (to https and loopback origins): what made the request (`empty` for a
   * script's fetch or XMLHttpRequest, `image`, `script`, `style`, `font`, …). The e2e recorder names a request no page
   * call made (a worker's, an element's) by it.
   */
  readonly fetchDest?: string;
  /** Whether the route's own handler ran (a preflight never reaches it). */
  readonly handlerRan: boolean;
  /** Whether a response head was written on the wire. False while the request waits, or when the connection closed unanswered. */
  readonly answered: boolean;
  /** The status written on the wire; 0 when nothing was answered. */
  readonly status: number;
  /** Every response header line written on the wire, in order, exactly as sent (empty when nothing was answered). */
  readonly responseHeaders: readonly HeaderLine[];
  /** Set when the connection closed before the response was complete (a body cut off, or no answer at all). */
  readonly cutOff?: boolean;
  /**
   * Set when the request went through the harness's shared cache (the `shared-cache` origin): how the cache dealt
   * with it. Then this entry is what the engine sent and got; the API's own arrivals behind the cache are kept apart.
   */
  readonly servedBy?: SharedCacheService;
}

/** How the shared cache in front of the API dealt with one request: from the cache's own answer headers and the API's ledger. */
export interface SharedCacheService {
  readonly cache: 'shared';
  /**
   * `hit`: a stored answer was served; `miss`: the answer was fetched from the API and stored; `pass`: fetched and
   * not stored (a preflight, a write, or an answer the cache may not store); `unknown`: the cache did not say.
   */
  readonly outcome: 'hit' | 'miss' | 'pass' | 'unknown';
  /**
   * The Origin of the request whose answer the cache stored: on a hit, the one it was stored for, which may not be
   * this request's. `null` when that request carried no Origin. Absent on a pass.
   */
  readonly storedFor?: string | null;
  /** Whether this request reached the API at all (recorded behind the cache): a hit never does. */
  readonly reachedApi: boolean;
}

/** The cache's answer header that says what it did (servers/assets/shared-cache.vcl). */
export const CACHE_STATUS_HEADER = 'X-Cache';
/** The cache's private answer header naming the Origin an answer was stored for; the front removes it. */
export const STORED_FOR_HEADER = 'X-Cm-Stored-For';
const NO_ORIGIN = '(no Origin)';

/** The typed service note, from the cache's two headers as received and whether the API saw the request. */
export function servedByCache(cacheStatus: string | undefined, storedFor: string | undefined, reachedApi: boolean): SharedCacheService {
  const status = cacheStatus?.trim().toUpperCase();
  const outcome = status === 'HIT' ? 'hit' : status === 'MISS' ? 'miss' : status === 'PASS' ? 'pass' : 'unknown';
  const stored = outcome === 'pass' || storedFor === undefined ? undefined : storedFor === NO_ORIGIN ? null : storedFor;
  return { cache: 'shared', outcome, ...(stored !== undefined && { storedFor: stored }), reachedApi };
}

/**
 * One line on who answered a request that went through the shared cache, for reports and failure texts:
 * "served from the shared cache, stored for origin http://a.localhost:1234" on a hit.
 */
export function describeService(service: SharedCacheService): string {
  const storedFor = service.storedFor === undefined ? '' : service.storedFor === null ? ', stored for a request without Origin' : `, stored for origin ${service.storedFor}`;
  switch (service.outcome) {
    case 'hit':
      return `served from the shared cache${storedFor}${service.reachedApi ? ' (yet the API saw the request too)' : ''}`;
    case 'miss':
      return `answered by the API through the shared cache, which stored it${storedFor.replace('stored for', 'for')}`;
    case 'pass':
      return 'answered by the API through the shared cache, which did not store it';
    case 'unknown':
      return `went through the shared cache, which did not say whether it served a stored answer${service.reachedApi ? '; the API saw the request' : '; the API did not see the request'}`;
  }
}

/** What is known of a request the moment it arrives. */
export type Arrival = Omit<LedgerEntry, 'handlerRan' | 'answered' | 'status' | 'responseHeaders' | 'cutOff' | 'servedBy'>;

/** What completes an arrival: the answer as written, or the lack of one. */
export type Answer = Pick<LedgerEntry, 'handlerRan' | 'answered' | 'status' | 'responseHeaders'> & { readonly cutOff?: boolean; readonly servedBy?: SharedCacheService };

/** Something the server saw that no case can be blamed on as a CORS result: a malformed request, an unknown case. */
export interface ServerFault {
  readonly at: number;
  readonly message: string;
  /** The case the fault belongs to, when the request that caused it named one. */
  readonly key?: string;
  /** Which harness problem it is, as the server that saw it knows. */
  readonly code: HarnessProblemCode;
}

/** A TLS handshake with one of the harness's https servers, by the host name the engine asked for (SNI). */
export interface Handshake {
  readonly at: number;
  readonly host: string;
  /**
   * Set when the engine broke it off: Node's words for what the engine said, an alert
   * (`ERR_SSL_TLSV1_ALERT_UNKNOWN_CA`) or a hang-up (`ECONNRESET`). No request follows, so it names no case.
   */
  readonly refused?: string;
}

/** Told of an arrival or of its answer: the case key, the entry's index in that case's list, the entry as it stands. */
export type LedgerWatcher = (caseKey: string, index: number, entry: LedgerEntry) => void;

/** Updates one arrival in place with what is known of its answer so far. */
export type AnswerSink = (answer: Answer) => void;

/** The server's record of what actually arrived. The same-origin policy blocks reading, not sending: this is the truth. */
export class Ledger {
  readonly #entries = new Map<string, LedgerEntry[]>();
  readonly #faults: ServerFault[] = [];
  readonly #handshakes: Handshake[] = [];
  readonly #watchers = new Set<LedgerWatcher>();

  /**
   * Calls `watcher` whenever an entry arrives or its answer is written, with the entry's case key and its index in
   * that case's list (lists only grow). The e2e recorder learns so when a request reached the wire and when its answer
   * went out, without listening to the engine for every request. Returns the function that stops it.
   */
  watch(watcher: LedgerWatcher): () => void {
    this.#watchers.add(watcher);
    return () => void this.#watchers.delete(watcher);
  }

  /**
   * Records a request the moment it arrives, unanswered (status 0); the returned sink completes it as the answer is
   * written. A request whose connection drops before any answer stays in the ledger as "arrived, no answer".
   */
  arrive(caseKey: string, arrival: Arrival): AnswerSink {
    const list = this.#list(caseKey);
    const index = list.push({ ...arrival, handlerRan: false, answered: false, status: 0, responseHeaders: [] }) - 1;
    this.#tell(caseKey, index);
    return (answer) => {
      const current = list[index];
      if (!current) return;
      list[index] = { ...current, ...answer };
      this.#tell(caseKey, index);
    };
  }

  #tell(caseKey: string, index: number): void {
    const entry = this.#entries.get(caseKey)?.[index];
    if (entry) for (const watcher of this.#watchers) watcher(caseKey, index, entry);
  }

  /** Records a request and its answer at once. */
  record(caseKey: string, entry: LedgerEntry): void {
    this.#tell(caseKey, this.#list(caseKey).push(entry) - 1);
  }

  /** Records a fault; with the key of the case whose request caused it, so that only that case is blamed. */
  fault(code: HarnessProblemCode, message: string, key?: string, at = Date.now()): void {
    this.#faults.push({ at, message, code, ...(key !== undefined && { key }) });
  }

  handshake(handshake: Handshake): void {
    this.#handshakes.push(handshake);
  }

  /** The last handshake with this host up to a moment: whether the engine stands refusing its certificate then. */
  lastHandshakeWith(host: string, upTo: number): Handshake | undefined {
    return this.#handshakes.filter((h) => h.host === host && h.at <= upTo).at(-1);
  }

  entriesFor(caseKey: string): readonly LedgerEntry[] {
    return [...(this.#entries.get(caseKey) ?? [])];
  }

  /** The faults that carry this case's key. */
  faultsFor(caseKey: string): readonly ServerFault[] {
    return this.#faults.filter((f) => f.key === caseKey);
  }

  /** Faults that named no case (a request the parser rejected before its URL was known, …). */
  faultsWithoutCase(): readonly ServerFault[] {
    return this.#faults.filter((f) => f.key === undefined);
  }

  readonly #marks = new Map<string, Map<number, number>>();

  /** The page says that step `step` of the sequence under `caseKey` starts now: arrivals from here on are that step's. */
  markStep(caseKey: string, step: number): void {
    const marks = this.#marks.get(caseKey) ?? new Map<number, number>();
    marks.set(step, this.#entries.get(caseKey)?.length ?? 0);
    this.#marks.set(caseKey, marks);
  }

  /**
   * The arrivals of one step of a sequence: those between its mark and the next step's, in arrival order — no
   * clock involved. A step whose own mark, or (unless it is the last) the next step's mark, never arrived has no
   * known boundary: which mark is missing is said instead, so its neighbours' arrivals are never taken for its own.
   */
  entriesOfStep(caseKey: string, step: number, isLast: boolean): { readonly entries: readonly LedgerEntry[] } | { readonly missingMark: number } {
    const marks = this.#marks.get(caseKey);
    const from = marks?.get(step);
    if (from === undefined) return { missingMark: step };
    const to = marks?.get(step + 1);
    if (to === undefined && !isLast) return { missingMark: step + 1 };
    return { entries: this.entriesFor(caseKey).slice(from, to) };
  }

  faultsBetween(from: number, to: number): readonly ServerFault[] {
    return this.#faults.filter((f) => f.at >= from && f.at <= to);
  }

  #list(caseKey: string): LedgerEntry[] {
    let list = this.#entries.get(caseKey);
    if (!list) this.#entries.set(caseKey, (list = []));
    return list;
  }
}

/** Cookie names from a Cookie request header; values are of no interest to the ledger. */
export function cookieNames(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(';')
    .map((pair) => pair.split('=')[0]?.trim() ?? '')
    .filter((name) => name !== '');
}

/** The header the front proxy puts on its own answer to a write it held back from a deployed API (allowWrites off). */
export const HELD_BACK_HEADER = 'X-Cors-Matrix-Held-Back';
