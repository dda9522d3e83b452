import type { RunningServers } from '../../servers/start-servers.ts';
import type { CaseTarget as RegisteredTarget } from '../../servers/case-registry.ts';
import type { LedgerEntry, ServerFault } from '../model/ledger.ts';
import type { PageReport, PageStepReport, PageUnit } from '../model/page-report.ts';
import type { Case } from '../model/scenario.ts';
import { sessionCookiePath, type SessionCookie } from '../model/session-cookies.ts';
import type { HarnessProblemCode } from '../oracle/vocabulary.ts';
import type { AppCatalog } from './app-catalog.ts';
import { EngineCallError, type EngineSession } from './engines/engine.ts';
import type { Measurement } from './measurement.ts';
import { planUnits, REQUEST_TIMEOUT_MS, type MeasureItem, type PlannedCase, type PlannedUnit } from './plan.ts';
import { refusedRequestFaults, withRefusedPage } from './refused-certificate.ts';
import { familyCounts, timingsSink, type Timing } from './call-timings.ts';

export type { MeasureItem } from './plan.ts';

/** What a batch measures against: one running engine, the harness's servers, and the real apps of middleware suites. */
export interface MeasureEnvironment {
  readonly session: EngineSession;
  readonly servers: RunningServers;
  readonly apps?: AppCatalog;
  /**
   * Starts the engine anew after it died under a batch; without it, the units in flight when it died are harness
   * errors and the batch goes on with a dead engine.
   */
  readonly relaunch?: () => Promise<EngineSession>;
  /**
   * Brings your server back after it stopped answering (own-server mode): starts its command again, or waits for it.
   * Without it, the cases it did not answer stay harness errors.
   */
  readonly reviveTarget?: () => Promise<void>;
  /** The session cookies a logged-in user holds on the case's API origin; undefined means the defaults. */
  readonly sessionCookiesFor?: (testCase: Case) => readonly SessionCookie[] | undefined;
}

export interface BatchOptions {
  /** Units in flight at once in one page. Engines keep six connections per host; more only queues in the engine. */
  readonly concurrency?: number;
}

// A request's time limit runs from the script's call, queueing in the engine included: with 32 in flight, Firefox on a
// loaded machine (a soak beside benchmarks, load ~15) held 23 same-site requests of one page past their 10 s. Eight
// in flight costs little (quiet machine, 2026-12-05: Firefox matrix+middleware 47.5 s at 32, 49.3 s at 8;
// Chromium+WebKit 53.7 s and 49.3 s; the whole six-project matrix 3 min 23 s at 32, 3 min 51 s at 8 in one run each).
const DEFAULT_CONCURRENCY = 8;
// One call into a page carries at most this many units, so a crashed call costs a bounded share of the batch.
const UNITS_PER_CALL = 250;
// Engines log a block a moment after the fetch rejects, over another channel: the batch waits for a message naming
// each rejected case, this long at most after the page saw it fail. The wait runs beside the next calls, so a failure
// the engine says nothing about (a dropped connection) holds the batch only when it is among the last to fail.
const REASON_WAIT_MS = 2_000;
/** How many times a first-party visit that plants the victim's session is made before the cases it serves are harness errors. */
const VISIT_ATTEMPTS = 2;

/** One step's result, and whether the call into the engine that should have made it failed (then the engine is suspect). */
interface StepResult extends PageStepReport {
  readonly callFailed?: true;
}

/** What the engine said about one planned case, read from the session that measured it (it may be relaunched later). */
interface EngineWords {
  readonly reasons: readonly string[];
  readonly unavailable?: string;
}

/** One attempt at a unit: the unit as planned for it (fresh keys after a fault), its steps, and the engine's words. */
interface Attempt {
  readonly unit: PlannedUnit;
  readonly steps: readonly StepResult[];
  readonly words: ReadonlyMap<PlannedCase, EngineWords>;
}

/** An attempt whose call has returned while the engine's words about its failed cases may still be on their way. */
interface PendingAttempt {
  readonly unit: PlannedUnit;
  readonly steps: readonly StepResult[];
  /** Settles once every rejected case of the attempt was heard, or waited for long enough. */
  readonly heard: Promise<unknown>;
}

