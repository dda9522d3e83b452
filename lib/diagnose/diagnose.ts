/**
 * Diagnosis: failures and findings grouped by root cause across routes and engines, ranked by severity (worst first),
 * each with the smallest change to the response headers that fixes it, checked by the oracle (fix-check.ts). Which
 * cause a record shows is decided by the table in rules.ts, from the facts the record already carries (facts.ts).
 */
import type { CaseRecord } from '../judge/case-record.ts';
import { factsOf, intendedOrigins, originChecksByServer, preflightsByOrigin, preflightsKey, routeOf, serverOf, type RecordFacts } from './facts.ts';
import { describeImpact, impactActs } from './impact.ts';
import { intendedPolicyOf, meantRecords, serverConfig, serverKindOf, type IntendedPolicy, type ServerKind } from './server-fix.ts';
import { checkFix, fixTargetOf, type CauseCheck } from './fix-check.ts';
import { describeFix, type HeaderFix } from './fixes.ts';
import { causeOf, listedBeyondIntent, mergedExtras, missingVary, type CauseKind, type RecordCause } from './rules.ts';
import { severityRank, worstOf, type Severity } from './severity.ts';
import { columnName } from '../model/profiles.ts';

export interface CauseCase {
  readonly caseId: string;
  readonly title: string;
  readonly route: string;
  readonly requestOrigin: string;
  readonly projects: readonly string[];
  readonly declared: boolean;
}

export interface Cause {
  readonly id: string;
  readonly kind: CauseKind;
  /** How bad it is; causes are listed worst first. */
  readonly severity: Severity;
  readonly summary: string;
  readonly detail: string;
  /** The smallest response-header change that fixes it, in words; absent where none was found. */
  readonly fix?: string;
  readonly headerFix?: HeaderFix;
  readonly check?: CauseCheck;
  /** The same fix as the server's own configuration, where the kind of server is known (config, middleware, `Server` header). */
  readonly serverFix?: {
    readonly kind: ServerKind;
    readonly config: string;
    /**
     * Routes of this cause that need fewer methods than the server-wide setting lists (it serves every route the
     * union), with what each needs: there the configuration does not send the header fix's headers.
     */
    readonly routesNeedingLess?: readonly { readonly route: string; readonly methods: readonly string[] }[];
  };
  /** For a hole in the origin check: what the outside origins it let in did (reads, writes; with the session or not). */
  readonly impact?: string;
  /** Every case of it is a declared finding. */
  readonly declared: boolean;
  readonly server: string;
  readonly routes: readonly string[];
  readonly engines: readonly string[];
  readonly cases: readonly CauseCase[];
  /** The `findings` entries that would accept it, ready to paste into the config or suite. */
  readonly findingsEntry?: string;
  /** For a cause an origin-check hole opened (an outsider's write that reached the handler): that hole's cause id. */
  readonly hole?: string;
}

export interface DiagnosableRecord {
  readonly project: string;
  readonly case?: CaseRecord;
}

interface Group {
  readonly id: string;
  readonly server: string;
  readonly records: { readonly project: string; readonly c: CaseRecord; readonly cause: RecordCause; readonly facts?: RecordFacts }[];
}

function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * The `findings` entries that would accept a cause: one per probe and verdict, naming every origin that showed it
 * (`from` takes a list), in the cause's own (merged) words.
 */
function findingsEntry(group: Group, engineNames: readonly string[], summary: string): string | undefined {
  const entries = new Map<string, { probe: string; from: string[]; verdict: string; engines: Set<string> }>();
  for (const { c } of group.records) {
    if (c.probe === undefined) return undefined;
    const from = c.external ? c.requestOrigin : c.from;
    const key = `${c.probe} ${c.outcome.verdict}`;
    const entry = entries.get(key) ?? { probe: c.probe, from: [], verdict: c.outcome.verdict, engines: new Set<string>() };
    if (!entry.from.includes(from)) entry.from.push(from);
    entry.engines.add(c.engine.name);
    entries.set(key, entry);
  }
  const lines = [...entries.values()].map((e) => {
    const engines = e.engines.size < engineNames.length ? `, engines: [${[...e.engines].sort().map(quote).join(', ')}]` : '';
    const from = e.from.length === 1 ? quote(e.from[0]!) : `[${e.from.map(quote).join(', ')}]`;
    return `{ probe: ${quote(e.probe)}, from: ${from}, observed: { verdict: ${quote(e.verdict)} }${engines}, finding: ${quote(summary)} },`;
  });
  return lines.length ? lines.join('\n') : undefined;
}

