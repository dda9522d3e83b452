import type { RunningServers } from '../../servers/start-servers.ts';
import { casePath, withCaseQuery } from '../model/case-identity.ts';
import type { LedgerEntry, ServerFault } from '../model/ledger.ts';
import { hostingOrigin, serializedOrigin } from '../model/origins.ts';
import type { PageReport, PageRequest, PageStepReport, PageUnit } from '../model/page-report.ts';
import type { Case } from '../model/scenario.ts';
import { sessionCookiePath, type SessionCookie } from '../model/session-cookies.ts';
import type { CaseTarget } from '../../servers/case-registry.ts';
import type { AppCatalog } from './app-catalog.ts';
import type { EngineSession } from './engines/engine.ts';
import type { Measurement } from './measurement.ts';
import { refusedRequestFaults, withRefusedPage } from './refused-certificate.ts';

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
  /** Per request: past this the page gives up and the case is a harness error. */
  readonly timeoutMs?: number;
  /** Run every case in a fresh browsing context, one after another: the benchmark's naive baseline. */
  readonly naive?: boolean;
}

const DEFAULT_CONCURRENCY = 32;
const DEFAULT_TIMEOUT_MS = 10_000;
// One call into a page carries at most this many units, so a crashed call costs a bounded share of the batch.
const UNITS_PER_CALL = 250;
// Engines log a block a moment after the fetch rejects.
const REASON_SETTLE_MS = 150;

/** One case to measure; the same case may be measured more than once in a batch (`--repeat-each`). */
export interface MeasureItem {
  readonly testCase: Case;
  readonly repeat: number;
}

interface PlannedCase {
  readonly item: MeasureItem;
  readonly testCase: Case;
  readonly key: string;
  readonly pageUrl: string;
  readonly request: PageRequest;
  readonly requestOrigin: string;
}

/** Cases that share engine state, in step order; an independent case is a sequence of one. */
interface PlannedUnit {
  readonly cases: readonly PlannedCase[];
  /** All steps are requested from one page, so the page can run them on its own. */
  readonly pageUrl: string | undefined;
}

type StepResult = PageStepReport;

const ENGINE_FAILED = 'the engine failed: ';

// Playwright appends the browser's whole log to its errors: the first line says what happened.
function engineFailure(error: unknown, died?: string): PageReport {
  const text = error instanceof Error ? error.message : String(error);
  return { kind: 'harness-error', message: `${ENGINE_FAILED}${died ? `${died}; ` : ''}${text.split('\n')[0]}` };
}

function engineFailed(steps: readonly StepResult[]): boolean {
  return steps.some((s) => s.report.kind === 'harness-error' && s.report.message.startsWith(ENGINE_FAILED));
}

function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms)));
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Each planned unit's latest attempt: the unit as last planned (fresh keys after a fault) and its step results. */
class Attempts {
  readonly #latest = new Map<PlannedUnit, PlannedUnit>();

  constructor(private readonly results: Map<PlannedUnit, StepResult[]>) {}

  unitOf(unit: PlannedUnit): PlannedUnit {
    return this.#latest.get(unit) ?? unit;
  }

  stepsOf(unit: PlannedUnit): StepResult[] {
    return this.results.get(this.unitOf(unit)) ?? [];
  }

  replace(unit: PlannedUnit, again: { readonly unit: PlannedUnit; readonly steps: StepResult[] }): void {
    this.#latest.set(unit, again.unit);
    this.results.set(again.unit, again.steps);
  }
}

/**
 * Measures many cases in one engine: every case registered under its own key (a sequence under one shared key),
 * the harness's cookies planted first-party where credentials go along, then the units of each requesting page sent
 * into that already-open page in a few calls, run there concurrently. Nothing is judged here.
 */
export class BatchMeasurer {
  #session: EngineSession;

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