/** The longest pause chain first, so that a sequence's waits overlap the rest of its page's units. */
function pauseOf(unit: PlannedUnit): number {
  return unit.cases.reduce((sum, c) => sum + (c.testCase.sequence?.afterMs ?? 0), 0);
}

function longestFirst(units: readonly PlannedUnit[]): PlannedUnit[] {
  return [...units].sort((a, b) => pauseOf(b) - pauseOf(a));
}

class DeadlineError extends Error {}

/** A case's family as the timings name it: a middleware or audit suite by its suite. */
function familyOf(testCase: Case | undefined): string {
  if (!testCase) return 'unknown';
  const suite = testCase.target.kind === 'app' ? testCase.target.suite : undefined;
  return suite === undefined ? testCase.family : `${testCase.family} ${suite}`;
}

function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new DeadlineError(`${what} did not finish within ${ms} ms`)), ms)));
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Why a call into the engine failed, as a harness problem: told by what the engine layer knew, never by the words. */
function failedCallCode(error: unknown, died: string | undefined): HarnessProblemCode {
  if (died !== undefined) return 'engine-crashed';
  if (error instanceof EngineCallError) return error.code;
  if (error instanceof DeadlineError) return 'timeout';
  return 'engine-crashed';
}

// Playwright appends the browser's whole log to its errors: the first line says what happened.
function failedCall(error: unknown, died: string | undefined, startedAt: number): StepResult {
  const text = error instanceof Error ? error.message : String(error);
  const report: PageReport = { kind: 'harness-error', code: failedCallCode(error, died), message: `the engine failed: ${died ? `${died}; ` : ''}${text.split('\n')[0]}` };
  return { report, startedAt, finishedAt: Date.now(), callFailed: true };
}

function callFailed(steps: readonly StepResult[]): boolean {
  return steps.some((s) => s.callFailed === true);
}

/**
 * Measures many cases in one engine: every case registered under its own key (a sequence under one shared key),
 * the victim's session planted first-party where credentials go along, then the units of each requesting page sent
 * into that already-open page in a few calls, run there concurrently. Nothing is judged here.
 */
export class BatchMeasurer {
  #session: EngineSession;
  /** API origins whose session could not be planted, with why: their credentialed cases cannot say what cookies do. */
  readonly #unplanted = new Map<string, string>();
  /** Where per-call timings go (CORS_MATRIX_TIMINGS), or nowhere. */
  readonly #timings: ((timing: Timing) => void) | undefined = timingsSink();

  constructor(private readonly env: MeasureEnvironment) {
    this.#session = env.session;
  }

  /** The engine measuring now: the one given, or the one launched after it died. */
  get session(): EngineSession {
    return this.#session;
  }

  async close(): Promise<void> {
    await this.#session.close();
  }

  #plan(items: readonly MeasureItem[]): Promise<PlannedUnit[]> {
    return planUnits(items, this.env.servers, (testCase) => this.#registered(testCase));
  }

