/**
 * Runs a replay (lib/e2e/replay.ts) through the matrix's own machinery, as own-server mode does: the harness's servers
 * (startServers) serve the runner page under your page origins' host names, the fixture's API proxy (one front proxy
 * per API origin, recording into those servers' ledger) forwards to your API, the engine is launched by the engine
 * layer (launchEngine: WebKitGTK's MiniBrowser over WebDriver here) with that proxy, and BatchMeasurer measures the
 * cases; judgeCase judges them. One environment per engine per Playwright worker, started when a test first asks.
 */
import { startServers, type RunningServers } from '../../servers/start-servers.ts';
import { judgeCase } from '../judge/judge-case.ts';
import { BatchMeasurer } from '../measure/batch.ts';
import type { EngineName } from '../measure/engines/engine.ts';
import { launchEngine } from '../measure/engines/launch.ts';
import { startApiProxy, type ApiProxy } from './api-proxy.ts';
import type { CheckedCorsOptions } from './options.ts';
import type { CorsRequestRecord } from './record.ts';
import { CorsReplayError, replayedRecord, type ReplayPlan } from './replay.ts';

/** The engine layer's launch, as the replay calls it. */
export type LaunchEngine = typeof launchEngine;

interface Environment {
  /** The page host names its proxy serves the runner page under. */
  readonly hosts: ReadonlySet<string>;
  readonly measurer: BatchMeasurer;
  close(): Promise<void>;
}

async function closeAll(steps: readonly (() => Promise<unknown>)[]): Promise<void> {
  for (const step of steps) await step().catch(() => undefined);
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

/** Starts the servers, the proxy and the engine; each step that fails stops everything before it. */
async function startEnvironment(engine: EngineName, options: CheckedCorsOptions, hosts: ReadonlySet<string>, call: string, launchWith: LaunchEngine): Promise<Environment> {
  const started: (() => Promise<unknown>)[] = [];
  try {
    const servers: RunningServers = await startServers();
    started.unshift(() => servers.close());
    const proxy: ApiProxy = await startApiProxy(options, { hosts: [...hosts], listener: servers.listener, ledger: servers.ledger, handlerRuns: servers.handlerRuns });
    started.unshift(() => proxy.close());
    const launch = () => launchWith(engine, { proxy: proxy.url });
    let session;
    try {
      session = await launch();
    } catch (error) {
      throw new CorsReplayError(call, `${engine} could not be launched through the matrix's engine layer, and a replay needs it running on this machine: ${error instanceof Error ? error.message : String(error)}`);
    }
    const measurer = new BatchMeasurer({ session, servers, relaunch: launch });
    started.unshift(() => measurer.close());
    console.log(`cors-matrix: replaying in ${session.info.name} ${session.info.version} (${session.info.build} build via ${session.info.protocol}: ${session.info.executable})`);
    return { hosts, measurer, close: () => closeAll(started) };
  } catch (error) {
    await closeAll(started);
    if (error instanceof CorsReplayError) throw error;
    throw new CorsReplayError(call, `the replay's servers did not start (a harness error, not a CORS result): ${firstLine(error)}`);
  }
}

/** The replay environments of one Playwright worker: at most one per engine, each started on first use. */
export class ReplayEngines {
  readonly #environments = new Map<EngineName, Promise<Environment>>();

  constructor(
    private readonly options: CheckedCorsOptions,
    /** The engine layer's launch (the tests hand in one that fails). */
    private readonly launch: LaunchEngine = launchEngine,
  ) {}

  async #environment(engine: EngineName, hosts: ReadonlySet<string>, call: string): Promise<Environment> {
    const known = this.#environments.get(engine);
    if (known) {
      const ready = await known.catch(() => undefined);
      // A page origin on a host the running proxy does not serve: it is started again with every host so far.
      if (ready && [...hosts].every((h) => ready.hosts.has(h))) return ready;
      await ready?.close();
      this.#environments.delete(engine);
      if (ready) hosts = new Set([...ready.hosts, ...hosts]);
    }
    const starting = startEnvironment(engine, this.options, hosts, call, this.launch);
    this.#environments.set(engine, starting);
    // A launch that failed is tried again by the next replay, which then names the same fix.
    starting.catch(() => this.#environments.delete(engine));
    return starting;
  }

  /** Measures the plan's cases in the engine and judges them; one record per case, in order. */
  async replay(engine: EngineName, plan: ReplayPlan, from: EngineName, call: string): Promise<CorsRequestRecord[]> {
    if (plan.cases.length === 0) return [];
    const hosts = new Set(plan.cases.map((c) => (c.testCase.target.kind === 'external' ? new URL(c.testCase.target.pageOrigin).hostname.toLowerCase() : '')));
    const environment = await this.#environment(engine, hosts, call);
    const measurements = await environment.measurer.measure(plan.cases.map((c) => ({ testCase: c.testCase, repeat: 0 })));
    return plan.cases.map((c, i) => {
      const measurement = measurements[i];
      if (!measurement) throw new Error(`${call}: case ${c.testCase.id} was given to ${engine} but not measured`);
      return replayedRecord(c, judgeCase(c.testCase, measurement), from, measurement.startedAt);
    });
  }

  async close(): Promise<void> {
    const environments = [...this.#environments.values()];
    this.#environments.clear();
    await Promise.all(environments.map(async (ready) => (await ready.catch(() => undefined))?.close()));
  }
}
