import type { HeaderLine } from './policy.ts';

export type ArrivalKind = 'preflight' | 'actual';

/** One request as the server saw it arrive. */
export interface LedgerEntry {
  readonly at: number;
  readonly kind: ArrivalKind;
  readonly method: string;
  /** `scheme://host:port` the request was addressed to. */
  readonly target: string;
  readonly origin: string | undefined;
  readonly accessControlRequestMethod: string | undefined;
  readonly accessControlRequestHeaders: string | undefined;
  /** Names of the cookies the request carried. */
  readonly cookies: readonly string[];
  /** Whether the route's own handler ran (a preflight never reaches it). */
  readonly handlerRan: boolean;
  readonly status: number;
  readonly responseHeaders: readonly HeaderLine[];
}

/** Something the server saw that no case can be blamed on as a CORS result: a malformed request, an unknown case. */
export interface ServerFault {
  readonly at: number;
  readonly message: string;
}

/** The server's record of what actually arrived. The same-origin policy blocks reading, not sending: this is the truth. */
export class Ledger {
  readonly #entries = new Map<string, LedgerEntry[]>();
  readonly #faults: ServerFault[] = [];

  record(caseKey: string, entry: LedgerEntry): void {
    const list = this.#entries.get(caseKey);
    if (list) list.push(entry);
    else this.#entries.set(caseKey, [entry]);
  }

  fault(message: string, at = Date.now()): void {
    this.#faults.push({ at, message });
  }

  entriesFor(caseKey: string): readonly LedgerEntry[] {
    return this.#entries.get(caseKey) ?? [];
  }

  faultsBetween(from: number, to: number): readonly ServerFault[] {
    return this.#faults.filter((f) => f.at >= from && f.at <= to);
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
