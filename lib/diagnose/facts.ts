// What the diagnosis reads of one record: everything is already on it (the recorded judgement included); nothing
// here runs the oracle again or parses an id.
import type { CaseRecord } from '../judge/case-record.ts';
import { lastAnswered } from '../judge/recorded-oracle.ts';
import { headerValue, listValues } from '../model/headers.ts';
import type { LedgerEntry } from '../model/ledger.ts';
import type { OracleRuleId } from '../oracle/index.ts';
import type { Verdict } from '../oracle/vocabulary.ts';
import type { FixStage } from './fixes.ts';
import { originClass, type OriginClass } from './origin-class.ts';

/** The server a record belongs to: a middleware suite, your server's origin, or a scenario family. */
export function serverOf(c: CaseRecord): string {
  if (c.app) return c.app.suite;
  if (c.external) return new URL(c.url).origin;
  return c.family;
}

export function routeOf(c: CaseRecord): string {
  return new URL(c.url).pathname;
}

/** The origins a server's intent lets read: those whose cases were meant to be allowed, across the run. */
export function intendedOrigins(records: readonly CaseRecord[]): Map<string, Set<string>> {
  const byServer = new Map<string, Set<string>>();
  for (const c of records) {
    if (c.finding || c.expected.verdict !== 'allowed' || c.request.mode === 'no-cors') continue;
    const set = byServer.get(serverOf(c)) ?? new Set<string>();
    set.add(c.requestOrigin);
    byServer.set(serverOf(c), set);
  }
  return byServer;
}

export interface RecordFacts {
  readonly c: CaseRecord;
  readonly server: string;
  readonly route: string;
  readonly intended: ReadonlySet<string>;
  /** The requesting origin is not one the intent lets read. */
  readonly outsider: boolean;
  /** The intent's verdict for this request is "allowed" (before any finding laid over it). */
  readonly meant: boolean;
  readonly measured: Verdict;
  /** The measured outcome differs from the expectation. */
  readonly failing: boolean;
  /** The last answered preflight and actual request: the ones the engine acted on. */
  readonly preflight?: LedgerEntry;
  readonly actual?: LedgerEntry;
  /** The failing step of the recorded judgement (made once, when the record was judged). */
  readonly rule?: OracleRuleId;
  readonly reason?: string;
  readonly failingStage?: FixStage;
  /** The script read the answer with the user's credentials: credentials included and Allow-Credentials true. */
  readonly credentialedRead: boolean;
  /** How the requesting origin relates to the intended ones, by what the server answered it. */
  readonly originClass: OriginClass;
  /** The non-safelisted request headers the preflight asked for. */
  readonly requestHeaders: readonly string[];
}

/** The intent's verdict for a record, before any finding laid over it. */
function meantToRead(c: CaseRecord, intended: ReadonlySet<string>): boolean {
  if (!c.finding) return c.expected.verdict === 'allowed';
  // A finding replaced the expectation; the intent said the opposite of what the finding observed.
  if (!intended.has(c.requestOrigin)) return false;
  return c.outcome.verdict !== 'allowed';
}

/** The facts of a record that shows something to diagnose (a failure or a finding), or undefined. */
export function factsOf(c: CaseRecord, intended: ReadonlySet<string>): RecordFacts | undefined {
  const failing = c.mismatches.length > 0;
  if ((!failing && !c.finding) || c.outcome.verdict === 'harness-error') return undefined;
  const preflight = lastAnswered(c.ledger, 'preflight');
  const actual = lastAnswered(c.ledger, 'actual');
  const recorded = c.outcome.recorded;
  const failingStep = recorded?.judged ? recorded.failing : undefined;
  const answeredWith = headerValue((actual ?? preflight)?.responseHeaders ?? [], 'Access-Control-Allow-Origin');
  return {
    c,
    server: serverOf(c),
    route: routeOf(c),
    intended,
    outsider: !intended.has(c.requestOrigin),
    meant: meantToRead(c, intended),
    measured: c.outcome.verdict,
    failing,
    ...(preflight && { preflight }),
    ...(actual && { actual }),
    ...(failingStep && { rule: failingStep.rule, reason: failingStep.text, failingStage: failingStep.stage === 'preflight' ? 'preflight' : 'response' }),
    credentialedRead: c.outcome.verdict === 'allowed' && c.request.credentials === 'include' && headerValue(actual?.responseHeaders ?? [], 'Access-Control-Allow-Credentials') === 'true',
    originClass: originClass(c.requestOrigin, [...intended], answeredWith),
    requestHeaders: listValues(c.ledger.find((e) => e.kind === 'preflight')?.accessControlRequestHeaders),
  };
}
