import type { EngineName, HarnessProblemCode, Verdict } from '../oracle/vocabulary.ts';
import type { HostedOriginName, OriginName } from './origins.ts';
import type { Prediction } from '../oracle/index.ts';
import type { Policy } from './policy.ts';
import type { ProfileName } from './profiles.ts';
import type { Probe } from './probes.ts';

export interface ExpectedOutcome {
  readonly verdict: Verdict;
  /** Whether the engine must send a preflight. */
  readonly preflight?: boolean;
  /** Response headers the script must be able to read (names). */
  readonly readable?: readonly string[];
  /** Response headers the script must not be able to read (names). */
  readonly hidden?: readonly string[];
  /** Exactly which of the harness's cookies (`cm_lax`, `cm_none`) must reach the server with the actual request. */
  readonly cookies?: readonly string[];
  /**
   * Whether the request must reach the server's own handler (a write that happened), whatever the script could read.
   * CORS guards reading, not sending: a cross-site form post or no-cors fetch reaches the handler with the cookies the
   * engine chose to send.
   */
  readonly reachedHandler?: boolean;
  /** For a harness error: which problem it must be (a crashed engine must not pass for a server that never answered). */
  readonly harnessProblem?: HarnessProblemCode;
}

/**
 * Where a deviation comes from: a scenario's own words, a departure from the Fetch Standard declared once with its
 * evidence (lib/model/engine-deviations.ts), or an engine's preflight cache as modelled (lib/oracle/cache.ts).
 */
export type DeviationSource = 'scenario' | 'known-engine-deviation' | 'engine-cache-model';

/** Where an engine really differs from the others, with the reason. */
export interface EngineDeviation extends Partial<ExpectedOutcome> {
  readonly because: string;
  /** Absent: the scenario says so. */
  readonly source?: DeviationSource;
}

export interface Expectation extends ExpectedOutcome {
  readonly why?: string;
  /** Where an engine differs under every profile (or under the default profile, `as-shipped`, when `profiles` says otherwise). */
  readonly engines?: Partial<Record<EngineName, EngineDeviation>>;
  /**
   * Where an engine differs under one profile (lib/model/profiles.ts), laid over its `engines` entry: what a setting
   * of the browser changes, such as third-party cookies blocked under `strict`.
   */
  readonly profiles?: Partial<Record<ProfileName, Partial<Record<EngineName, EngineDeviation>>>>;
}

export interface RequestRow {
  /** Written as the script writes it: `patch` stays lower case. */
  readonly method: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly credentials?: RequestCredentials;
  readonly mode?: 'cors' | 'no-cors' | 'same-origin';
  readonly redirect?: RequestRedirect;
  /** How the script makes the request. Default `fetch`. See {@link REQUEST_KINDS}. */
  readonly kind?: RequestKind;
}

/**
 * The ways a page makes a request, each performed by servers/assets/request-kinds.js (fetch by the runner itself).
 * `credentials: 'include'` means withCredentials (XHR, EventSource) or crossorigin="use-credentials" (elements);
 * `mode: 'no-cors'` on an element kind means no crossorigin attribute.
 */
export const REQUEST_KINDS = [
  'fetch',
  'xhr',
  'xhr-upload-listener',
  'event-source',
  'worker-fetch',
  'blob-worker-fetch',
  'data-worker-fetch',
  'img-canvas',
  'script',
  'font',
  'preload',
  'websocket',
  'form',
] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

/** One case: a row of typed data. */
export interface CaseRow {
  /** How the title describes the server, for example `server allows PUT only`. */
  readonly server: string;
  /** The requesting page's origin. Default `page`. */
  readonly from?: OriginName;
  readonly to: HostedOriginName;
  readonly request: RequestRow;
  readonly policy: Policy;
  /**
   * Left out, or given without a verdict, the oracle (lib/oracle) supplies what is missing from the Fetch Standard;
   * every field written here wins over it.
   */
  readonly expect?: Verdict | StatedExpectation;
  /** Set on rows that depend on state the engine keeps between requests; see {@link SequenceStep}. */
  readonly sequence?: SequenceStep;
  /** Set on rows written from a web-platform-tests subtest: the run counts each engine's WPT passes per file. */
  readonly wpt?: WptSubtest;
}

