/**
 * Diagnosis: failures and findings grouped by root cause across routes and engines, each with the smallest change to
 * the response headers that fixes it — checked, not guessed: the change is applied to the recorded answers and the
 * oracle run again, on the affected cases (they must come out as intended) and on every outsider's case of the same
 * server (none may become readable).
 */
import type { CaseRecord } from '../judge/case-record.ts';
import { judgeRecorded, oracleRequestOf } from '../judge/recorded-oracle.ts';
import type { LedgerEntry } from '../model/ledger.ts';
import { applyFix, describeFix, type AnswerLines, type FixTarget, type HeaderFix } from './fixes.ts';

export type CauseKind =
  | 'origin-accepted'
  | 'error-response-without-cors'
  | 'preflight-not-ok'
  | 'preflight-header-not-allowed'
  | 'preflight-method-not-allowed'
  | 'preflight-allows-unintended'
  | 'credentials-not-allowed'
  | 'allow-origin-wrong'
  | 'missing-vary-origin'
  | 'unexplained';

export interface CauseCheck {
  /** The fix gave the intended verdict on every affected case, and opened nothing for an outsider. */
  readonly passed: boolean;
  readonly casesChecked: number;
  readonly outsidersChecked: number;
  readonly detail: string;
}

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
  readonly summary: string;
  readonly detail: string;
  /** The smallest response-header change that fixes it, in words; absent where none was found. */
  readonly fix?: string;
  readonly headerFix?: HeaderFix;
  readonly check?: CauseCheck;
  /** Every case of it is a declared finding. */
  readonly declared: boolean;
  readonly server: string;
  readonly routes: readonly string[];
  readonly engines: readonly string[];
  readonly cases: readonly CauseCase[];
  /** The `findings` entries that would accept it, ready to paste into the config or suite. */
  readonly findingsEntry?: string;
}

export interface DiagnosableRecord {
  readonly project: string;
  readonly case?: CaseRecord;
}

const PROBES = ['simple-read', 'credentialed-read', 'intended-method', 'unintended-method', 'intended-headers', 'unintended-header'] as const;
const REDIRECT_OR_ERROR = (status: number) => status >= 300;

function serverOf(c: CaseRecord): string {
  if (c.app) return c.app.suite;
  if (c.external) return new URL(c.url).origin;
  return c.family;
}

function routeOf(c: CaseRecord): string {
  const url = new URL(c.url);
  return c.external ? url.pathname : `${url.pathname}`;
}

function lastOf(ledger: readonly LedgerEntry[], kind: LedgerEntry['kind']): LedgerEntry | undefined {
  return ledger.filter((e) => e.kind === kind && e.answered !== false && e.status > 0).at(-1);
}

function header(entry: LedgerEntry | undefined, name: string): string | undefined {
  return entry?.responseHeaders.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;
}