/** One group as a cause: the worst of its records speaks for it, and its fix is checked on all of them. */
/** The methods the intent's requests on a route use (from its intended-origin cases meant to be allowed). */
function neededMethods(serverRecords: readonly CaseRecord[], intended: ReadonlySet<string>, route: string): Set<string> {
  return new Set(meantRecords(serverRecords, intended).filter((c) => routeOf(c) === route).map((c) => c.request.method.toUpperCase()));
}

/**
 * The header fix as the server's own configuration. Those settings give one list of methods for every route (the
 * union of what the routes need), so on a route that needs fewer they do not send the fix's headers: such routes are
 * named, with what each needs (an Express `cors` with DELETE for /notes/1 also lists it on /notes).
 */
function serverFixOf(kind: ServerKind, policy: IntendedPolicy, group: Group, serverRecords: readonly CaseRecord[], intended: ReadonlySet<string>): NonNullable<Cause['serverFix']> {
  const routes = [...new Set(group.records.map((r) => routeOf(r.c)))];
  const routesNeedingLess = routes.flatMap((route) => {
    const needed = neededMethods(serverRecords, intended, route);
    return needed.size > 0 && policy.methods.some((m) => !needed.has(m)) ? [{ route, methods: [...needed].sort() }] : [];
  });
  return { kind, config: serverConfig(kind, policy), ...(routesNeedingLess.length > 0 && { routesNeedingLess }) };
}

/** The server's cases the intent allows and the engine allowed: a fix must leave them allowed. */
function keptOf(serverRecords: readonly CaseRecord[], intended: ReadonlySet<string>): CaseRecord[] {
  return meantRecords(serverRecords, intended).filter((c) => c.outcome.verdict === 'allowed' && c.request.mode !== 'no-cors');
}

function toCause(group: Group, outsiders: readonly CaseRecord[], intended: ReadonlySet<string>, engineNames: readonly string[], serverRecords: readonly CaseRecord[]): Cause {
  const severity = worstOf(group.records.map((r) => r.cause.severity));
  const voice = group.records.find((r) => r.cause.severity === severity) ?? group.records[0]!;
  const merged = { ...voice.cause, ...mergedExtras(group.records.map((r) => r.cause), voice.cause) };
  const cause = { ...merged, ...listedBeyondIntent(merged, (route) => neededMethods(serverRecords, intended, route)) };
  const affected = group.records.map((r) => r.c);
  const byCase = new Map<string, CauseCase & { projects: string[] }>();
  for (const { project, c } of group.records) {
    const entry = byCase.get(c.caseId) ?? { caseId: c.caseId, title: c.title, route: routeOf(c), requestOrigin: c.requestOrigin, projects: [], declared: c.finding !== undefined };
    entry.projects.push(project);
    byCase.set(c.caseId, entry);
  }
  const sample = voice.c;
  const target = fixTargetOf(sample, intended);
  const entry = cause.kind === 'missing-vary-origin' || cause.kind === 'unexplained' ? undefined : findingsEntry(group, engineNames, cause.summary);
  const policy = intendedPolicyOf(serverRecords, intended);
  const kind = serverKindOf(serverRecords);
  const impact = cause.kind === 'origin-accepted' ? describeImpact(impactActs(group.records.flatMap((r) => (r.facts ? [r.facts] : [])))) : '';
  return {
    id: group.id,
    kind: cause.kind,
    severity,
    summary: cause.summary,
    detail: cause.detail,
    ...(cause.headerFix && {
      headerFix: cause.headerFix,
      fix: describeFix(cause.headerFix, {
        origin: intended.has(sample.requestOrigin) ? sample.requestOrigin : [...intended][0],
        origins: policy.origins,
        credentials: affected.some((c) => c.request.credentials === 'include') || (cause.intendedRead && policy.credentials),
        method: target.method,
        requestHeaders: target.requestHeaders,
      }),
      check: checkFix(cause.headerFix, affected, outsiders, intended, cause.intendedRead, keptOf(serverRecords, intended)),
      ...(kind !== undefined && policy.origins.length > 0 && { serverFix: serverFixOf(kind, policy, group, serverRecords, intended) }),
    }),
    ...(impact && { impact }),
    declared: group.records.every((r) => r.c.finding !== undefined),
    server: group.server,
    routes: [...new Set(group.records.map((r) => routeOf(r.c)))],
    // Columns, not bare engines: a cause seen only under the strict profile says `chromium-strict`.
    engines: [...new Set(group.records.map((r) => columnName(r.c.engine.name, r.c.engine.profile)))].sort(),
    cases: [...byCase.values()],
    ...(entry !== undefined && { findingsEntry: entry }),
    ...(cause.hole !== undefined && { hole: `${group.server}:${cause.hole}` }),
  };
}

