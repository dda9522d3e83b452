import type { RequestListener } from 'node:http';
import type { RunningServers } from '../../servers/start-servers.ts';
import { INTERNAL_HEADER } from '../model/intent.ts';
import { MIDDLEWARE_ADAPTERS, type BuiltApp, type MiddlewareAdapter, type MiddlewareName, type MiddlewareOptions, type RouteHooks } from '../middleware/index.ts';
import { SHARED_CACHE_CONTROL, suiteId, type AnyMiddlewareSuite, type AppSuite } from '../model/middleware-suite.ts';

function adapterFor<Name extends MiddlewareName>(name: Name): MiddlewareAdapter<MiddlewareOptions[Name]> {
  return MIDDLEWARE_ADAPTERS[name] as MiddlewareAdapter<MiddlewareOptions[Name]>;
}

function isBuiltApp(value: unknown): value is BuiltApp {
  return typeof value === 'object' && value !== null && 'listener' in value && typeof value.listener === 'function' && 'close' in value && typeof value.close === 'function';
}

/** Your own app's factory, called once; a bare listener gets a close that releases nothing. */
async function buildOwnApp(suite: AppSuite, servers: Pick<RunningServers, 'origins'>, hooks: RouteHooks): Promise<BuiltApp> {
  let built: unknown;
  try {
    built = await suite.app(servers.origins, hooks);
  } catch (error) {
    throw new Error(`middleware suite "${suiteId(suite)}": app() threw while building the app: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (typeof built === 'function') return { listener: built as RequestListener, close: async () => {} };
  if (isBuiltApp(built)) return built;
  throw new TypeError(`middleware suite "${suiteId(suite)}": field app: must return a request listener (req, res) => void, or { listener, close }`);
}

/** The real apps of one worker: each suite's middleware built once with its options, behind the harness's servers. */
export class AppCatalog {
  readonly #built = new Map<string, Promise<BuiltApp>>();

  constructor(
    private readonly suites: readonly AnyMiddlewareSuite[],
    private readonly servers: Pick<RunningServers, 'origins' | 'handlerRuns'>,
  ) {}

  #build(suite: AnyMiddlewareSuite): Promise<BuiltApp> {
    const exposed = Object.fromEntries((suite.intent.exposedHeaders ?? []).map((name) => [name, 'exposed']));
    const hooks: RouteHooks = {
      onHandler: (req) => void this.servers.handlerRuns.add(req),
      responseHeaders: { ...exposed, [INTERNAL_HEADER]: 'secret', ...(suite.sharedCache && { 'Cache-Control': SHARED_CACHE_CONTROL }) },
    };
    if (suite.middleware === 'app') return buildOwnApp(suite, this.servers, hooks);
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
    // A build that failed has nothing to release; its error was reported by the case that asked for it.
    await Promise.all([...this.#built.values()].map(async (built) => (await built.catch(() => undefined))?.close()));
  }
}
