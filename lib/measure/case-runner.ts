import type { RunningServers } from '../../servers/start-servers.ts';
import { CASE_QUERY } from '../../servers/front-proxy.ts';
import { API_PREFIX } from '../../servers/policy-server.ts';
import { mismatches } from '../judge/compare.ts';
import type { EngineInfo, EngineSession } from './engines/engine.ts';
import type { OracleSummary } from '../model/case-oracle.ts';
import type { LedgerEntry } from '../model/ledger.ts';
import { hostingOrigin, serializedOrigin, type HostedOriginName, type OriginName } from '../model/origins.ts';
import type { Policy } from '../model/policy.ts';
import { classify, type CaseOutcome } from '../judge/outcome.ts';
import type { PageReport, PageRequest } from '../model/page-report.ts';
import { expectationFor, type AppRef, type Case, type ExpectedOutcome, type ExternalRef } from '../model/scenario.ts';
import type { AppCatalog } from './app-catalog.ts';
import type { CaseTarget } from '../../servers/case-registry.ts';

/** One case in one engine: what was asked, what arrived, what the script saw, and how that compares. */
export interface CaseRecord {
  readonly caseId: string;
  readonly family: string;
  readonly proves: string;
  readonly title: string;
  readonly engine: EngineInfo;
  readonly from: OriginName;
  readonly to: HostedOriginName;
  readonly server: string;
  readonly request: Case['request'];
  readonly policy?: Policy;
  readonly app?: AppRef;
  readonly external?: ExternalRef;
  /** Set when the expectation is a declared finding about the server rather than what was meant. */
  readonly finding?: string;
  readonly requestOrigin: string;
  readonly url: string;
  /** Why the default expectation is what it is, as the scenario says. */
  readonly why?: string;
  readonly expected: ExpectedOutcome & { readonly because?: string };
  readonly outcome: CaseOutcome;
  readonly ledger: readonly LedgerEntry[];
  readonly mismatches: readonly string[];
  /** The engine's own words about the case (console lines, DevTools CORS error codes). */
  readonly engineReasons: readonly string[];
  /** Set when the engine can give no reasons at all, saying why. */
  readonly engineReasonsUnavailable?: string;
  /** Where the expected verdict came from. */
  readonly verdictFrom: Case['verdictFrom'];
  /** What the Fetch Standard predicts, as the oracle reads it, with its chain of reasons. */
  readonly oracle?: OracleSummary;
  /** Set when the measured verdict is not the oracle's: a known engine deviation, a scenario's override, or a failure. */
  readonly oracleNote?: string;
  readonly durationMs: number;
}

export interface RunOptions {
  /** Run the fetch in a fresh browsing context instead of the open page: the benchmark's naive baseline. */
  readonly isolated?: boolean;
  readonly timeoutMs?: number;
}

const REASON_WAIT_MS = 250;
const REASON_STRAGGLER_MS = 20;

/** Engines log a block a moment after the fetch rejects: wait briefly for the first line, not for every case. */
async function engineReasons(session: EngineSession, caseKey: string, since: number, blocked: boolean): Promise<string[]> {
  const log = session.messages;
  if ('unavailable' in log) return [];
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const deadline = Date.now() + (blocked ? REASON_WAIT_MS : 0);
  while (log.forCase(caseKey, since).length === 0 && Date.now() < deadline) await pause(10);
  // Console and DevTools report the same block separately; give the second a moment to follow the first.
  if (blocked) await pause(REASON_STRAGGLER_MS);
  return log.forCase(caseKey, since).map((m) => `${m.source}: ${m.text}`);
}

function oracleNote(testCase: Case, outcome: CaseOutcome, expected: CaseRecord['expected']): string | undefined {
  const oracle = testCase.oracle;
  if (!oracle || oracle.verdict === outcome.verdict) return undefined;
  const measured = `measured ${outcome.verdict} where the Fetch Standard gives ${oracle.verdict}`;
  if (outcome.verdict !== expected.verdict) return `${measured}: a failure, not a declared deviation`;
  if (expected.because?.startsWith('known engine deviation')) return `${measured}: ${expected.because}`;
  return `${measured}: the scenario states this${testCase.expect.why ? ` (${testCase.expect.why})` : ''}`;
}