  async #registered(testCase: Case): Promise<RegisteredTarget> {
    const { target } = testCase;
    switch (target.kind) {
      case 'policy':
        return { kind: 'policy', policy: target.policy };
      case 'external':
        return { kind: 'external' };
      case 'app':
        if (!this.env.apps) throw new Error(`case ${testCase.id} is answered by the app of suite ${target.suite}, but this environment has no app catalog`);
        return { kind: 'app', listener: await this.env.apps.listenerFor(target.suite) };
    }
  }

  /**
   * Runs jobs that each drive their own page (or visit): several at once where the engine keeps a page per origin,
   * one after another where it has one window. Results in the order of the jobs.
   */
  async #inTurn<T>(jobs: readonly (() => Promise<T>)[]): Promise<T[]> {
    // Opening a page and a sequence's pauses are waits, not work, and overlap where the engine drives several tabs.
    const atOnce = this.#session.pagesAtOnce ?? 1;
    const results: T[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let i = next++; i < jobs.length; i = next++) results[i] = await jobs[i]!();
    };
    await Promise.all(Array.from({ length: Math.min(atOnce, jobs.length) }, worker));
    return results;
  }

  /** Plants the victim's session on every API origin a credentialed case requests, by a first-party visit, once each. */
  async #plantCookies(cases: readonly PlannedCase[]): Promise<number> {
    const visits = new Map<string, string>();
    for (const c of cases) {
      if (c.testCase.request.credentials === 'omit') continue;
      visits.set(c.apiOrigin, `${c.apiOrigin}${sessionCookiePath(this.env.sessionCookiesFor?.(c.testCase))}`);
    }
    await this.#inTurn(
      [...visits].map(([origin, url]) => async () => {
        // The visit is the harness's setup, not a measurement: one that failed is made once more (its tab is closed,
        // so the second goes through another). Seen once in 6 whole-matrix runs: Firefox's goto of a reused tab
        // "interrupted by another navigation".
        let failure: unknown;
        for (let attempt = 0; attempt < VISIT_ATTEMPTS; attempt++) {
          try {
            await this.#session.visit(url);
            this.#unplanted.delete(origin);
            return;
          } catch (error) {
            failure = error;
          }
        }
        // Kept, not dropped: "no cookie" would otherwise read exactly like an engine blocking third-party cookies.
        this.#unplanted.set(origin, `the first-party visit to ${url} failed ${VISIT_ATTEMPTS} times, the last: ${(failure instanceof Error ? failure.message : String(failure)).split('\n')[0]}`);
      }),
    );
    return visits.size;
  }

  /**
   * Awaits the engine's words about the cases of one call that the page saw rejected, each up to REASON_WAIT_MS after
   * it failed; resolves with the keys never heard of. Nothing is read here: the words are read once every wait of
   * the batch is over (#settle), so a message that comes late for one case is still read if another wait was on.
   */
  #hear(units: readonly PlannedUnit[], results: readonly (readonly StepResult[])[]): { readonly rejected: number; readonly unheard: Promise<readonly string[]> } {
    const log = this.#session.messages;
    if ('unavailable' in log) return { rejected: 0, unheard: Promise.resolve([]) };
    const rejected = units.flatMap((unit, u) =>
      unit.cases.flatMap((c, i) => {
        const step = results[u]?.[i];
        return step?.report.kind === 'rejected' ? [{ key: c.key, since: step.startedAt - 1, failedAt: step.finishedAt }] : [];
      }),
    );
    return { rejected: rejected.length, unheard: log.waitFor(rejected, REASON_WAIT_MS) };
  }

  /** One call into the open page at `pageUrl` with units of one chunk; the engine's words are awaited beside what comes next. */
  async #call(pageUrl: string, chunk: readonly PlannedUnit[], limit: number, acrossPages: boolean): Promise<PendingAttempt[]> {
    const pageUnits: PageUnit[] = chunk.map((unit) => ({
      steps: unit.cases.map((c) => ({
        request: c.request,
        afterMs: c.testCase.sequence?.afterMs ?? 0,
        ...(c.testCase.sequence && { markUrl: `${new URL(c.pageUrl).origin}/__cm/mark/${c.key}/${c.testCase.sequence.step}` }),
      })),
    }));
    const longest = Math.max(...pageUnits.map((u) => u.steps.reduce((sum, s) => sum + s.afterMs + s.request.timeoutMs, 0)));
    const started = Date.now();
    let results: StepResult[][];
    try {
      const budget = longest + Math.ceil(chunk.length / limit) * REQUEST_TIMEOUT_MS + 30_000;
      results = await withDeadline(this.#session.runUnits(pageUrl, pageUnits, limit), budget, this.#session.info.name);
    } catch (error) {
      const failed = failedCall(error, await this.#session.whatDied().catch(() => undefined), started);
      results = chunk.map((unit) => unit.cases.map(() => failed));
    }
    const returned = Date.now();
    const { rejected, unheard } = this.#hear(chunk, results);
    const timings = this.#timings;
    const { name, profile } = this.#session.info;
    const heard = !timings
      ? unheard
      : unheard.then((keys) => {
          const cases = chunk.flatMap((unit) => unit.cases);
          const byKey = new Map(cases.map((c) => [c.key, c.testCase]));
          timings({
            kind: 'call',
            engine: name,
            profile,
            page: new URL(pageUrl).origin,
            acrossPages,
            units: chunk.length,
            cases: cases.length,
            families: familyCounts(cases.map((c) => familyOf(c.testCase))),
            rejected,
            inPageMs: returned - started,
            waitMs: Date.now() - returned,
            unheard: keys.map((key) => ({ caseId: byKey.get(key)?.id ?? key, family: familyOf(byKey.get(key)) })),
          });
        });
    return chunk.map((unit, u) => ({ unit, steps: results[u] ?? [], heard }));
  }

  /** Runs units in the open page at `pageUrl`, in calls of a bounded size; a failed call fails its own units only. */
  async #runInPage(pageUrl: string, units: readonly PlannedUnit[], limit: number, acrossPages = false): Promise<PendingAttempt[]> {
    const attempts: PendingAttempt[] = [];
    for (let i = 0; i < units.length; i += UNITS_PER_CALL) attempts.push(...(await this.#call(pageUrl, units.slice(i, i + UNITS_PER_CALL), limit, acrossPages)));
    return attempts;
  }

  /** A sequence whose steps come from different pages is driven from here, one step at a time. */
  async #runAcrossPages(unit: PlannedUnit): Promise<PendingAttempt> {
    const steps: StepResult[] = [];
    const heard: Promise<unknown>[] = [];
    for (const planned of unit.cases) {
      const afterMs = planned.testCase.sequence?.afterMs ?? 0;
      if (afterMs > 0) await pause(afterMs);
      const [attempt] = await this.#runInPage(planned.pageUrl, [{ cases: [planned], pageUrl: planned.pageUrl }], 1, true);
      steps.push(attempt?.steps[0] ?? failedCall(new Error('the page returned no result for this step'), undefined, Date.now()));
      if (attempt) heard.push(attempt.heard);
    }
    return { unit, steps, heard: Promise.all(heard) };
  }

  /**
   * Once every wait is over, what the engine said about each case of these attempts, read from the session that
   * measured them (it may be relaunched later): a step's words are those from its start to the next step's.
   */
  async #settle(pending: readonly PendingAttempt[]): Promise<Attempt[]> {
    await Promise.all(pending.map((p) => p.heard));
    const log = this.#session.messages;
    return pending.map(({ unit, steps }) => {
      const words = new Map<PlannedCase, EngineWords>();
      unit.cases.forEach((c, i) => {
        if ('unavailable' in log) return words.set(c, { reasons: [], unavailable: log.unavailable });
        const step = steps[i];
        const until = unit.cases.length > 1 ? steps[i + 1]?.startedAt : undefined;
        return words.set(c, { reasons: step ? log.forCase(c.key, step.startedAt - 1, until).map((m) => `${m.source}: ${m.text}`) : [] });
      });
      return { unit, steps, words };
    });
  }

  async #run(unit: PlannedUnit): Promise<Attempt> {
    const pending = unit.pageUrl === undefined ? [await this.#runAcrossPages(unit)] : await this.#runInPage(unit.pageUrl, [unit], 1);
    const [attempt] = await this.#settle(pending);
    return attempt ?? { unit, steps: [], words: new Map() };
  }

  /** Measures a unit again under fresh keys, so nothing the earlier attempt left in the ledger is counted. */
  async #remeasure(unit: PlannedUnit): Promise<Attempt> {
    const [fresh = unit] = await this.#plan(unit.cases.map((c) => c.item));
    await this.#plantCookies(fresh.cases);
    return this.#run(fresh);
  }

  /**
   * The engine died under the batch (a crash, a killed driver or display): every unit that was in flight or still to
   * come failed with it. Each of those is measured again on its own in a relaunched engine; one that kills the engine
   * again keeps its harness error, and the engine is relaunched for the next. What the dead engine said about the
   * units it did measure was read before it died, and stays with them.
   */
  async #recoverEngine(attempts: Attempt[]): Promise<void> {
    const relaunch = this.env.relaunch;
    if (!relaunch) return;
    const relaunched = async (): Promise<boolean> => {
      await this.#session.close().catch(() => undefined);
      try {
        this.#session = await relaunch();
        return true;
      } catch {
        return false;
      }
    };
    let alive = false;
    for (const [index, attempt] of attempts.entries()) {
      if (!callFailed(attempt.steps)) continue;
      // A unit that fails right after a relaunch is the one that kills the engine; one that fails later may have been
      // taken down by the unit before it (a display dies a moment after its last answer), so it gets one more try.
      const tries = alive ? 2 : 1;
      for (let n = 0; n < tries; n++) {
        if ((!alive || n > 0) && !(await relaunched())) return;
        const again = await this.#remeasure(attempt.unit);
        alive = !callFailed(again.steps);
        if (alive) {
          attempts[index] = again;
          break;
        }
      }
    }
  }

  /**
   * Your server stopped answering under the batch (it crashed, or restarts): the units it did not answer are
   * measured again one by one once it answers again, started anew if its command ended. One that brings it down
   * again keeps its harness error, and the server is brought back for the next.
   */
  async #recoverTarget(attempts: Attempt[]): Promise<void> {
    const revive = this.env.reviveTarget;
    if (!revive) return;
    const { ledger } = this.env.servers;
    const unanswered = (unit: PlannedUnit): boolean => unit.cases.some((c) => ledger.faultsFor(c.key).some((f) => f.code === 'target-unreachable'));
    const hit = [...attempts.entries()].filter(([, a]) => unanswered(a.unit));
    for (const [n, [index, attempt]] of hit.entries()) {
      try {
        await revive();
      } catch (error) {
        const why = (error instanceof Error ? error.message : String(error)).split('\n')[0];
        for (const [, left] of hit.slice(n)) for (const c of left.unit.cases) ledger.fault('target-unreachable', `it was not brought back: ${why}`, c.key);
        return;
      }
      attempts[index] = await this.#remeasure(attempt.unit);
    }
  }

  /** Measures the items; the result has one measurement per item, in the order given. */
  async measure(items: readonly MeasureItem[], options: BatchOptions = {}): Promise<Measurement[]> {
    const limit = options.concurrency ?? DEFAULT_CONCURRENCY;
    const started = Date.now();
    const units = await this.#plan(items);
    const plannedAt = Date.now();
    const visits = await this.#plantCookies(units.flatMap((u) => u.cases));
    const plantedAt = Date.now();
    const byPage = new Map<string, PlannedUnit[]>();
    for (const unit of units) if (unit.pageUrl !== undefined) byPage.set(unit.pageUrl, [...(byPage.get(unit.pageUrl) ?? []), unit]);
    // Each page's units in calls, and each sequence that crosses pages step by step: the jobs with the longest pauses
    // first, so that where pages run at once their waits overlap everything else.
    const jobs = [
      ...[...byPage].map(([pageUrl, pageUnits]) => ({ pause: Math.max(...pageUnits.map(pauseOf)), run: () => this.#runInPage(pageUrl, longestFirst(pageUnits), limit) })),
      ...units.filter((unit) => unit.pageUrl === undefined).map((unit) => ({ pause: pauseOf(unit), run: async () => [await this.#runAcrossPages(unit)] })),
    ].sort((a, b) => b.pause - a.pause);
    const pending = (await this.#inTurn(jobs.map((job) => job.run))).flat();
    const calledAt = Date.now();
    // One attempt per unit, in the order of `units`; recovery replaces an attempt with the unit's next one.
    const attemptOf = new Map((await this.#settle(pending)).map((attempt) => [attempt.unit, attempt] as const));
    const settledAt = Date.now();
    const attempts = units.map((unit) => attemptOf.get(unit) ?? { unit, steps: [], words: new Map<PlannedCase, EngineWords>() });
    await this.#recoverEngine(attempts);
    await this.#recoverTarget(attempts);
    if (this.#timings) {
      const { name, profile } = this.#session.info;
      const families = familyCounts(items.map((item) => familyOf(item.testCase)));
      const now = Date.now();
      this.#timings({ kind: 'batch', engine: name, profile, cases: items.length, families, visits, planMs: plannedAt - started, cookiesMs: plantedAt - plannedAt, callsMs: calledAt - plantedAt, wordsMs: settledAt - calledAt, recoveryMs: now - settledAt, totalMs: now - started });
    }
    const measured = new Map<MeasureItem, Measurement>();
    for (const attempt of attempts) {
      const { unit, steps } = attempt;
      unit.cases.forEach((planned, i) => {
        const step = steps[i] ?? failedCall(new Error('the page returned no result for this case'), undefined, Date.now());
        const until = unit.cases.length > 1 ? steps[i + 1]?.startedAt : undefined;
        measured.set(planned.item, this.#measurement(planned, step, until, attempt.words.get(planned), unit.cases.length));
      });
    }
    return items.map((item) => {
      const measurement = measured.get(item);
      if (!measurement) throw new Error(`case ${item.testCase.id} was planned but never measured`);
      return measurement;
    });
  }

  /** The arrivals of one case: all its key's, or, in a sequence, those of its own step. */
  #arrivals(planned: PlannedCase, step: StepResult, steps: number): { readonly entries: readonly LedgerEntry[]; readonly lost?: ServerFault } {
    const { ledger } = this.env.servers;
    const sequence = planned.testCase.sequence;
    if (!sequence) return { entries: ledger.entriesFor(planned.key) };
    // The steps of a sequence share a key: the page marks each step's start on the server, which divides the key's
    // arrivals between the steps in arrival order. A lost mark leaves the boundary unknown: the step is not judged.
    const marked = ledger.entriesOfStep(planned.key, sequence.step, sequence.step === steps - 1);
    if ('missingMark' in marked) {
      const which = marked.missingMark === sequence.step ? 'its own mark' : `the mark of step ${marked.missingMark}, which ends it`;
      const message = `step ${sequence.step} of sequence "${sequence.id}" cannot be told apart from its neighbours: the server never received ${which}`;
      return { entries: [], lost: { at: step.startedAt, key: planned.key, code: 'step-mark-lost', message } };
    }
    return { entries: marked.entries };
  }

  #measurement(planned: PlannedCase, step: StepResult, until: number | undefined, words: EngineWords | undefined, steps: number): Measurement {
    const { ledger } = this.env.servers;
    const sequence = planned.testCase.sequence;
    const from = sequence ? step.startedAt - 1 : 0;
    const to = sequence ? (until ?? Number.MAX_SAFE_INTEGER) : Number.MAX_SAFE_INTEGER;
    const inStep = (at: number) => at >= from && at < to;
    const { entries, lost } = this.#arrivals(planned, step, steps);
    const faults: ServerFault[] = [...(lost ? [lost] : []), ...ledger.faultsFor(planned.key).filter((f) => inStep(f.at)), ...refusedRequestFaults(ledger, planned.key, planned.request.url, step, entries)];
    const unplanted = planned.testCase.request.credentials === 'omit' ? undefined : this.#unplanted.get(planned.apiOrigin);
    return {
      caseId: planned.testCase.id,
      key: planned.key,
      url: planned.request.url,
      pageUrl: planned.pageUrl,
      requestOrigin: planned.requestOrigin,
      engine: this.#session.info,
      report: withRefusedPage(ledger, planned.pageUrl, step),
      ledger: [...entries],
      faults,
      engineReasons: words?.reasons ?? [],
      ...(words?.unavailable !== undefined && { engineReasonsUnavailable: words.unavailable }),
      ...(unplanted !== undefined && { sessionNotPlanted: unplanted }),
      startedAt: step.startedAt,
      durationMs: step.finishedAt - step.startedAt,
    };
  }
}