  async #target(testCase: Case): Promise<CaseTarget> {
    if (testCase.policy) return { kind: 'policy', policy: testCase.policy };
    if (testCase.external) return { kind: 'external' };
    if (!testCase.app || !this.env.apps) throw new Error(`case ${testCase.id} has neither a policy nor an app catalog to serve it`);
    return { kind: 'app', listener: await this.env.apps.listenerFor(testCase.app.suite) };
  }

  async #plan(items: readonly MeasureItem[]): Promise<PlannedUnit[]> {
    const { origins, registry } = this.env.servers;
    const sequenceKeys = new Map<string, string>();
    const units = new Map<string, PlannedCase[]>();
    for (const [index, item] of items.entries()) {
      const { testCase } = item;
      const sequence = testCase.sequence && `${testCase.family}/${testCase.sequence.id}#${item.repeat}`;
      let key = sequence === undefined ? undefined : sequenceKeys.get(sequence);
      if (key === undefined) {
        key = registry.register(sequence === undefined ? testCase.id : testCase.id.replace(/-\d{3}-.*$/, `-seq-${testCase.sequence?.id}`), await this.#target(testCase));
        if (sequence !== undefined) sequenceKeys.set(sequence, key);
      }
      const { external } = testCase;
      const url = external ? withCaseQuery(external.url, key) : `${origins[testCase.to]}${casePath(key)}`;
      const pageUrl = `${external ? external.pageOrigin : origins[hostingOrigin(testCase.from)]}/__cm/page`;
      const request: PageRequest = {
        ...(testCase.request.kind !== undefined && { kind: testCase.request.kind }),
        url,
        method: testCase.request.method,
        headers: Object.entries(testCase.request.headers),
        body: testCase.request.body,
        credentials: testCase.request.credentials,
        mode: testCase.request.mode,
        redirect: testCase.request.redirect,
        inNullFrame: testCase.from === 'null',
        timeoutMs: DEFAULT_TIMEOUT_MS,
      };
      const requestOrigin = external && testCase.from !== 'null' ? external.pageOrigin : serializedOrigin(testCase.from, origins);
      const planned: PlannedCase = { item, testCase, key, pageUrl, request, requestOrigin };
      const unitId = sequence ?? `item:${index}`;
      units.set(unitId, [...(units.get(unitId) ?? []), planned]);
    }
    return [...units.values()].map((steps) => {
      const pages = new Set(steps.map((s) => s.pageUrl));
      return { cases: steps, pageUrl: pages.size === 1 ? steps[0]?.pageUrl : undefined };
    });
  }

  /** The requests a batch would make for these items, each under a fresh key: what the benchmark's floor sends bare. */
  async requestsFor(items: readonly MeasureItem[]): Promise<{ readonly pageUrl: string; readonly request: PageRequest }[]> {
    return (await this.#plan(items)).flatMap((unit) => unit.cases.map(({ pageUrl, request }) => ({ pageUrl, request })));
  }

  /** Plants the victim's session on every API origin a credentialed case requests, by a first-party visit, once each. */
  async #plantCookies(cases: readonly Case[]): Promise<void> {
    const { origins } = this.env.servers;
    const visits = new Set<string>();
    for (const c of cases) {
      if (c.request.credentials === 'omit') continue;
      const origin = c.external ? new URL(c.external.url).origin : origins[c.to];
      visits.add(`${origin}${sessionCookiePath(this.env.sessionCookiesFor?.(c))}`);
    }
    // A host that cannot be visited (the unreachable origin) gets no cookies; its cases say so for themselves.
    for (const url of visits) await this.#session.visit(url).catch(() => undefined);
  }

  async #runInPage(pageUrl: string, units: readonly PlannedUnit[], limit: number): Promise<StepResult[][]> {
    const results: StepResult[][] = [];
    for (let i = 0; i < units.length; i += UNITS_PER_CALL) {
      const chunk = units.slice(i, i + UNITS_PER_CALL);
      const pageUnits: PageUnit[] = chunk.map((unit) => ({
        steps: unit.cases.map((c) => ({
          request: c.request,
          afterMs: c.testCase.sequence?.afterMs ?? 0,
          ...(c.testCase.sequence && { markUrl: `${new URL(c.pageUrl).origin}/__cm/mark/${c.key}/${c.testCase.sequence.step}` }),
        })),
      }));
      const longest = Math.max(...pageUnits.map((u) => u.steps.reduce((sum, s) => sum + s.afterMs + s.request.timeoutMs, 0)));
      const started = Date.now();
      try {
        const budget = longest + Math.ceil(chunk.length / limit) * DEFAULT_TIMEOUT_MS + 30_000;
        results.push(...(await withDeadline(this.#session.runUnits(pageUrl, pageUnits, limit), budget, this.#session.info.name)));
      } catch (error) {
        const failed = engineFailure(error, await this.#session.whatDied().catch(() => undefined));
        results.push(...chunk.map((unit) => unit.cases.map(() => ({ report: failed, startedAt: started, finishedAt: Date.now() }))));
      }
    }
    return results;
  }

  /** Measures a unit again under fresh keys, so nothing the earlier attempt left in the ledger is counted. */
  async #remeasure(unit: PlannedUnit): Promise<{ readonly unit: PlannedUnit; readonly steps: StepResult[] }> {
    const [fresh = unit] = await this.#plan(unit.cases.map((c) => c.item));
    await this.#plantCookies(fresh.cases.map((c) => c.testCase));
    const steps = fresh.pageUrl === undefined ? await this.#runAcrossPages(fresh) : ((await this.#runInPage(fresh.pageUrl, [fresh], 1))[0] ?? []);
    return { unit: fresh, steps };
  }

  /**
   * The engine died under the batch (a crash, a killed driver or display): every unit that was in flight or still to
   * come failed with it. Each of those is measured again on its own in a relaunched engine; one that kills the engine
   * again keeps its harness error, and the engine is relaunched for the next.
   */
  async #recoverEngine(units: readonly PlannedUnit[], attempts: Attempts): Promise<void> {
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
    for (const unit of units.filter((u) => engineFailed(attempts.stepsOf(u)))) {
      // A unit that fails right after a relaunch is the one that kills the engine; one that fails later may have been
      // taken down by the unit before it (a display dies a moment after its last answer), so it gets one more try.
      const tries = alive ? 2 : 1;
      for (let attempt = 0; attempt < tries; attempt++) {
        if ((!alive || attempt > 0) && !(await relaunched())) return;
        const again = await this.#remeasure(attempts.unitOf(unit));
        alive = !engineFailed(again.steps);
        if (alive) {
          attempts.replace(unit, again);
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
  async #recoverTarget(units: readonly PlannedUnit[], attempts: Attempts): Promise<void> {
    const revive = this.env.reviveTarget;
    if (!revive) return;
    const { ledger } = this.env.servers;
    const unanswered = (unit: PlannedUnit): boolean => unit.cases.some((c) => ledger.faultsFor(c.key).some((f) => f.code === 'target-unreachable'));
    const hit = units.filter((u) => unanswered(attempts.unitOf(u)));
    for (const [index, unit] of hit.entries()) {
      try {
        await revive();
      } catch (error) {
        const why = (error instanceof Error ? error.message : String(error)).split('\n')[0];
        for (const left of hit.slice(index)) for (const c of attempts.unitOf(left).cases) ledger.fault(`it was not brought back: ${why}`, c.key, Date.now(), 'target-unreachable');
        return;
      }
      attempts.replace(unit, await this.#remeasure(attempts.unitOf(unit)));
    }
  }

  /** A sequence whose steps come from different pages is driven from here, one step at a time. */
  async #runAcrossPages(unit: PlannedUnit): Promise<StepResult[]> {
    const steps: StepResult[] = [];
    for (const planned of unit.cases) {
      const afterMs = planned.testCase.sequence?.afterMs ?? 0;
      if (afterMs > 0) await pause(afterMs);
      const [result] = await this.#runInPage(planned.pageUrl, [{ cases: [planned], pageUrl: planned.pageUrl }], 1);
      steps.push(result?.[0] ?? { report: engineFailure('no result'), startedAt: Date.now(), finishedAt: Date.now() });
    }
    return steps;
  }

  async #runNaively(unit: PlannedUnit): Promise<StepResult[]> {
    const steps: StepResult[] = [];
    for (const planned of unit.cases) {
      const startedAt = Date.now();
      const report = await this.#session.runIsolated(planned.pageUrl, planned.request).catch(engineFailure);
      steps.push({ report, startedAt, finishedAt: Date.now() });
    }
    return steps;
  }

  /** Measures the items; the result has one measurement per item, in the order given. */
  async measure(items: readonly MeasureItem[], options: BatchOptions = {}): Promise<Measurement[]> {
    const limit = options.concurrency ?? DEFAULT_CONCURRENCY;
    const units = await this.#plan(items);
    await this.#plantCookies(items.map((i) => i.testCase));
    const results = new Map<PlannedUnit, StepResult[]>();
    // A unit measured again after a fault is measured under fresh keys: its last attempt is the one judged.
    const final = new Map<PlannedUnit, PlannedUnit>();
    if (options.naive) {
      for (const unit of units) results.set(unit, await this.#runNaively(unit));
    } else {
      const byPage = new Map<string, PlannedUnit[]>();
      for (const unit of units) if (unit.pageUrl !== undefined) byPage.set(unit.pageUrl, [...(byPage.get(unit.pageUrl) ?? []), unit]);
      for (const [pageUrl, pageUnits] of byPage) {
        const pageResults = await this.#runInPage(pageUrl, pageUnits, limit);
        pageUnits.forEach((unit, i) => results.set(unit, pageResults[i] ?? []));
      }
      for (const unit of units) if (unit.pageUrl === undefined) results.set(unit, await this.#runAcrossPages(unit));
      const attempts = new Attempts(results);
      await this.#recoverEngine(units, attempts);
      await this.#recoverTarget(units, attempts);
      for (const unit of units) final.set(unit, attempts.unitOf(unit));
    }
    const anyRejected = [...results.values()].some((steps) => steps.some((s) => s.report.kind === 'rejected'));
    if (anyRejected && !('unavailable' in this.#session.messages)) await pause(REASON_SETTLE_MS);
    const measured = new Map<MeasureItem, Measurement>();
    for (const first of units) {
      const unit = final.get(first) ?? first;
      const steps = results.get(unit) ?? [];
      unit.cases.forEach((planned, i) => {
        const step = steps[i] ?? { report: engineFailure('the page returned no result for this case'), startedAt: Date.now(), finishedAt: Date.now() };
        const until = unit.cases.length > 1 ? steps[i + 1]?.startedAt : undefined;
        measured.set(planned.item, this.#measurement(planned, step, until));
      });
    }
    return items.map((item) => {
      const measurement = measured.get(item);
      if (!measurement) throw new Error(`case ${item.testCase.id} was planned but never measured`);
      return measurement;
    });
  }

  #measurement(planned: PlannedCase, step: StepResult, until: number | undefined): Measurement {
    const { ledger } = this.env.servers;
    const sequence = planned.testCase.sequence;
    // The steps of a sequence share a key: the page marks each step's start on the server, which divides the key's
    // arrivals between the steps in arrival order (the page's clock is the fallback, and divides the faults).
    const from = sequence ? step.startedAt - 1 : 0;
    const to = sequence ? (until ?? Number.MAX_SAFE_INTEGER) : Number.MAX_SAFE_INTEGER;
    const inStep = (at: number) => at >= from && at < to;
    const marked = sequence ? ledger.entriesOfStep(planned.key, sequence.step) : undefined;
    const entries: readonly LedgerEntry[] = marked ?? ledger.entriesFor(planned.key).filter((e) => inStep(e.at));
    const faults: ServerFault[] = [...ledger.faultsFor(planned.key).filter((f) => inStep(f.at)), ...refusedRequestFaults(ledger, planned.key, planned.request.url, step, entries)];
    const log = this.#session.messages;
    const reasons = 'unavailable' in log ? [] : log.forCase(planned.key, step.startedAt - 1, until).map((m) => `${m.source}: ${m.text}`);
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
      engineReasons: reasons,
      ...('unavailable' in log && { engineReasonsUnavailable: log.unavailable }),
      startedAt: step.startedAt,
      durationMs: step.finishedAt - step.startedAt,
    };
  }
}
