import type { RequestListener } from 'node:http';
import type { EngineName } from '../oracle/vocabulary.ts';
import type { Intent, Probe } from './intent.ts';
import type { BuiltApp, MiddlewareName, MiddlewareOptions, RouteHooks } from '../middleware/index.ts';
import type { HostedOriginName, OriginMap, OriginName } from './origins.ts';
import type { ExpectedOutcome } from './scenario.ts';
import type { SessionCookie } from './session-cookies.ts';

/**
 * Where a middleware does something other than what was meant, found by running it: declared beside its suite, so
 * the suite expects it and the run reports it as a finding.
 */
export interface MiddlewareFinding {
  readonly probe: Probe;
  /** Only for requests from these origins (default: every origin the probe runs from). */
  readonly from?: OriginName | readonly OriginName[];
  /** What the engines really do instead of what the intent means. */
  readonly observed: Partial<ExpectedOutcome>;
  /** Only in these engines (default: all). */
  readonly engines?: readonly EngineName[];
  /** The finding, in a sentence: what the middleware does and why it matters. */
  readonly finding: string;
}

/** What a suite has in common, whichever app answers: the intent, where the API is served, and the findings. */
interface SuiteBase {
  /** Names the option set, e.g. `list` or `credentials`. Kebab-case, unique per middleware (per `'app'`). */
  readonly label: string;
  /** The options as the title shows them, e.g. `{ origin: [page, other-port] }`. */
  readonly optionsText: string;
  readonly intent: Intent;
  /** Where the API is served. Default `cross-site`. */
  readonly target?: HostedOriginName;
  /** The report's family for the suite's cases. Default `middleware <name>` (`middleware app` for your own app). */
  readonly family?: string;
  readonly findings?: readonly MiddlewareFinding[];
  /**
   * The victim's session: cookies planted on the API origin by a first-party visit before credentialed cases run.
   * Default: `cm_lax` (SameSite=Lax) and `cm_none` (SameSite=None; Secure).
   */
  readonly sessionCookies?: readonly SessionCookie[];
  /** Keep the observed matrix in a snapshot file next to the spec, and fail the cases that change (lib/snapshot). */
  readonly snapshot?: boolean;
  /**
   * Serve the API behind the harness's shared cache (the `shared-cache` origin), every answer of the route cacheable
   * by it (`Cache-Control: public, s-maxage=60`). The suite's cases are then one sequence: `readers` GET one URL
   * through the cache, in order, each held to what the intent means for it — so a middleware that omits
   * `Vary: Origin` on any answer hands one origin's answer to the next, and the run shows it (a finding if declared).
   */
  readonly sharedCache?: SharedCacheReaders;
}

/** Who reads through the shared cache, in order: at least two different origins. */
export interface SharedCacheReaders {
  readonly readers: readonly OriginName[];
}

/** What the route of a suite behind the shared cache adds to its answers, so that the cache may store them. */
export const SHARED_CACHE_CONTROL = 'public, s-maxage=60';

/** One built-in middleware adapter with one set of its own options, checked against what those options were meant to do. */
export interface MiddlewareSuite<Name extends MiddlewareName = MiddlewareName> extends SuiteBase {
  readonly middleware: Name;
  /** The middleware's own options; a function of the harness's origins so that they can name real ports. */
  readonly options: (origins: OriginMap) => MiddlewareOptions[Name];
}

/**
 * What an app factory may hand back: a Node request listener (an Express or Koa `app.callback()`, a Hono
 * `getRequestListener(app.fetch)`, …), or a listener with a `close()` that releases what the framework holds.
 */
export type AppListener = RequestListener | BuiltApp;

/**
 * Builds your own app for the harness's origins, once per test worker. Every request the harness sends goes to
 * `/api/<case>` on the suite's target origin, with the methods the intent names (and a few it does not), so the app
 * must route `/api/*` for them. The route handler that answers must call `hooks.onHandler(req)` (so the ledger can
 * tell a request that got past the middleware from one it stopped) and set `hooks.responseHeaders` on its answer (so
 * the exposed- and hidden-header checks have something to read).
 */
export type AppFactory = (origins: OriginMap, hooks: RouteHooks) => AppListener | Promise<AppListener>;

/** Your own app (your middleware, your framework, your routes), checked against what it is meant to do. */
export interface AppSuite extends SuiteBase {
  readonly middleware: 'app';
  readonly app: AppFactory;
}

/** A suite for any of the built-in adapters, or for your own app. */
export type AnyMiddlewareSuite = { readonly [Name in MiddlewareName]: MiddlewareSuite<Name> }[MiddlewareName] | AppSuite;

/** Checks the types of a list of suites for one or more middlewares, or for your own app (`middleware: 'app'`). */
export function defineMiddlewareSuites(suites: readonly AnyMiddlewareSuite[]): readonly AnyMiddlewareSuite[] {
  return suites;
}

export function suiteId(suite: Pick<AnyMiddlewareSuite, 'middleware' | 'label'>): string {
  return `${suite.middleware}/${suite.label}`;
}
