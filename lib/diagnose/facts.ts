// What the diagnosis reads of one record: everything is already on it (the recorded judgement included); nothing
// here runs the oracle again or parses an id.
import type { CaseRecord } from '../judge/case-record.ts';
import { lastAnswered } from '../judge/recorded-oracle.ts';
import { headerValue, listValues } from '../model/headers.ts';
import type { LedgerEntry } from '../model/ledger.ts';
import type { OracleRuleId } from '../oracle/index.ts';
import type { Verdict } from '../oracle/vocabulary.ts';
import type { FixStage } from './fixes.ts';
import { behaviourOf, inferOriginChecks, type OriginCheck, type OriginObservation } from './origin-check.ts';

/** The server a record belongs to: a middleware suite, your server's origin, or a scenario family. */
export function serverOf(c: CaseRecord): string {
  if (c.app) return c.app.suite;
  if (c.external) return new URL(c.url).origin;
  return c.family;
}

export function routeOf(c: CaseRecord): string {
  return new URL(c.url).pathname;
}

/**
 * The intent's verdict for a record: what was expected, or, where a declared finding replaced that, what the intent
 * meant beside it. Undefined for a finding recorded without it.
 */
export function intentVerdictOf(c: CaseRecord): Verdict | undefined {
  return c.finding ? c.intendedVerdict : c.expected.verdict;
}

/** Probes an intent derives only for the origins it lets read (lib/model/intent.ts deriveProbes). */
const INTENDED_ORIGIN_PROBES: ReadonlySet<string> = new Set(['unintended-method', 'unintended-header']);

/**
 * The origins a server's intent lets read: those whose cases were meant to be allowed (before any finding), and those
 * of probes only an intended origin gets, across the run. One record of an unintended method is then still known to
 * come from an origin the intent allows, not from an outsider.
 */
export function intendedOrigins(records: readonly CaseRecord[]): Map<string, Set<string>> {
  const byServer = new Map<string, Set<string>>();
  for (const c of records) {
    if (c.request.mode === 'no-cors' || (intentVerdictOf(c) !== 'allowed' && !(c.probe && INTENDED_ORIGIN_PROBES.has(c.probe)))) continue;
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
  /** For an admitted outsider: the behaviour of the server's origin check that let it in, inferred from all its answers. */
  readonly originCheck?: OriginCheck;
  /** The non-safelisted request headers the preflight asked for. */
  readonly requestHeaders: readonly string[];
  /**
   * What the server's other preflights said to this origin, across the run (the whole diagnosis knows it; one record
   * alone does not): whether any named it in Access-Control-Allow-Origin, and the request headers those allowed.
   */
  readonly elsewhere?: PreflightsToOrigin;
}

/** The preflight answers a server gave one origin, over the run. */
export interface PreflightsToOrigin {
  readonly admitted: boolean;
  readonly allowedHeaders: readonly string[];
}

/** For each server and origin: whether any preflight of the run admitted that origin, and the headers those allowed. */
export function preflightsByOrigin(records: readonly CaseRecord[]): Map<string, PreflightsToOrigin> {
  const seen = new Map<string, { admitted: boolean; allowedHeaders: Set<string> }>();
  for (const c of records) {
    const key = preflightsKey(c);
    const entry = seen.get(key) ?? { admitted: false, allowedHeaders: new Set<string>() };
    for (const e of c.ledger) {
      if (e.kind !== 'preflight' || e.answered === false || e.status <= 0) continue;
      const acao = headerValue(e.responseHeaders, 'Access-Control-Allow-Origin')?.trim();
      if (acao !== c.requestOrigin && acao !== '*') continue;
      entry.admitted = true;
      for (const h of listValues(headerValue(e.responseHeaders, 'Access-Control-Allow-Headers'))) entry.allowedHeaders.add(h.toLowerCase());
    }
    seen.set(key, entry);
  }
  return new Map([...seen].map(([k, v]) => [k, { admitted: v.admitted, allowedHeaders: [...v.allowedHeaders] }]));
}

/** The key of `preflightsByOrigin`'s map for a record: its server and its origin. */
export function preflightsKey(c: CaseRecord): string {
  return `${serverOf(c)} ${c.requestOrigin}`;
}

/** The intent's verdict for a record, before any finding laid over it. */
function meantToRead(c: CaseRecord, intended: ReadonlySet<string>): boolean {
  const meant = intentVerdictOf(c);
  if (meant !== undefined) return meant === 'allowed';
  // A finding replaced the expectation; the intent said the opposite of what the finding observed.
  if (!intended.has(c.requestOrigin)) return false;
  return c.outcome.verdict !== 'allowed';
}

/** What the server answered this record's origin: whether any answer named it (or `*`). Undefined when nothing was answered. */
export function originObservation(c: CaseRecord): OriginObservation | undefined {
  // A case not measured (a harness error: the budget spent, the server down) says nothing of the origin check, even
  // where the proxy answered for it.
  if (c.outcome.verdict === 'harness-error') return undefined;
  const answered = c.ledger.filter((e) => e.answered !== false && e.status > 0);
  if (answered.length === 0 || c.request.mode === 'no-cors') return undefined;
  const values = answered.map((e) => headerValue(e.responseHeaders, 'Access-Control-Allow-Origin')?.trim()).filter((v): v is string => v !== undefined);
  const admitting = values.find((v) => v === c.requestOrigin || v === '*');
  return { origin: c.requestOrigin, admitted: admitting !== undefined, ...(admitting !== undefined && { allowOrigin: admitting }) };
}

/** The behaviours of each server's origin check, from every outsider record of it (admitted and refused). */
export function originChecksByServer(records: readonly CaseRecord[], intendedBy: ReadonlyMap<string, ReadonlySet<string>>): Map<string, OriginCheck[]> {
  const observed = new Map<string, OriginObservation[]>();
  for (const c of records) {
    const intended = intendedBy.get(serverOf(c)) ?? new Set<string>();
    const o = intended.has(c.requestOrigin) ? undefined : originObservation(c);
    if (!o) continue;
    observed.set(serverOf(c), [...(observed.get(serverOf(c)) ?? []), o]);
  }
  return new Map([...observed].map(([server, obs]) => [server, inferOriginChecks(obs, [...(intendedBy.get(server) ?? [])])]));
}

/**
 * The facts of a record that shows something to diagnose (a failure or a finding), or undefined. `checks` are the
 * server's inferred origin-check behaviours; without them, the record's own answer is all there is to infer from.
 */
export function factsOf(c: CaseRecord, intended: ReadonlySet<string>, checks?: readonly OriginCheck[], elsewhere?: PreflightsToOrigin): RecordFacts | undefined {
  const failing = c.mismatches.length > 0;
  if ((!failing && !c.finding) || c.outcome.verdict === 'harness-error') return undefined;
  const preflight = lastAnswered(c.ledger, 'preflight');
  const actual = lastAnswered(c.ledger, 'actual');
  const recorded = c.outcome.recorded;
  const failingStep = recorded?.judged ? recorded.failing : undefined;
  const own = originObservation(c);
  const originCheck = behaviourOf(checks ?? inferOriginChecks(own && !intended.has(c.requestOrigin) ? [own] : [], [...intended]), c.requestOrigin);
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
    ...(originCheck && { originCheck }),
    requestHeaders: listValues(c.ledger.find((e) => e.kind === 'preflight')?.accessControlRequestHeaders),
    ...(elsewhere && { elsewhere }),
  };
}
