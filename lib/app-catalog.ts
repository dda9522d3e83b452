import type { RequestListener } from 'node:http';
import type { RunningServers } from '../servers/start-servers.ts';
import { INTERNAL_HEADER } from './intent.ts';
import { MIDDLEWARE_ADAPTERS, type BuiltApp, type MiddlewareAdapter, type MiddlewareName, type MiddlewareOptions } from './middleware/index.ts';
import { suiteId, type AnyMiddlewareSuite } from './middleware-suite.ts';

function adapterFor<Name extends MiddlewareName>(name: Name): MiddlewareAdapter<MiddlewareOptions[Name]> {
  return MIDDLEWARE_ADAPTERS[name] as MiddlewareAdapter<MiddlewareOptions[Name]>;
}

/** The real apps of one worker: each suite's middleware built once with its options, behind the harness's servers. */
export class AppCatalog {
  readonly #built = new Map<string, Promise<BuiltApp>>();

  constructor(
    private readonly suites: readonly AnyMiddlewareSuite[],
    private readonly servers: RunningServers,
  ) {}

  #build(suite: AnyMiddlewareSuite): Promise<BuiltApp> {
    const exposed = Object.fromEntries((suite.intent.exposedHeaders ?? []).map((name) => [name, 'exposed']));
    const hooks = { onHandler: (req: Parameters<RunningServers['handlerRuns']['add']>[0]) => void this.servers.handlerRuns.add(req), responseHeaders: { ...exposed, [INTERNAL_HEADER]: 'secret' } };
    const options = suite.options(this.servers.origins);
    // The union of suites is checked at definition; here the pairing of adapter and options is known to hold.
    return adapterFor(suite.middleware).build(options as never, hooks);
  }

  async listenerFor(id: string): Promise<RequestListener> {
    let built = this.#built.get(id);
    if (!built) {
      const suite = this.suites.find((s) => suiteId(s) === id);
      if (!suite) throw new Error(`no middleware suite "${id}"`);
      built = this.#build(suite);
      this.#built.set(id, built);
    }
    return (await built).listener;
  }

  async close(): Promise<void> {
    await Promise.all([...this.#built.values()].map(async (built) => (await built).close()));
  }
}