/** A web-platform-tests subtest a row is written from: its file under `fetch/api/cors/` and its exact title. */
export interface WptSubtest {
  readonly file: string;
  readonly subtest: string;
  /** What the subtest asserts of the fetch: it resolves, or it rejects with a TypeError. */
  readonly outcome: 'resolves' | 'TypeError';
}

/**
 * Rows that share state in the engine (the preflight cache, the HTTP cache, cookies) cannot run concurrently with
 * unique URLs: rows of one family with the same sequence `id` run one after another, in row order, after the
 * independent cases, against one shared URL.
 */
export interface SequenceStep {
  readonly id: string;
  /** Wait this long after the previous step before this one (real time: the engines' caches run on the wall clock). */
  readonly afterMs?: number;
}

/** An expectation as a scenario writes it: any field may be left to the oracle. */
export type StatedExpectation = Partial<Expectation>;

export interface ScenarioFamily {
  readonly family: string;
  /** One line: what this family proves. */
  readonly proves: string;
  readonly cases: readonly CaseRow[];
}

/** A case ready to run: validated, defaults filled in, named. */
export interface Case {
  readonly id: string;
  readonly family: string;
  /** The family's one line on what it proves. */
  readonly proves: string;
  readonly title: string;
  readonly server: string;
  readonly from: OriginName;
  readonly to: HostedOriginName;
  readonly request: Required<Omit<RequestRow, 'body' | 'headers' | 'kind'>> & {
    readonly headers: Readonly<Record<string, string>>;
    readonly body: string | null;
    /** Absent for `fetch`. */
    readonly kind?: RequestKind;
  };
  /** What answers the case. */
  readonly target: CaseTarget;
  /** For a case derived from an intent: what it probes (findings and the diagnosis name it). */
  readonly probe?: Probe;
  readonly expect: Expectation;
  /** Where the verdict came from: written in the scenario, predicted by the oracle, or meant by an intent. */
  readonly verdictFrom: 'scenario' | 'oracle' | 'intent';
  /** Set when the expectation is a declared finding about the server rather than what was meant. */
  readonly finding?: string;
  /** With a finding: the verdict the intent meant, which the finding's expectation replaced. */
  readonly intendedVerdict?: Verdict;
  /** The oracle's prediction, when it could make one. */
  readonly oracle?: OracleSummary;
  /** Set when the oracle could not speak for this case (engine policy, not the Fetch Standard), saying why. */
  readonly oracleSilent?: string;
  /** Set when the case is one step of an ordered sequence; `step` counts from 0 in row order. */
  readonly sequence?: SequenceStep & { readonly step: number };
  /** The web-platform-tests subtest the row was written from, if it was. */
  readonly wpt?: WptSubtest;
}

/**
 * What answers a case: a declared policy on the harness's own servers, a real app (a middleware behind its framework),
 * or a server outside the harness (yours), reached through the front proxy — then `from`/`to` are only placeholders.
 */
export type CaseTarget =
  | { readonly kind: 'policy'; readonly policy: Policy }
  | ({ readonly kind: 'app' } & AppRef)
  | ({ readonly kind: 'external' } & ExternalRef);

export interface AppRef {
  /** The middleware suite's id, `middleware/label`. */
  readonly suite: string;
  readonly middleware: string;
  /** The options as the suite shows them. */
  readonly options: string;
}

export interface ExternalRef {
  /** The requesting page's real origin, e.g. `https://app.example.com` (for a null-origin case, the page hosting the frame). */
  readonly pageOrigin: string;
  /** The URL requested, without the case parameter the harness adds. */
  readonly url: string;
  /** The config's `server` kind, where it names one: the diagnosis writes fixes as that server's configuration. */
  readonly server?: string;
}

export function defineScenarios(family: ScenarioFamily): ScenarioFamily {
  return family;
}

/** The middleware suite whose app answers the case, if one does. */
export function suiteOf(testCase: Pick<Case, 'target'>): string | undefined {
  return testCase.target.kind === 'app' ? testCase.target.suite : undefined;
}

/** What the oracle said about one case: the summary a record and a report carry. */
export interface OracleSummary {
  readonly verdict: Prediction['verdict'];
  readonly preflightSent: boolean;
  readonly readableHeaders: readonly string[];
  readonly reasons: readonly string[];
}
