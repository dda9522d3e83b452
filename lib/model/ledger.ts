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
}

/** What is known of a request the moment it arrives. */
export type Arrival = Omit<LedgerEntry, 'handlerRan' | 'answered' | 'status' | 'responseHeaders' | 'cutOff'>;

/** What completes an arrival: the answer as written, or the lack of one. */
export type Answer = Pick<LedgerEntry, 'handlerRan' | 'answered' | 'status' | 'responseHeaders'> & { readonly cutOff?: boolean };

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

/** Updates one arrival in place with what is known of its answer so far. */
export type AnswerSink = (answer: Answer) => void;

/** The server's record of what actually arrived. The same-origin policy blocks reading, not sending: this is the truth. */
export class Ledger {
  readonly #entries = new Map<string, LedgerEntry[]>();
  readonly #faults: ServerFault[] = [];
  readonly #handshakes: Handshake[] = [];

  /**
   * Records a request the moment it arrives, unanswered (status 0); the returned sink completes it as the answer is
   * written. A request whose connection drops before any answer stays in the ledger as "arrived, no answer".
   */
  arrive(caseKey: string, arrival: Arrival): AnswerSink {
    const list = this.#list(caseKey);
    const index = list.push({ ...arrival, handlerRan: false, answered: false, status: 0, responseHeaders: [] }) - 1;
    return (answer) => {
      const current = list[index];
      if (current) list[index] = { ...current, ...answer };
    };
  }

  /** Records a request and its answer at once. */
  record(caseKey: string, entry: LedgerEntry): void {
    this.#list(caseKey).push(entry);
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
