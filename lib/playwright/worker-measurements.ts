import type { TestInfo } from '@playwright/test';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServers, type RunningServers } from '../../servers/start-servers.ts';
import { startFrontProxy, upstreamOf } from '../../servers/front-proxy.ts';
import { AppCatalog } from '../measure/app-catalog.ts';
import { BatchMeasurer, type MeasureItem } from '../measure/batch.ts';
import type { EngineName, EngineSession, RemoteEngine } from '../measure/engines/engine.ts';
import { launchEngine } from '../measure/engines/launch.ts';
import type { Measurement } from '../measure/measurement.ts';
import { findBuild } from '../measure/engines/find-builds.ts';
import { startTarget, TargetStartError, type TargetStartFields } from '../measure/target-process.ts';
import { suiteId, type AnyMiddlewareSuite } from '../model/middleware-suite.ts';
import { apiOriginOf, type OwnServerConfig } from '../model/own-server-config.ts';
import { DEFAULT_PROFILE, type ProfileName } from '../model/profiles.ts';
import { suiteOf, type Case } from '../model/scenario.ts';
import { MeasurementStore } from './measurement-store.ts';
import { measurementId, readSelection, workerRunDir } from './run-selection.ts';

/** A running place to measure in: an engine and the servers it requests from. */
export interface ReadyEnvironment {
  /** Measures in the engine session now running (a fresh one after `renewEngine`). */
  readonly measurer: BatchMeasurer;
  /** Ends the engine session and launches a fresh one against the same servers. */
  renewEngine(): Promise<void>;
  close(): Promise<void>;
}

/**
 * How many cases one engine session measures before a fresh session takes over. Firefox's WebDriver BiDi agent keeps
 * what it recorded of every request for the whole life of the session, freed neither when the page nor when the
 * context closes (measured with Firefox ESR 153 under Playwright 1.64.1: 4,000 answered fetches grow its parent
 * process by ~250 MiB, by ~60 MiB when refused at preflight; the same fetches without automation leave ~nothing), so a
 * 4,000-case batch grew it by 300–450 MiB. A fresh session costs one launch (~3.5 s). Chromium's and WebKit's
 * sessions show no growth worth a relaunch.
 */
export const CASES_PER_SESSION: Readonly<Record<EngineName, number>> = { chromium: Number.POSITIVE_INFINITY, firefox: 1000, webkit: Number.POSITIVE_INFINITY };

/**
 * A batch's items as the sessions measure them: whole units (a case, or every step of a sequence) in their order of
 * first appearance, at most `limit` cases to a session unless one unit alone has more.
 */