/** Groups every failure and finding by root cause, worst first, with a checked fix for each. */
export function diagnose(records: readonly DiagnosableRecord[]): Cause[] {
  const cases = records.flatMap((r) => (r.case ? [{ project: r.project, c: r.case }] : []));
  const engineNames = [...new Set(cases.map(({ c }) => c.engine.name))];
  const intendedBy = intendedOrigins(cases.map(({ c }) => c));
  const intendedOf = (c: CaseRecord): ReadonlySet<string> => intendedBy.get(serverOf(c)) ?? new Set<string>();
  const groups = new Map<string, Group>();
  const checksBy = originChecksByServer(cases.map(({ c }) => c), intendedBy);
  const preflightsTo = preflightsByOrigin(cases.map(({ c }) => c));
  const file = (project: string, c: CaseRecord, cause: RecordCause | undefined, facts?: RecordFacts) => {
    if (!cause) return;
    const server = serverOf(c);
    const id = `${server}:${cause.key}`;
    const group = groups.get(id) ?? { id, server, records: [] };
    group.records.push({ project, c, cause, ...(facts && { facts }) });
    groups.set(id, group);
  };
  for (const { project, c } of cases) {
    const intended = intendedOf(c);
    const facts = factsOf(c, intended, checksBy.get(serverOf(c)) ?? [], preflightsTo.get(preflightsKey(c)));
    file(project, c, facts && causeOf(facts), facts);
    const actual = c.ledger.filter((e) => e.kind === 'actual' && e.answered !== false && e.status > 0).at(-1);
    file(project, c, missingVary({ c, intended, ...(actual && { actual }) }));
  }
  const built = [...groups.values()].map((group) => {
    const intended = intendedOf(group.records[0]!.c);
    const serverRecords = cases.map(({ c }) => c).filter((c) => serverOf(c) === group.server);
    const outsiders = serverRecords.filter((c) => !intended.has(c.requestOrigin) && c.request.mode !== 'no-cors');
    return toCause(group, outsiders, intended, engineNames, serverRecords);
  });
  // Worst first; within a severity, what is not yet declared before what is (the sort is stable).
  const rank = (c: Cause) => severityRank(c.severity) * 2 + (c.declared ? 1 : 0);
  return built.sort((a, b) => rank(a) - rank(b));
}

/** The cause a single record shows on its own (for a failing test's message): the table on one record, its fix checked. */
export function causeOfRecord(record: CaseRecord): Cause | undefined {
  const intended = intendedOrigins([record]).get(serverOf(record)) ?? new Set<string>();
  // One record is one observation: it cannot tell a reflection from a loose pattern, nor say which origins are
  // allowed, so the origin check is not named here (the run's diagnosis infers it from every outsider's answers).
  const facts = factsOf(record, intended, []);
  const cause = facts && causeOf(facts);
  if (!cause) return undefined;
  const group: Group = { id: `${serverOf(record)}:${cause.key}`, server: serverOf(record), records: [{ project: record.engine.name, c: record, cause, facts }] };
  return toCause(group, [], intended, [record.engine.name], [record]);
}
