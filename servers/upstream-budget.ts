import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Ledger } from '../lib/model/ledger.ts';

/**
 * How much the front proxy may ask a deployed target: a request budget and a rate. A live API is somebody's
 * production; an audit that loops or a matrix that grows must not become load on it.
 */
export interface UpstreamLimits {
  /** Requests forwarded upstream at most, per front proxy (one per engine run). */
  readonly budget: number;
  /** Requests per second at most. */
  readonly rate: number;
}

/** Small on purpose: an own-server audit of a few routes needs a few hundred requests per engine. */
export const DEFAULT_UPSTREAM_LIMITS: UpstreamLimits = { budget: 400, rate: 10 };

/** The limits as one line, printed before the first request (the CLI and the worker say the same words). */
export function describeLimits(host: string, limits: UpstreamLimits): string {
  return `at most ${limits.budget} requests to ${host} per engine, ${limits.rate} per second (budget: target.budget / --budget, rate: target.rate / --rate)`;
}

/** Counts and paces the requests one front proxy forwards to a deployed target. */
export class UpstreamGate {
  readonly #host: string;
  readonly #limits: UpstreamLimits;
  #sent = 0;
  /** When the next request may leave, in ms since the epoch. */
  #nextAt = 0;
  #spentNamed = false;
  readonly #now: () => number;

  constructor(host: string, limits: UpstreamLimits, now: () => number = Date.now) {
    this.#host = host;
    this.#limits = limits;
    this.#now = now;
  }

  /**
   * Undefined and a wait until the request may leave; or, past the budget, why not: the whole sentence the first
   * time, a short pointer to it afterwards, so the budget is named once, not once per case.
   */
  take(): { readonly waitMs: number; readonly refused?: undefined } | { readonly refused: string } {
    if (this.#sent >= this.#limits.budget) {
      const first = !this.#spentNamed;
      this.#spentNamed = true;
      return {
        refused: first
          ? `the request budget for ${this.#host} is spent: ${this.#limits.budget} requests forwarded, no more are sent (raise target.budget / --budget if the API can take it)`
          : `not measured, because the request budget for ${this.#host} (${this.#limits.budget}) was spent`,
      };
    }
    this.#sent++;
    const now = this.#now();
    const at = Math.max(now, this.#nextAt);
    this.#nextAt = at + 1000 / this.#limits.rate;
    return { waitMs: at - now };
  }
}

/**
 * The reverse proxy's listener, behind the gate: each request waits its turn, and one past the budget is answered
 * here (502) with a harness error naming the budget, never forwarded. Without a gate (a server on this machine) the
 * listener is used as is. `forwards` says which requests go upstream at all (held-back writes do not count).
 */
export function withinBudget(gate: UpstreamGate | undefined, ledger: Ledger, key: string | undefined, forwards: (req: IncomingMessage) => boolean, listener: RequestListener): RequestListener {
  if (gate === undefined) return listener;
  return (req: IncomingMessage, res: ServerResponse) => {
    if (!forwards(req)) return listener(req, res);
    const turn = gate.take();
    if (turn.refused !== undefined) {
      req.resume();
      ledger.fault('server-fault', turn.refused, key);
      res.writeHead(502, { 'Content-Type': 'text/plain' }).end(`cors-matrix: ${turn.refused}`);
      return;
    }
    if (turn.waitMs <= 0) return listener(req, res);
    // The request body stays in the socket's buffer until the listener pipes it on.
    req.pause();
    setTimeout(() => listener(req, res), turn.waitMs);
  };
}

/**
 * The gate of one front proxy: none for a server on this machine, else the target's limits (the defaults where the
 * config gives none), printed once before the proxy forwards anything.
 */
export function gateFor(target: URL, upstream: { readonly deployed: boolean; readonly limits?: UpstreamLimits }): UpstreamGate | undefined {
  if (!upstream.deployed) return undefined;
  const limits = upstream.limits ?? DEFAULT_UPSTREAM_LIMITS;
  console.error(`cors-matrix: ${describeLimits(target.host, limits)}`);
  return new UpstreamGate(target.host, limits);
}