function withCaseParameter(url: string, key: string): string {
  const withKey = new URL(url);
  withKey.searchParams.set(CASE_QUERY, key);
  return withKey.href;
}

function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms)));
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** Runs cases against one engine and one set of servers. Cases share the engine's open pages; URLs keep them apart. */
export class CaseRunner {
  readonly #cookiesSetAt = new Set<string>();

  constructor(
    private readonly session: EngineSession,
    private readonly servers: RunningServers,
    private readonly apps?: AppCatalog,
  ) {}

  async #target(testCase: Case): Promise<CaseTarget> {
    if (testCase.policy) return { kind: 'policy', policy: testCase.policy };
    if (testCase.external) return { kind: 'external' };
    if (!testCase.app || !this.apps) throw new Error(`case ${testCase.id} has neither a policy nor an app catalog to serve it`);
    return { kind: 'app', listener: await this.apps.listenerFor(testCase.app.suite) };
  }

  async #setCookiesAt(targetOrigin: string): Promise<void> {
    if (this.#cookiesSetAt.has(targetOrigin)) return;
    await this.session.visit(`${targetOrigin}/__cm/set-cookies`);
    this.#cookiesSetAt.add(targetOrigin);
  }

  async run(testCase: Case, options: RunOptions = {}): Promise<CaseRecord> {
    const { origins, registry, ledger } = this.servers;
    const timeoutMs = options.timeoutMs ?? 10_000;
    const key = registry.register(testCase.id, await this.#target(testCase));
    const { external } = testCase;
    const url = external ? withCaseParameter(external.url, key) : `${origins[testCase.to]}${API_PREFIX}${key}`;
    const pageUrl = `${external ? external.pageOrigin : origins[hostingOrigin(testCase.from)]}/__cm/page`;
    const request: PageRequest = {
      url,
      method: testCase.request.method,
      headers: Object.entries(testCase.request.headers),
      body: testCase.request.body,
      credentials: testCase.request.credentials,
      mode: testCase.request.mode,
      redirect: testCase.request.redirect,
      inNullFrame: testCase.from === 'null',
      timeoutMs,
    };
    const started = Date.now();
    let report: PageReport;
    try {
      if (testCase.request.credentials !== 'omit' && !external) await this.#setCookiesAt(origins[testCase.to]);
      const work = options.isolated ? this.session.runIsolated(pageUrl, request) : this.session.run(pageUrl, request);
      report = await withDeadline(work, timeoutMs + 20_000, `${this.session.info.name}`);
    } catch (error) {
      report = { kind: 'harness-error', message: `the engine failed: ${error instanceof Error ? error.message : String(error)}` };
    }
    const finished = Date.now();
    const reasons = await engineReasons(this.session, key, started, report.kind === 'rejected');
    const entries = ledger.entriesFor(key);
    const outcome = classify(report, entries, ledger.faultsBetween(started, finished));
    const expected = expectationFor(testCase.expect, this.session.info.name);
    const note = oracleNote(testCase, outcome, expected);
    return {
      caseId: testCase.id,
      family: testCase.family,
      proves: testCase.proves,
      title: testCase.title,
      engine: this.session.info,
      from: testCase.from,
      to: testCase.to,
      server: testCase.server,
      request: testCase.request,
      ...(testCase.policy && { policy: testCase.policy }),
      ...(testCase.app && { app: testCase.app }),
      ...(testCase.finding !== undefined && { finding: testCase.finding }),
      ...(external && { external }),
      ...(testCase.expect.why !== undefined && { why: testCase.expect.why }),
      requestOrigin: external && testCase.from !== 'null' ? external.pageOrigin : serializedOrigin(testCase.from, origins),
      url,
      expected,
      outcome,
      ledger: entries,
      mismatches: mismatches(expected, outcome),
      engineReasons: reasons,
      ...('unavailable' in this.session.messages && { engineReasonsUnavailable: this.session.messages.unavailable }),
      verdictFrom: testCase.verdictFrom,
      ...(testCase.oracle && { oracle: testCase.oracle }),
      ...(note !== undefined && { oracleNote: note }),
      durationMs: finished - started,
    };
  }
}
