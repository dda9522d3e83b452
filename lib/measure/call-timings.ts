// Where a batch's time goes, call by call, for the benchmark and for anyone asking why a run is slow:
// CORS_MATRIX_TIMINGS=<file> makes every batch append one JSON line per call into a page (and one per batch) to
// <file>. Off by default; when off, nothing is measured beyond two clock reads per call.
import { appendFileSync } from 'node:fs';

/** One call into a page: how many units and cases it carried, the time in the page and the time spent awaiting the engine's words. */
export interface CallTiming {
  readonly kind: 'call';
  readonly engine: string;
  readonly profile: string;
  readonly page: string;
  /** A step of a sequence driven across pages (one call per step), or units run in one page. */
  readonly acrossPages: boolean;
  readonly units: number;
  readonly cases: number;
  /** Cases per family in this call. */
  readonly families: Readonly<Record<string, number>>;
  /** Cases the page saw rejected (a network error): the ones whose engine words are awaited. */
  readonly rejected: number;
  readonly inPageMs: number;
  /** From the call's return until its rejected cases were heard or waited for; it runs beside the next calls. */
  readonly waitMs: number;
  /** Rejected cases no message was heard for: case id and family. */
  readonly unheard: readonly { readonly caseId: string; readonly family: string }[];
}

/**
 * One `measure` call of a batch: its cases, and the time in planning, planting cookies (`visits` first-party visits),
 * the calls, the engine's words still awaited after the last call returned, and recovery.
 */
export interface BatchTiming {
  readonly kind: 'batch';
  readonly engine: string;
  readonly profile: string;
  readonly cases: number;
  readonly families: Readonly<Record<string, number>>;
  readonly visits: number;
  readonly planMs: number;
  readonly cookiesMs: number;
  readonly callsMs: number;
  readonly wordsMs: number;
  readonly recoveryMs: number;
  readonly totalMs: number;
}

export type Timing = CallTiming | BatchTiming;

export const TIMINGS_ENV = 'CORS_MATRIX_TIMINGS';

/** Writes timings where CORS_MATRIX_TIMINGS says, or nowhere. Read once per process. */
export function timingsSink(env: NodeJS.ProcessEnv = process.env): ((timing: Timing) => void) | undefined {
  const file = env[TIMINGS_ENV];
  if (!file) return undefined;
  return (timing) => appendFileSync(file, `${JSON.stringify({ pid: process.pid, at: Date.now(), ...timing })}\n`);
}

/** How many of the given items each family has. */
export function familyCounts(families: Iterable<string>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const family of families) counts[family] = (counts[family] ?? 0) + 1;
  return counts;
}