export function sessionChunks<T>(items: readonly T[], limit: number, unitOfItem: (item: T) => string): T[][] {
  const units = new Map<string, T[]>();
  for (const item of items) {
    const id = unitOfItem(item);
    const unit = units.get(id);
    if (unit) unit.push(item);
    else units.set(id, [item]);
  }
  const chunks: T[][] = [];
  let current: T[] = [];
  for (const unit of units.values()) {
    if (current.length > 0 && current.length + unit.length > limit) {
      chunks.push(current);
      current = [];
    }
    current.push(...unit);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** How to start an environment in a worker, for one engine. Started only when a case in it must be measured. */
type EnvironmentRecipe = (engineName: EngineName, remote: RemoteEngine | undefined, profile?: ProfileName) => Promise<ReadyEnvironment>;

// What the spec files loaded in this worker declared: every generated test's case, and where it is measured.
const registered = new Map<string, { readonly testCase: Case; readonly environment: string }>();
const recipes = new Map<string, EnvironmentRecipe>();
const middlewareSuites: AnyMiddlewareSuite[] = [];

async function closeAll(...steps: (() => Promise<void>)[]): Promise<void> {
  for (const step of steps) await step().catch(() => undefined);
}

function logEngine(session: EngineSession): void {
  const { info } = session;
  console.log(`cors-matrix: ${info.name} ${info.version} (${info.build} build via ${info.protocol}: ${info.executable}; profile ${info.profile})`);
}

const BUILTIN = 'builtin';

/**
 * An environment whose engine can be launched afresh: `start` launches an engine and gives its measurer (`first` for
 * the environment's first launch, which is logged; renewals are not); `stop` ends what the environment started
 * besides the engine.
 */
async function renewable(start: (first: boolean) => Promise<BatchMeasurer>, stop: () => Promise<void>): Promise<ReadyEnvironment> {
  let measurer = await start(true);
  logEngine(measurer.session);
  return {
    get measurer() {
      return measurer;
    },
    async renewEngine() {
      await measurer.close().catch(() => undefined);
      measurer = await start(false);
    },
    close: () => closeAll(() => measurer.close(), stop),
  };
}

/** What is measured as one: a case, or every step of its sequence. */
function unitOf(testCase: Case): string {
  return testCase.sequence ? `${testCase.family}/sequence/${testCase.sequence.id}` : testCase.id;
}

/** The harness's own servers, the real apps of the registered middleware suites, and a plain engine. */
const builtinRecipe: EnvironmentRecipe = async (engineName, remote, profile = DEFAULT_PROFILE) => {
  const servers: RunningServers = await startServers();
  const apps = new AppCatalog(middlewareSuites, servers);
  const launch = () => launchEngine(engineName, { profile, ...(remote && { remote }) });
  const start = async () =>
    new BatchMeasurer({
      session: await launch(),
      servers,
      apps,
      relaunch: launch,
      sessionCookiesFor: (testCase) => middlewareSuites.find((s) => suiteId(s) === suiteOf(testCase))?.sessionCookies,
    });
  const stop = () => closeAll(() => apps.close(), () => servers.close());
  try {
    return await renewable(start, stop);
  } catch (error) {
    await stop();
    throw error;
  }
};

/** Your server behind the front proxy, and an engine that goes through it (exported for the fault tests). */
export function ownServerRecipe(config: OwnServerConfig): EnvironmentRecipe {
  const pageOrigins = [...(config.intent.origins === '*' ? [] : config.intent.origins), ...(config.attackers ?? [])];
  const pageHosts = [...new Set(pageOrigins.map((o) => new URL(o).hostname))];
  const api = new URL(apiOriginOf(config));
  const apiHost = api.hostname;
  const apiPort = api.port || (api.protocol === 'https:' ? '443' : '80');
  return async (engineName, remote, profile = DEFAULT_PROFILE) => {
    // What is started so far, last first: each step that fails stops everything before it.
    const started: (() => Promise<void>)[] = [];
    try {
      const target = await startTarget(config.target);
      started.unshift(() => target.stop());
      const servers = await startServers();
      started.unshift(() => servers.close());
      const { listener, ledger, handlerRuns } = servers;
      const proxy = await startFrontProxy({ pageHosts, apiHost, apiPort, target: target.url, upstream: upstreamOf(config.target), pages: listener, ledger, handlerRuns, targetEnded: () => target.ended() });
      started.unshift(() => proxy.close());
      const settings = { profile, proxy: proxy.url, ...(remote && { remote }) };
      const launch = () => launchEngine(engineName, settings);
      // Each config's first session is a context of its own (its own proxy, cookies and caches) in the worker's one
      // Firefox; a renewal (CASES_PER_SESSION) or a relaunch after a crash gets a browser of its own, as before.
      const start = async (first: boolean) =>
        new BatchMeasurer({
          session: await launchEngine(engineName, { ...settings, shareBrowser: first }),
          servers,
          relaunch: launch,
          reviveTarget: () => target.revive(),
          sessionCookiesFor: () => config.sessionCookies,
        });
      return await renewable(start, () => closeAll(...started));
    } catch (error) {
      await closeAll(...started);
      throw error;
    }
  };
}

/** Declares cases measured in the harness's own environment (policy rows and middleware suites). */
export function registerBuiltinCases(cases: readonly Case[], suites: readonly AnyMiddlewareSuite[] = []): void {
  recipes.set(BUILTIN, builtinRecipe);
  for (const suite of suites) if (!middlewareSuites.includes(suite)) middlewareSuites.push(suite);
  for (const testCase of cases) registered.set(testCase.id, { testCase, environment: BUILTIN });
}

/** Declares the cases of one own-server config, measured through its own front proxy and engine. */
export function registerOwnServerCases(config: OwnServerConfig, cases: readonly Case[]): void {
  const environment = `own-server ${apiOriginOf(config)} ${JSON.stringify(config.target)}`;
  recipes.set(environment, ownServerRecipe(config));
  for (const testCase of cases) registered.set(testCase.id, { testCase, environment });
}

// Launching an engine and measuring a batch happen inside the first test that needs them: give it the time.
const BATCH_BASE_MS = 120_000;
const BATCH_PER_CASE_MS = 200;

/**
 * What a batch comes to when your server's command never answered: the batch's first case carries the whole error
 * (the command, the URL waited for, the server's last output), every other case says it was not measured because of it.
 * No engine was launched, so the engine is named as found, with no version.
 */
function notMeasured(items: readonly MeasureItem[], error: TargetStartError, engineName: EngineName, profile: ProfileName, named?: string): Measurement[] {
  const found = (() => {
    try {
      return findBuild(engineName);
    } catch {
      return undefined;
    }
  })();
  const engine = { name: engineName, version: 'not launched', build: found?.build ?? 'system', executable: found?.executable ?? '', protocol: 'playwright', profile } as const;
  const now = Date.now();
  // The case that carries the whole error in this column: one named earlier, or the first of this batch.
  const first = named ?? items[0]?.testCase.title;
  return items.map(({ testCase }, index): Measurement => {
    const target = testCase.target;
    const url = target.kind === 'external' ? target.url : '';
    const pageOrigin = target.kind === 'external' ? target.pageOrigin : '';
    const message =
      index === 0 && named === undefined
        ? error.message
        : error.unreachable !== undefined
          ? `not measured, because ${error.unreachable} (the case "${first}" gives the whole error)`
          : `not measured: your server did not start (${error.ended ? `its command ${error.ended}` : `no answer at ${error.url} within ${error.readyMs} ms`}; the case "${first}" gives the command and its last output)`;
    return {
      caseId: testCase.id,
      key: `${testCase.id}-not-measured`,
      url,
      pageUrl: `${pageOrigin}/__cm/page`,
      requestOrigin: testCase.from === 'null' ? 'null' : pageOrigin,
      engine,
      report: { kind: 'harness-error', code: 'target-unreachable', message },
      ledger: [],
      faults: [],
      engineReasons: [],
      engineReasonsUnavailable: 'no engine was launched: your server did not start',
      startedAt: now,
      durationMs: 0,
    };
  });
}

/**
 * The measure stage inside one Playwright worker (one engine project). The first test that needs a measurement
 * measures, in one batch, every case this run selected for the project that the worker's spec files declared and
 * that is not yet measured (whole sequences, never half of one); the measurements are kept in the run directory, so
 * a worker that Playwright restarts after a failed test judges them without launching the engine again. A retry
 * measures its case afresh.
 */
export class WorkerMeasurements {
  readonly #environments = new Map<string, Promise<ReadyEnvironment>>();
  /** Cases the running engine session of each environment has measured (see CASES_PER_SESSION). */
  readonly #inSession = new Map<string, number>();
  readonly #store: MeasurementStore;
  readonly #selection: ReadonlySet<string> | undefined;
  readonly #runDir: string | undefined;
  /** Your server's failed start per environment, with the case of this column that was given the whole error. */
  readonly #failedStarts = new Map<string, { readonly error: TargetStartError; readonly named: string }>();
  #warned = false;

  constructor(
    private readonly engineName: EngineName,
    project: string,
    private readonly remote?: RemoteEngine,
    private readonly profile: ProfileName = DEFAULT_PROFILE,
  ) {
    const runDir = workerRunDir();
    this.#runDir = runDir;
    this.#store = new MeasurementStore(runDir, project);
    this.#selection = readSelection(runDir, project);
  }

  /** Where this run keeps that your server did not start, for an environment: every engine's worker reads it. */
  #failedStartFile(environment: string): string | undefined {
    return this.#runDir && join(this.#runDir, 'target-failures', `${createHash('sha256').update(environment).digest('hex').slice(0, 16)}.json`);
  }

  /** Your server did not start earlier in this run (in any engine's worker): it is not waited for again. */
  #failedStart(environment: string): { readonly error: TargetStartError; readonly named?: string } | undefined {
    const known = this.#failedStarts.get(environment);
    if (known) return known;
    const file = this.#failedStartFile(environment);
    if (!file) return undefined;
    try {
      // Another engine's worker waited for it: not waited for again, but this column names it once too.
      return { error: TargetStartError.from(JSON.parse(readFileSync(file, 'utf8')) as TargetStartFields) };
    } catch {
      return undefined;
    }
  }

  #keepFailedStart(environment: string, error: TargetStartError, named: string): void {
    this.#failedStarts.set(environment, { error, named });
    const file = this.#failedStartFile(environment);
    if (!file) return;
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, JSON.stringify(error.fields));
  }

  #environment(id: string): Promise<ReadyEnvironment> {
    let ready = this.#environments.get(id);
    if (!ready) {
      const recipe = recipes.get(id);
      if (!recipe) throw new Error(`no environment "${id}" was declared in this worker`);
      ready = recipe(this.engineName, this.remote, this.profile);
      // A launch that failed is tried again by the next test, which then names the same fix.
      ready.catch(() => this.#environments.delete(id));
      this.#environments.set(id, ready);
      this.#inSession.set(id, 0);
    }
    return ready;
  }

  #isSelected(id: string): boolean {
    if (this.#selection) return this.#selection.has(id);
    if (!this.#warned) {
      this.#warned = true;
      console.warn('cors-matrix: no run selection found (add matrixReporters() to the config): each worker measures every case its spec files declare');
    }
    return true;
  }

  /** The cases of the given units (a case, or a whole sequence) declared for one environment, in declaration order. */
  #itemsOf(units: ReadonlySet<string>, environment: string, repeat: number): MeasureItem[] {
    return [...registered.values()]
      .filter((entry) => entry.environment === environment && units.has(unitOf(entry.testCase)))
      .map((entry) => ({ testCase: entry.testCase, repeat }));
  }

  /** The batch that the first unmeasured case of an environment triggers: every selected unit not measured yet. */
  #batchFor(testCase: Case, repeat: number, environment: string): MeasureItem[] {
    const units = new Set([unitOf(testCase)]);
    for (const [caseId, entry] of registered) {
      const id = measurementId(caseId, repeat);
      if (entry.environment === environment && !this.#store.has(id) && this.#isSelected(id)) units.add(unitOf(entry.testCase));
    }
    return this.#itemsOf(units, environment, repeat);
  }

  async #measure(items: readonly MeasureItem[], environment: string, testInfo: TestInfo): Promise<Measurement[]> {
    const limit = CASES_PER_SESSION[this.engineName];
    const chunks = sessionChunks(items, limit, (item) => unitOf(item.testCase));
    testInfo.setTimeout(testInfo.timeout + BATCH_BASE_MS * chunks.length + items.length * BATCH_PER_CASE_MS);
    // Your server never came up: one harness error that says why, and every other case of the batch not measured
    // for that reason (kept, so that no later test, restarted worker or other engine waits for the server again).
    const failed = this.#failedStart(environment);
    if (failed) {
      if (failed.named === undefined) this.#failedStarts.set(environment, { error: failed.error, named: items[0]?.testCase.title ?? '' });
      return notMeasured(items, failed.error, this.engineName, this.profile, failed.named);
    }
    let ready: ReadyEnvironment;
    try {
      ready = await this.#environment(environment);
    } catch (error) {
      if (!(error instanceof TargetStartError)) throw error;
      this.#keepFailedStart(environment, error, items[0]?.testCase.title ?? '');
      return notMeasured(items, error, this.engineName, this.profile);
    }
    const started = performance.now();
    // In sessions of at most `limit` cases: a session that measured its share is ended and a fresh one goes on.
    const measured = new Map<MeasureItem, Measurement>();
    for (const chunk of chunks) {
      const inSession = this.#inSession.get(environment) ?? 0;
      if (inSession > 0 && inSession + chunk.length > limit) {
        await ready.renewEngine();
        this.#inSession.set(environment, 0);
      }
      const results = await ready.measurer.measure(chunk);
      this.#inSession.set(environment, (this.#inSession.get(environment) ?? 0) + chunk.length);
      chunk.forEach((item, i) => {
        const result = results[i];
        if (result) measured.set(item, result);
      });
    }
    if (items.length > 1) console.log(`cors-matrix: ${ready.measurer.session.info.name} measured ${items.length} cases in ${((performance.now() - started) / 1000).toFixed(2)} s`);
    return items.map((item) => {
      const measurement = measured.get(item);
      if (!measurement) throw new Error(`case ${item.testCase.id} was given to the engine but not measured`);
      return measurement;
    });
  }

  /** The measurement a test judges: from this run's batch, or measured now (a retry always is). */
  async measurementFor(testCase: Case, testInfo: TestInfo): Promise<Measurement> {
    const environment = registered.get(testCase.id)?.environment;
    if (environment === undefined) throw new Error(`case ${testCase.id} was not declared through a cors-matrix test generator`);
    const repeat = testInfo.repeatEachIndex;
    const id = measurementId(testCase.id, repeat);
    if (testInfo.retry > 0) {
      const items = this.#itemsOf(new Set([unitOf(testCase)]), environment, repeat);
      const measured = await this.#measure(items, environment, testInfo);
      const own = measured[items.findIndex((item) => item.testCase.id === testCase.id)];
      if (own) return own;
    }
    const known = this.#store.get(id);
    if (known) return known;
    const items = this.#batchFor(testCase, repeat, environment);
    const measured = await this.#measure(items, environment, testInfo);
    this.#store.putAll(new Map(items.map((item, i) => [measurementId(item.testCase.id, item.repeat), measured[i]!] as const)));
    const own = this.#store.get(id);
    if (!own) throw new Error(`case ${testCase.id} was not measured in its batch`);
    return own;
  }

  async close(): Promise<void> {
    const environments = [...this.#environments.values()];
    this.#environments.clear();
    await Promise.all(environments.map(async (ready) => (await ready.catch(() => undefined))?.close()));
  }
}