function listOf(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/** The intent's verdict for a record, before any finding laid over it. */
function meantToRead(c: CaseRecord, intended: ReadonlySet<string>): boolean | undefined {
  if (!c.finding) return c.expected.verdict === 'allowed';
  // A finding replaced the expectation; the intent said the opposite of what the finding observed.
  if (!intended.has(c.requestOrigin)) return false;
  return c.outcome.verdict !== 'allowed';
}

/** How an accepted outsider relates to the origins meant to read: the class of broken origin check. */
export function originClass(attacker: string, intended: readonly string[]): { readonly id: string; readonly why: string } {
  if (attacker === 'null') return { id: 'null-trusted', why: 'the null origin (sandboxed frames, data: URLs — any site can make one) is trusted' };
  let a: URL;
  try {
    a = new URL(attacker);
  } catch {
    return { id: 'reflected', why: 'the Origin is reflected' };
  }
  for (const origin of intended) {
    let o: URL;
    try {
      o = new URL(origin);
    } catch {
      continue;
    }
    if (a.hostname === o.hostname && a.protocol !== o.protocol) return { id: 'scheme-not-pinned', why: `the scheme is not pinned: ${attacker} (plain ${a.protocol.replace(':', '')}) passes for ${origin}` };
    if (a.hostname === o.hostname) return { id: 'other-port', why: `the port is not checked: ${attacker} passes for ${origin}` };
    if (a.hostname.startsWith(`${o.hostname}.`)) return { id: 'prefix-match', why: `the check matches a prefix: ${attacker} starts with ${o.hostname} — the pattern is not anchored at its end` };
    const h = a.hostname;
    for (let i = 0; i < h.length; i++) {
      const dotted = `${h.slice(0, i)}.${h.slice(i + 1)}`;
      if (h[i] !== '.' && dotted === o.hostname) return { id: 'unescaped-dot', why: `a "." in the pattern is not escaped: ${attacker} matches where only a dot should` };
    }
    if (h.endsWith(o.hostname) && !h.slice(0, -o.hostname.length).endsWith('.')) {
      return { id: 'suffix-match', why: `the check matches a suffix: ${attacker} ends with ${o.hostname} — the pattern is not anchored at its start` };
    }
    const site = o.hostname.split('.').slice(-2).join('.');
    if (h.endsWith(`.${site}`) || h === site) return { id: 'any-subdomain', why: `every subdomain of ${site} is trusted: ${attacker} is not an allowed origin` };
  }
  return { id: 'reflected', why: `the Origin is reflected for any site: ${attacker} is accepted` };
}

interface Draft {
  id: string;
  kind: CauseKind;
  summary: string;
  detail: string;
  headerFix?: HeaderFix;
  intendedRead: boolean;
  server: string;
  records: { project: string; c: CaseRecord }[];
}

function unsafeHeaderNames(c: CaseRecord): string[] {
  const entry = c.ledger.find((e) => e.kind === 'preflight');
  return listOf(entry?.accessControlRequestHeaders);
}

/** The one cause of one record, or undefined when the record shows nothing to diagnose. */
function causeOf(c: CaseRecord, intended: ReadonlySet<string>, allIntended: readonly string[]): Omit<Draft, 'records'> | undefined {
  const server = serverOf(c);
  const meant = meantToRead(c, intended);
  const measured = c.outcome.verdict;
  const failing = c.mismatches.length > 0;
  if (!failing && !c.finding) return undefined;
  if (measured === 'harness-error' || meant === undefined) return undefined;
  const preflight = lastOf(c.ledger, 'preflight');
  const actual = lastOf(c.ledger, 'actual');

  if (!meant && measured === 'allowed') {
    if (!intended.has(c.requestOrigin)) {
      const cls = originClass(c.requestOrigin, allIntended);
      const acao = header(actual, 'Access-Control-Allow-Origin');
      const withCreds = c.request.credentials === 'include' && header(actual, 'Access-Control-Allow-Credentials') === 'true';
      return {
        id: `${server}:origin-accepted:${cls.id}`,
        kind: 'origin-accepted',
        summary: `the origin check accepts ${c.requestOrigin}${withCreds ? ', with credentials' : ''}: ${cls.why}`,
        detail: `Access-Control-Allow-Origin ${acao === undefined ? 'was sent' : `was ${acao}`} for an origin the intent does not allow`,
        headerFix: { kind: 'refuse-outsider', stages: ['preflight', 'response'] },
        intendedRead: false,
        server,
      };
    }
    // An allowed origin got more than the intent meant: a header or a method it should not.
    const extraHeader = unsafeHeaderNames(c)[0];
    if (extraHeader !== undefined && c.request.headers && Object.keys(c.request.headers).some((h) => h.toLowerCase() === extraHeader.toLowerCase())) {
      return {
        id: `${server}:preflight-allows-header:${extraHeader.toLowerCase()}`,
        kind: 'preflight-allows-unintended',
        summary: `the preflight allows ${extraHeader}, which the intent does not: Access-Control-Allow-Headers is ${header(preflight, 'Access-Control-Allow-Headers') ?? '(absent)'}`,
        detail: 'an allow-list that echoes Access-Control-Request-Headers lets every header through',
        headerFix: { kind: 'remove-from-list', stage: 'preflight', header: 'Access-Control-Allow-Headers', value: extraHeader },
        intendedRead: false,
        server,
      };
    }
    if (preflight) {
      return {
        id: `${server}:preflight-allows-method:${c.request.method}`,
        kind: 'preflight-allows-unintended',
        summary: `the preflight allows ${c.request.method}, which the intent does not: Access-Control-Allow-Methods is ${header(preflight, 'Access-Control-Allow-Methods') ?? '(absent)'}`,
        detail: 'the preflight lists (or echoes) more methods than the intent needs',
        headerFix: { kind: 'remove-from-list', stage: 'preflight', header: 'Access-Control-Allow-Methods', value: c.request.method },
        intendedRead: false,
        server,
      };
    }
  }

  if (meant && measured !== 'allowed') {
    const judged = judgeRecorded(oracleRequestOf(c), c.ledger);
    const rule = judged.judged ? judged.failing?.rule : undefined;
    const reason = judged.judged ? judged.failing?.text : undefined;
    const base = { intendedRead: true, server };
    if (measured === 'blocked-at-preflight' && preflight && (preflight.status < 200 || preflight.status >= 300)) {
      return {
        ...base,
        id: `${server}:preflight-not-ok:${preflight.status}`,
        kind: 'preflight-not-ok',
        summary: `the preflight (OPTIONS ${routeOf(c)}) is answered ${preflight.status}${header(preflight, 'Access-Control-Allow-Origin') === undefined ? ' without CORS headers' : ''}: a preflight must get 2xx`,
        detail: 'the CORS error in the browser hides that the server does not handle OPTIONS on this route',
        headerFix: { kind: 'answer-preflight' },
      };
    }
    if (measured === 'blocked-at-response' && actual && REDIRECT_OR_ERROR(actual.status) && header(actual, 'Access-Control-Allow-Origin') === undefined) {
      const what = actual.status < 400 ? `redirects (${actual.status})` : `error responses (${actual.status})`;
      return {
        ...base,
        id: `${server}:error-response-without-cors:${actual.status}`,
        kind: 'error-response-without-cors',
        summary: `${what} carry no Access-Control-Allow-Origin, so the browser shows a CORS error instead of the ${actual.status}`,
        detail: `the CORS headers are added on success only (nginx: add_header without "always"; middleware registered after the error handler)`,
        headerFix: { kind: 'allow-intended-origin', stages: ['response'] },
      };
    }
    if (rule === 'header-not-allowed' || rule === 'authorization-not-listed' || rule === 'authorization-not-covered-by-wildcard') {
      const allowed = listOf(header(preflight, 'Access-Control-Allow-Headers')).map((h) => h.toLowerCase());
      const missing = unsafeHeaderNames(c).find((h) => !allowed.includes(h.toLowerCase()) || h.toLowerCase() === 'authorization') ?? unsafeHeaderNames(c)[0] ?? 'the header';
      return {
        ...base,
        id: `${server}:preflight-header:${missing.toLowerCase()}`,
        kind: 'preflight-header-not-allowed',
        summary: `the preflight does not allow ${missing}, which the intent needs`,
        detail: reason ?? '',
        headerFix: { kind: 'add-to-list', stage: 'preflight', header: 'Access-Control-Allow-Headers', value: missing },
      };
    }
    if (rule === 'method-not-allowed') {
      return {
        ...base,
        id: `${server}:preflight-method:${c.request.method}`,
        kind: 'preflight-method-not-allowed',
        summary: `the preflight does not allow ${c.request.method}, which the intent needs`,
        detail: reason ?? '',
        headerFix: { kind: 'add-to-list', stage: 'preflight', header: 'Access-Control-Allow-Methods', value: c.request.method },
      };
    }
    const stage = judged.judged && judged.failing?.stage === 'preflight' ? 'preflight' : 'response';
    if (rule === 'allow-credentials-missing' || rule === 'allow-credentials-not-true' || rule === 'allow-origin-wildcard-with-credentials') {
      const wildcard = rule === 'allow-origin-wildcard-with-credentials';
      return {
        ...base,
        id: `${server}:credentials:${rule}:${stage}`,
        kind: 'credentials-not-allowed',
        summary: wildcard
          ? `credentials are requested but the ${stage} answers Access-Control-Allow-Origin: *, which never admits them`
          : `credentials are requested but the ${stage} lacks Access-Control-Allow-Credentials: true`,
        detail: reason ?? '',
        headerFix: { kind: 'allow-intended-origin', stages: [stage] },
      };
    }
    if (rule === 'allow-origin-missing' || rule === 'allow-origin-mismatch') {
      return {
        ...base,
        id: `${server}:allow-origin-wrong:${stage}`,
        kind: 'allow-origin-wrong',
        summary: `the ${stage} does not name ${c.requestOrigin}, an origin the intent allows`,
        detail: reason ?? '',
        headerFix: { kind: 'allow-intended-origin', stages: [stage] },
      };
    }
    return {
      ...base,
      id: `${server}:unexplained:${measured}:${rule ?? 'none'}`,
      kind: 'unexplained',
      summary: `${measured.replace(/-/g, ' ')} where the intent allows${reason ? `: ${reason}` : ''}`,
      detail: judged.judged ? 'no header change found' : judged.why,
    };
  }
  if (failing) {
    return {
      id: `${server}:unexplained:${c.expected.verdict}->${measured}`,
      kind: 'unexplained',
      summary: `${measured} where ${c.expected.verdict} was expected`,
      detail: c.mismatches.join('; '),
      intendedRead: meant,
      server,
    };
  }
  return undefined;
}

function missingVary(c: CaseRecord, intended: ReadonlySet<string>): Omit<Draft, 'records'> | undefined {
  if (c.verdictFrom !== 'intent' || c.outcome.verdict !== 'allowed' || !intended.has(c.requestOrigin)) return undefined;
  const actual = lastOf(c.ledger, 'actual');
  const acao = header(actual, 'Access-Control-Allow-Origin');
  if (acao === undefined || acao === '*') return undefined;
  if (actual?.responseHeaders.some((h) => h.name.toLowerCase() === 'vary' && /(^|,)\s*(origin|\*)\s*(,|$)/i.test(h.value))) return undefined;
  const server = serverOf(c);
  return {
    id: `${server}:missing-vary-origin`,
    kind: 'missing-vary-origin',
    summary: 'Access-Control-Allow-Origin names the requesting origin but Vary: Origin is missing',
    detail: 'a shared cache may serve one origin\'s answer to another: the wrong site is refused, or an allowed answer reaches a site it was not meant for',
    headerFix: { kind: 'vary-origin' },
    intendedRead: true,
    server,
  };
}

function targetOf(c: CaseRecord, intended: ReadonlySet<string>): FixTarget {
  const preflight = c.ledger.find((e) => e.kind === 'preflight');
  return {
    requestOrigin: c.requestOrigin,
    intendedOrigins: intended,
    credentials: c.request.credentials === 'include',
    method: preflight?.accessControlRequestMethod ?? c.request.method,
    requestHeaders: listOf(preflight?.accessControlRequestHeaders),
  };
}

function fixedLedger(c: CaseRecord, fix: HeaderFix, intended: ReadonlySet<string>): { ledger: LedgerEntry[]; synthesized: boolean } {
  const target = targetOf(c, intended);
  const apply = (e: LedgerEntry): LedgerEntry => {
    const stage = e.kind === 'preflight' ? 'preflight' : 'response';
    const fixed = applyFix(fix, stage, { status: e.status, headers: e.responseHeaders }, target);
    return { ...e, status: fixed.status, responseHeaders: fixed.headers };
  };
  const ledger = c.ledger.filter((e) => e.answered !== false && e.status > 0).map(apply);
  if (ledger.some((e) => e.kind === 'actual') || !ledger.some((e) => e.kind === 'preflight')) return { ledger, synthesized: false };
  // The preflight blocked the request, so no actual answer was recorded: assume it carries the fixed preflight's CORS headers.
  const preflight = ledger.filter((e) => e.kind === 'preflight').at(-1) as LedgerEntry;
  const cors = preflight.responseHeaders.filter((h) => /^access-control-allow-(origin|credentials)$|^vary$/i.test(h.name));
  const answer: AnswerLines = applyFix(fix, 'response', { status: 200, headers: cors }, target);
  ledger.push({ ...preflight, kind: 'actual', method: c.request.method, handlerRan: true, status: answer.status, responseHeaders: answer.headers });
  return { ledger, synthesized: true };
}

function verdictWith(c: CaseRecord, ledger: readonly LedgerEntry[]): string {
  const judged = judgeRecorded(oracleRequestOf(c), ledger);
  return judged.judged ? judged.verdict : `unjudged (${judged.why})`;
}

/** Applies the fix to every affected record and every outsider record of the server, and runs the oracle again. */
export function checkFix(fix: HeaderFix, affected: readonly CaseRecord[], outsiders: readonly CaseRecord[], intended: ReadonlySet<string>, intendedRead: boolean): CauseCheck {
  const problems: string[] = [];
  let synthesized = 0;
  for (const c of affected) {
    const { ledger, synthesized: made } = fixedLedger(c, fix, intended);
    if (made) synthesized++;
    const verdict = verdictWith(c, ledger);
    const ok = intendedRead ? verdict === 'allowed' : verdict === 'blocked-at-preflight' || verdict === 'blocked-at-response';
    if (fix.kind === 'vary-origin' && !ledger.some((e) => e.kind === 'actual' && e.responseHeaders.some((h) => h.name.toLowerCase() === 'vary' && /origin/i.test(h.value)))) problems.push(`${c.caseId}: Vary still lacks Origin`);
    if (!ok) problems.push(`${c.caseId}: the oracle gives ${verdict} with the fix, not ${intendedRead ? 'allowed' : 'a block'}`);
  }
  for (const c of outsiders) {
    const before = verdictWith(c, c.ledger);
    const after = verdictWith(c, fixedLedger(c, fix, intended).ledger);
    if (after === 'allowed' && before !== 'allowed') problems.push(`${c.caseId}: the fix would let ${c.requestOrigin} read`);
  }
  const assumed = synthesized > 0 ? ` (${synthesized} blocked at preflight: their actual answer assumed to carry the fixed preflight's Allow-Origin/-Credentials)` : '';
  return {
    passed: problems.length === 0,
    casesChecked: affected.length,
    outsidersChecked: outsiders.length,
    detail: problems.length === 0 ? `oracle on the recorded answers with the fix: ${affected.length} case${affected.length === 1 ? '' : 's'} as intended, ${outsiders.length} outsider case${outsiders.length === 1 ? '' : 's'} still refused${assumed}` : problems.slice(0, 5).join('; '),
  };
}

function probeOf(c: CaseRecord): string | undefined {
  return PROBES.find((p) => c.caseId.includes(`-${p}-`));
}

function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The `findings` entries that would accept a cause: one per probe and origin, with the engines where not all showed it. */
function findingsEntry(draft: Draft, engineNames: readonly string[]): string | undefined {
  const entries = new Map<string, { probe: string; from: string; verdict: string; engines: Set<string> }>();
  for (const { c } of draft.records) {
    const probe = probeOf(c);
    if (!probe) return undefined;
    const from = c.external ? c.requestOrigin : c.from;
    const key = `${probe} ${from} ${c.outcome.verdict}`;
    const entry = entries.get(key) ?? { probe, from, verdict: c.outcome.verdict, engines: new Set<string>() };
    entry.engines.add(c.engine.name);
    entries.set(key, entry);
  }
  const lines = [...entries.values()].map((e) => {
    const engines = e.engines.size < engineNames.length ? `, engines: [${[...e.engines].sort().map(quote).join(', ')}]` : '';
    return `{ probe: ${quote(e.probe)}, from: ${quote(e.from)}, observed: { verdict: ${quote(e.verdict)} }${engines}, finding: ${quote(draft.summary)} },`;
  });
  return lines.length ? lines.join('\n') : undefined;
}

/** Groups every failure and finding by root cause, with a checked fix for each. */
export function diagnose(records: readonly DiagnosableRecord[]): Cause[] {
  const cases = records.flatMap((r) => (r.case ? [{ project: r.project, c: r.case }] : []));
  const engineNames = [...new Set(cases.map(({ c }) => c.engine.name))];
  const intendedBy = new Map<string, Set<string>>();
  for (const { c } of cases) {
    if (c.finding || c.expected.verdict !== 'allowed' || c.request.mode === 'no-cors') continue;
    const set = intendedBy.get(serverOf(c)) ?? new Set<string>();
    set.add(c.requestOrigin);
    intendedBy.set(serverOf(c), set);
  }
  const intendedOf = (c: CaseRecord) => intendedBy.get(serverOf(c)) ?? new Set<string>();
  const drafts = new Map<string, Draft>();
  for (const { project, c } of cases) {
    const intended = intendedOf(c);
    for (const found of [causeOf(c, intended, [...intended]), missingVary(c, intended)]) {
      if (!found) continue;
      const draft = drafts.get(found.id) ?? { ...found, records: [] };
      draft.records.push({ project, c });
      drafts.set(found.id, draft);
    }
  }
  const order = (d: Draft) => (d.records.every((r) => r.c.finding !== undefined) ? 1 : 0) * 100 + (d.kind === 'unexplained' ? 50 : 0) + (d.kind === 'missing-vary-origin' ? 40 : 0);
  return [...drafts.values()].sort((a, b) => order(a) - order(b)).map((d): Cause => {
    const intended = intendedOf(d.records[0]!.c);
    const affected = d.records.map((r) => r.c);
    const outsiders = cases.map(({ c }) => c).filter((c) => serverOf(c) === d.server && !intended.has(c.requestOrigin) && c.request.mode !== 'no-cors');
    const byCase = new Map<string, CauseCase & { projects: string[] }>();
    for (const { project, c } of d.records) {
      const entry = byCase.get(c.caseId) ?? { caseId: c.caseId, title: c.title, route: routeOf(c), requestOrigin: c.requestOrigin, projects: [], declared: c.finding !== undefined };
      entry.projects.push(project);
      byCase.set(c.caseId, entry);
    }
    const sample = affected[0]!;
    const entry = findingsEntry(d, engineNames);
    return {
      id: d.id,
      kind: d.kind,
      summary: d.summary,
      detail: d.detail,
      ...(d.headerFix && {
        headerFix: d.headerFix,
        fix: describeFix(d.headerFix, {
          origin: intended.has(sample.requestOrigin) ? sample.requestOrigin : [...intended][0],
          credentials: affected.some((c) => c.request.credentials === 'include'),
          method: targetOf(sample, intended).method,
          requestHeaders: targetOf(sample, intended).requestHeaders,
        }),
        check: checkFix(d.headerFix, affected, outsiders, intended, d.intendedRead),
      }),
      declared: d.records.every((r) => r.c.finding !== undefined),
      server: d.server,
      routes: [...new Set(d.records.map((r) => routeOf(r.c)))],
      engines: [...new Set(d.records.map((r) => r.c.engine.name))].sort(),
      cases: [...byCase.values()],
      ...(entry !== undefined && d.kind !== 'missing-vary-origin' && d.kind !== 'unexplained' && { findingsEntry: entry }),
    };
  });
}

/** The cause a single record shows on its own (for a failing test's message). */
export function causeOfRecord(record: CaseRecord): Cause | undefined {
  return diagnose([{ project: record.engine.name, case: record }]).find((c) => c.kind !== 'missing-vary-origin');
}

/** One cause as terminal text: what, where, the fix and its check, and the findings entry to accept it. */
export function describeCause(cause: Cause, index: number): string {
  const routes = cause.routes.length > 3 ? `${cause.routes.slice(0, 3).join(', ')}, … (${cause.routes.length} routes)` : cause.routes.join(', ');
  const where = `${cause.server}${routes ? ` ${routes}` : ''} · ${cause.engines.join(', ')} · ${cause.cases.length} case${cause.cases.length === 1 ? '' : 's'}${cause.declared ? ' (declared findings)' : ''}`;
  const lines = [`${index}. ${cause.summary}`, `   where: ${where}`];
  if (cause.detail) lines.push(`   why:   ${cause.detail}`);
  if (cause.fix) lines.push(`   fix:   ${cause.fix}`);
  if (cause.check) lines.push(`   check: ${cause.check.passed ? '✓' : '✗'} ${cause.check.detail}`);
  if (cause.findingsEntry && !cause.declared) lines.push('   to accept it as a known issue, add to findings:', ...cause.findingsEntry.split('\n').map((l) => `     ${l}`));
  return lines.join('\n');
}
