import type { EngineName } from './engines/engine.ts';
import type { Intent, Probe } from './intent.ts';
import type { MiddlewareName, MiddlewareOptions } from './middleware/index.ts';
import type { HostedOriginName, OriginMap, OriginName } from './origins.ts';
import type { ExpectedOutcome } from './scenario.ts';

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

/** One middleware with one set of its own options, checked against what those options were meant to do. */
export interface MiddlewareSuite<Name extends MiddlewareName = MiddlewareName> {
  readonly middleware: Name;
  /** Names the option set, e.g. `list` or `credentials`. */
  readonly label: string;
  /** The middleware's own options; a function of the harness's origins so that they can name real ports. */
  readonly options: (origins: OriginMap) => MiddlewareOptions[Name];
  /** The options as the title shows them, e.g. `{ origin: [page, other-port] }`. */
  readonly optionsText: string;
  readonly intent: Intent;
  /** Where the API is served. Default `cross-site`. */
  readonly target?: HostedOriginName;
  /** The report's family for the suite's cases. Default `middleware <name>`. */
  readonly family?: string;
  readonly findings?: readonly MiddlewareFinding[];
}

export type AnyMiddlewareSuite = { readonly [Name in MiddlewareName]: MiddlewareSuite<Name> }[MiddlewareName];

/** Checks the types of a list of suites for one or more middlewares. */
export function defineMiddlewareSuites(suites: readonly AnyMiddlewareSuite[]): readonly AnyMiddlewareSuite[] {
  return suites;
}

export function suiteId(suite: Pick<MiddlewareSuite, 'middleware' | 'label'>): string {
  return `${suite.middleware}/${suite.label}`;
}
