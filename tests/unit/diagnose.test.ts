import { test, expect } from '@playwright/test';
import { causeOfRecord, checkFix, diagnose, originClass, type CauseKind } from '../../lib/diagnose/index.ts';
import { describeCause } from '../../lib/report/diagnosis-text.ts';
import type { Probe } from '../../lib/model/intent.ts';
import type { CaseRecord } from '../../lib/judge/case-record.ts';
import type { CaseOutcome } from '../../lib/judge/outcome.ts';
import { classify } from './classify.ts';
import { judgeRecorded, oracleRequestOf } from '../../lib/judge/recorded-oracle.ts';
import { describeRecord } from '../../lib/judge/failure-text.ts';
import type { LedgerEntry } from '../../lib/model/ledger.ts';
import type { HeaderLine } from '../../lib/model/policy.ts';
import type { EngineName } from '../../lib/oracle/vocabulary.ts';

// Records as an own-server run writes them: the API at https://api.example.com, meant for https://app.example.com
// with credentials, PUT and X-Request-Id; attackers that should read nothing.
const API = 'https://api.example.com';
const APP = 'https://app.example.com';
const PREFIX_ATTACKER = 'https://app.example.com.evil.test';
const EVIL = 'https://evil.test';

const lines = (pairs: Record<string, string>): HeaderLine[] => Object.entries(pairs).map(([name, value]) => ({ name, value }));
const allowApp = (origin: string, extra: Record<string, string> = {}) => lines({ 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true', Vary: 'Origin', ...extra });

interface Row {
  readonly probe: Probe;
  readonly from: string;
  readonly path: string;
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly credentials?: RequestCredentials;
  /** The intent's verdict for this row, before any finding. */
  readonly expected: CaseOutcome['verdict'];
  readonly finding?: string;
  readonly preflight?: { status: number; headers: HeaderLine[] };
  /** Absent: the actual request never arrived (blocked at preflight). */
  readonly actual?: { status: number; headers: HeaderLine[] };
  readonly engine?: EngineName;
}

function entry(kind: LedgerEntry['kind'], row: Row, answer: { status: number; headers: HeaderLine[] }): LedgerEntry {
  return {
    at: 1,
    kind,
    method: kind === 'preflight' ? 'OPTIONS' : (row.method ?? 'GET'),
    target: API,
    path: `${row.path}?cm_case=x`,
    origin: row.from,
    accessControlRequestMethod: kind === 'preflight' ? (row.method ?? 'GET') : undefined,
    accessControlRequestHeaders: kind === 'preflight' && row.headers ? Object.keys(row.headers).map((h) => h.toLowerCase()).join(',') : undefined,
    cookies: [],
    handlerRan: kind === 'actual',
    answered: true,
    status: answer.status,
    responseHeaders: answer.headers,
  };
}

let counter = 0;
function record(row: Row): CaseRecord {
  counter++;
  const request = { method: row.method ?? 'GET', headers: row.headers ?? {}, body: null, credentials: row.credentials ?? 'include', mode: 'cors' as const, redirect: 'follow' as const };
  const url = `${API}${row.path}?cm_case=k${counter}`;
  const ledger = [...(row.preflight ? [entry('preflight', row, row.preflight)] : []), ...(row.actual ? [entry('actual', row, row.actual)] : [])];
  const oracleRequest = oracleRequestOf({ requestOrigin: row.from, url, request });
  // The engine does what the Fetch Standard says on these answers (the oracle decides the page's report).
  const judged = judgeRecorded(oracleRequest, ledger);
  const report = judged.judged && judged.verdict === 'allowed' && row.actual ? ({ kind: 'resolved', status: row.actual.status, type: 'cors', headers: [], body: '' } as const) : ({ kind: 'rejected', name: 'TypeError', message: 'Failed to fetch' } as const);
  const outcome = classify(report, ledger, [], { request: oracleRequest, engineReasons: [] });
  const expected = row.finding ? outcome.verdict : row.expected;
  return {
    caseId: `own-server-api-example-com-${row.path.slice(1).replace(/\W/g, '-')}-${String(counter).padStart(3, '0')}-${row.probe}-${request.method.toLowerCase()}-${counter}`,
    family: 'own-server',
    proves: 'your server does what you meant',
    title: `${request.method} from ${row.from} to ${API}${row.path}`,
    engine: { name: row.engine ?? 'chromium', version: '1', build: 'system', executable: '/bin/true', protocol: 'playwright', profile: 'as-shipped' },
    from: 'page',
    to: 'cross-site',
    server: 'your server',
    request,
    external: { pageOrigin: row.from, url: `${API}${row.path}` },
    probe: row.probe,
    ...(row.finding && { finding: row.finding, intendedVerdict: row.expected }),
    requestOrigin: row.from,
    url,
    expected: { verdict: expected },
    outcome,
    ledger,
    mismatches: outcome.verdict === expected ? [] : [`verdict: expected ${expected}, got ${outcome.verdict}`],
    engineReasons: [],
    verdictFrom: 'intent',
    durationMs: 1,
  };
}

const ok = (headers: HeaderLine[]) => ({ status: 200, headers });
const PUT_PREFLIGHT = (origin: string, extra: Record<string, string> = {}) => ({ status: 204, headers: allowApp(origin, { 'Access-Control-Allow-Methods': 'GET, PUT', 'Access-Control-Allow-Headers': 'X-Request-Id', ...extra }) });

/** A run with one instance of every cause the diagnosis knows, plus the rows that pass. */
function run(): { project: string; case: CaseRecord }[] {
  const rows: Row[] = [
    // What works: the app reads, attackers do not.
    { probe: 'credentialed-read', from: APP, path: '/api/orders', expected: 'allowed', actual: ok(allowApp(APP)) },
    { probe: 'credentialed-read', from: EVIL, path: '/api/orders', expected: 'blocked-at-response', actual: ok([]) },
    { probe: 'credentialed-read', from: 'null', path: '/api/orders', expected: 'blocked-at-response', actual: ok([]) },
    // An unanchored pattern: the prefix attacker reads with credentials, in two engines; declared as a finding in one.
    { probe: 'credentialed-read', from: PREFIX_ATTACKER, path: '/api/orders', expected: 'blocked-at-response', actual: ok(allowApp(PREFIX_ATTACKER)) },
    { probe: 'credentialed-read', from: PREFIX_ATTACKER, path: '/api/orders', expected: 'blocked-at-response', actual: ok(allowApp(PREFIX_ATTACKER)), engine: 'firefox' },
    { probe: 'simple-read', from: PREFIX_ATTACKER, path: '/api/health', expected: 'blocked-at-response', actual: ok(allowApp(PREFIX_ATTACKER)), finding: 'known' },
    // A 500 without CORS headers, and a redirect without them.
    { probe: 'credentialed-read', from: APP, path: '/api/broken', expected: 'allowed', actual: { status: 500, headers: [] } },
    { probe: 'credentialed-read', from: APP, path: '/api/moved', expected: 'allowed', actual: { status: 302, headers: lines({ Location: '/login' }) } },
    // A route that does not answer OPTIONS.
    { probe: 'intended-method', from: APP, path: '/api/upload', method: 'PUT', expected: 'allowed', preflight: { status: 405, headers: [] } },
    // The preflight forgets a header, a method; credentials without Allow-Credentials; a wildcard with credentials.
    { probe: 'intended-headers', from: APP, path: '/api/orders', headers: { 'X-Request-Id': '1' }, expected: 'allowed', preflight: PUT_PREFLIGHT(APP, { 'Access-Control-Allow-Headers': 'Content-Type' }) },
    { probe: 'intended-method', from: APP, path: '/api/items', method: 'PUT', expected: 'allowed', preflight: PUT_PREFLIGHT(APP, { 'Access-Control-Allow-Methods': 'GET' }) },
    { probe: 'credentialed-read', from: APP, path: '/api/profile', expected: 'allowed', actual: ok(lines({ 'Access-Control-Allow-Origin': APP, Vary: 'Origin' })) },
    { probe: 'credentialed-read', from: APP, path: '/api/public', expected: 'allowed', actual: ok(lines({ 'Access-Control-Allow-Origin': '*' })) },
    // An unintended header let through by an echoing allow-list, from the app itself.
    { probe: 'unintended-header', from: APP, path: '/api/orders', headers: { 'X-Unintended': '1' }, expected: 'blocked-at-preflight', preflight: PUT_PREFLIGHT(APP, { 'Access-Control-Allow-Headers': 'x-unintended' }), actual: ok(allowApp(APP)) },
    // The origin reflected without Vary: Origin (the read is as meant; the cache is not).
    { probe: 'simple-read', from: APP, path: '/api/catalog', credentials: 'same-origin', expected: 'allowed', actual: ok(lines({ 'Access-Control-Allow-Origin': APP })) },
  ];
  return rows.map((row) => ({ project: row.engine ?? 'chromium', case: record(row) }));
}

const EXPECTED_KINDS: readonly CauseKind[] = [
  'origin-accepted',
  'error-response-without-cors',
  'preflight-not-ok',
  'preflight-header-not-allowed',
  'preflight-method-not-allowed',
  'credentials-not-allowed',
  'preflight-allows-unintended',
  'missing-vary-origin',
];

test('Every cause in the run is found, once per root cause across routes and engines.', () => {
  const causes = diagnose(run());
  for (const kind of EXPECTED_KINDS) expect(causes.map((c) => c.kind), kind).toContain(kind);
  const prefix = causes.filter((c) => c.kind === 'origin-accepted');
  expect(prefix).toHaveLength(1);
  expect(prefix[0]?.summary).toContain(PREFIX_ATTACKER);
  expect(prefix[0]?.summary).toContain('not anchored');
  expect(prefix[0]?.engines).toEqual(['chromium', 'firefox']);
  expect(prefix[0]?.routes).toEqual(['/api/orders', '/api/health']);
  expect(prefix[0]?.declared).toBe(false);
  // Two credentials causes: Allow-Credentials missing, and a wildcard that never admits credentials.
  expect(causes.filter((c) => c.kind === 'credentials-not-allowed').map((c) => c.summary).join('\n')).toMatch(/lacks Access-Control-Allow-Credentials[\s\S]*Allow-Origin: \*/);
  expect(causes.find((c) => c.kind === 'error-response-without-cors' && c.routes.includes('/api/broken'))?.summary).toContain('500');
  expect(causes.find((c) => c.kind === 'error-response-without-cors' && c.routes.includes('/api/moved'))?.summary).toContain('redirects (302)');
  expect(causes.find((c) => c.kind === 'preflight-header-not-allowed')?.summary).toContain('x-request-id');
});

test('Every suggested fix, applied to the recorded answers, passes the oracle and opens nothing for an outsider.', () => {
  const causes = diagnose(run());
  const fixed = causes.filter((c) => c.headerFix !== undefined);
  expect(fixed.length).toBeGreaterThanOrEqual(EXPECTED_KINDS.length);
  for (const cause of fixed) {
    expect(cause.check?.passed, `${cause.summary}: ${cause.check?.detail}`).toBe(true);
    expect(cause.check?.casesChecked).toBeGreaterThan(0);
  }
  // The outsiders of the API (evil.test, null, the prefix attacker) are checked against every fix.
  expect(fixed.every((c) => (c.check?.outsidersChecked ?? 0) >= 3)).toBe(true);
});

test('A fix that does not fix is caught by the check: Vary alone leaves a 500 without CORS headers blocked.', () => {
  const records = run().map((r) => r.case);
  const broken = records.filter((c) => c.url.includes('/api/broken'));
  const check = checkFix({ kind: 'vary-origin' }, broken, [], new Set([APP]), true);
  expect(check.passed).toBe(false);
  expect(check.detail).toContain('not allowed');
  // It says what still fails with the fix in, the next thing to change.
  expect(check.detail).toContain('still failing: response:');
});

test('A case measured in several engines is named once by a failing check.', () => {
  const records = run().map((r) => r.case);
  const broken = records.filter((c) => c.url.includes('/api/broken'));
  const once = checkFix({ kind: 'vary-origin' }, broken, [], new Set([APP]), true);
  // The same records again, as a second engine's measurements of the same cases would be.
  const twice = checkFix({ kind: 'vary-origin' }, [...broken, ...broken], [], new Set([APP]), true);
  expect(twice.detail).toBe(once.detail);
  for (const c of broken) expect(twice.detail.split(c.caseId).length - 1).toBeLessThanOrEqual(2);
});

test('A fix that would let an attacker read is caught by the check.', () => {
  const records = run().map((r) => r.case);
  const evil = records.filter((c) => c.requestOrigin === EVIL);
  // Scoped to "the intended origins", but with the attacker wrongly among them: the check must refuse it.
  const check = checkFix({ kind: 'allow-intended-origin', stages: ['response'] }, [], evil, new Set([APP, EVIL]), true);
  expect(check.passed).toBe(false);
  expect(check.detail).toContain(`let ${EVIL} read`);
});

test('A cause shown in the terminal names the fix, its check, and the findings entry that accepts it.', () => {
  const cause = diagnose(run()).find((c) => c.kind === 'origin-accepted');
  expect(cause).toBeDefined();
  const text = describeCause(cause!, 1);
  expect(text).toContain('fix:');
  expect(text).toContain('check: ✓');
  expect(text).toContain(`{ probe: 'credentialed-read', from: '${PREFIX_ATTACKER}', observed: { verdict: 'allowed' }, finding: `);
  expect(text).toContain(`{ probe: 'simple-read', from: '${PREFIX_ATTACKER}', observed: { verdict: 'allowed' }, engines: ['chromium'], finding: `);
});

const CLASSES: readonly [attacker: string, intended: string, id: string][] = [
  ['https://app.example.com.evil.test', 'https://app.example.com', 'prefix-match'],
  ['https://evilapp.example.com', 'https://app.example.com', 'suffix-match'],
  ['https://staging.example.com', 'https://app.example.com', 'any-subdomain'],
  ['http://app.example.com', 'https://app.example.com', 'scheme-not-pinned'],
  ['https://app.example.com:8443', 'https://app.example.com', 'other-port'],
  ['https://wwwxapp.example.com', 'https://www.app.example.com', 'unescaped-dot'],
  // restify-cors-middleware2's *.example.com: ^https://.*\.example.com$, the second dot unescaped.
  ['https://x.examplezcom', 'https://app.example.com', 'unescaped-dot'],
  ['null', 'https://app.example.com', 'null-trusted'],
  ['https://evil.test', 'https://app.example.com', 'reflected'],
];
for (const [attacker, intended, id] of CLASSES) {
  test(`An accepted ${attacker} against ${intended} is classed ${id}.`, () => {
    expect(originClass(attacker, [intended]).id).toBe(id);
  });
}

test("A failing case's own message stays short and names its cause and the checked fix.", () => {
  const broken = run().find((r) => r.case.url.includes('/api/broken'))!.case;
  const text = describeRecord(broken, causeOfRecord(broken));
  expect(text.split('\n').length).toBeLessThanOrEqual(16);
  expect(text).toContain('cause:    error responses (500) carry no Access-Control-Allow-Origin');
  expect(text).toMatch(/fix: .*Access-Control-Allow-Origin: https:\/\/app\.example\.com.*checked ✓/);
  expect(text).toContain('carries no CORS headers');
});

// restify-cors-middleware2's preflight echoes any requested method; restify then answers an unrouted PATCH 405 with no
// CORS headers. The app's own PATCH is not an outsider, and the 405 is not intended traffic blocked.
const ECHOED_PATCH: Row = {
  probe: 'unintended-method',
  from: APP,
  path: '/api/orders',
  method: 'PATCH',
  credentials: 'omit',
  expected: 'blocked-at-preflight',
  preflight: { status: 204, headers: allowApp(APP, { 'Access-Control-Allow-Methods': 'PATCH,OPTIONS' }) },
  actual: { status: 405, headers: [] },
};

for (const finding of [undefined, 'the preflight echoes any method; restify answers 405 without CORS headers']) {
  test(`An intended origin's unintended method, let through by the preflight and answered 405 bare, is the preflight allowing it${finding ? ' (declared as a finding)' : ''}.`, () => {
    const patch = record({ ...ECHOED_PATCH, ...(finding && { finding }) });
    const one = causeOfRecord(patch);
    expect(one?.kind).toBe('preflight-allows-unintended');
    expect(one?.summary).toContain('the preflight allows PATCH, which the intent does not');
    expect(one?.detail).toContain('echoes Access-Control-Request-Method');
    expect(one?.detail).toContain('sent to your server all the same (answered 405');
    expect(one?.check?.passed, one?.check?.detail).toBe(true);
    const causes = diagnose([...run(), { project: 'chromium', case: patch }]);
    const kinds = causes.filter((c) => c.routes.includes('/api/orders') && c.summary.includes('PATCH')).map((c) => c.kind);
    expect(kinds).toEqual(['preflight-allows-unintended']);
    // An echo is no list of the server's: nothing more "also listed" to drop, and OPTIONS is never named.
    const echo = causes.find((c) => c.kind === 'preflight-allows-unintended' && c.summary.includes('PATCH'));
    expect(echo?.summary).not.toContain('also lists');
    expect(echo?.fix).toMatch(/drop PATCH on \/api\/orders$/);
    expect(causes.some((c) => c.kind === 'error-response-without-cors' && c.summary.includes('405'))).toBe(false);
    expect(causes.some((c) => c.kind === 'origin-accepted' && c.summary.includes(`accepts ${APP}`))).toBe(false);
  });
}

test('A credentials fix for a failed preflight goes on the response too: the hidden actual answer needs the same headers.', () => {
  const put = record({ probe: 'credentialed-method', from: APP, path: '/api/orders', method: 'PUT', headers: { 'Content-Type': 'application/json' }, expected: 'allowed', preflight: { status: 204, headers: lines({ 'Access-Control-Allow-Origin': APP, 'Access-Control-Allow-Methods': 'GET, PUT', 'Access-Control-Allow-Headers': 'Content-Type' }) } });
  const cause = causeOfRecord(put);
  expect(cause?.kind).toBe('credentials-not-allowed');
  expect(cause?.headerFix).toEqual({ kind: 'allow-intended-origin', stages: ['preflight', 'response'] });
  expect(describeRecord(put, cause)).toMatch(/fix: +on the preflight \(OPTIONS\) answer and the response, for an allowed origin: .*Access-Control-Allow-Credentials: true/);
});

// hapi answers a preflight that asks for a header it does not allow with no CORS header at all (rs/cors does too):
// alone, that reads like an origin not allowed; the server's other preflights admitting the origin tell them apart.
test('A preflight refused whole over one request header is named by that header, once other preflights admit the origin.', () => {
  const put: Row = { probe: 'intended-method', from: APP, path: '/api/orders', method: 'PUT', credentials: 'omit', expected: 'allowed', preflight: PUT_PREFLIGHT(APP), actual: ok(allowApp(APP)) };
  const traced: Row = { probe: 'intended-headers', from: APP, path: '/api/orders', headers: { 'X-Request-Id': '1', 'X-Trace': '1' }, credentials: 'omit', expected: 'allowed', preflight: { status: 200, headers: [] } };
  const one = causeOfRecord(record(traced));
  expect(one?.kind).toBe('preflight-header-not-allowed');
  expect(one?.summary).toContain('is not allowed, or a requested header is not');
  expect(one?.check?.passed, one?.check?.detail).toBe(true);
  const causes = diagnose([put, traced].map((row) => ({ project: 'chromium', case: record(row) })));
  const refused = causes.filter((c) => c.routes.includes('/api/orders') && c.severity === 'intended-blocked');
  expect(refused.map((c) => c.kind)).toEqual(['preflight-header-not-allowed']);
  expect(refused[0]?.summary).toContain('refuses the whole preflight over a request header it does not allow (x-trace)');
  expect(refused[0]?.check?.passed, refused[0]?.check?.detail).toBe(true);
  // No preflight of the run admits the origin: it is the origin that is not allowed.
  const bare = diagnose([{ ...put, preflight: { status: 200, headers: [] }, actual: undefined }, traced].map((row) => ({ project: 'chromium', case: record(row) })));
  expect(bare.filter((c) => c.severity === 'intended-blocked').map((c) => c.kind)).not.toContain('preflight-header-not-allowed');
});

test("A method the intent needs on a route is never an extra to drop, even where that route's request is a declared finding.", () => {
  // examples/nginx's /api/admin: the intended PUT fails (500) and is declared; OPTIONS lists GET, PUT, DELETE.
  const listed = { 'Access-Control-Allow-Methods': 'GET, PUT, DELETE' };
  const rows: Row[] = [
    { probe: 'intended-method', from: APP, path: '/api/admin', method: 'PUT', credentials: 'omit', expected: 'allowed', finding: 'the PUT handler fails', preflight: PUT_PREFLIGHT(APP, listed), actual: { status: 500, headers: [] } },
    { probe: 'unintended-method', from: APP, path: '/api/admin', method: 'DELETE', credentials: 'omit', expected: 'blocked-at-preflight', preflight: PUT_PREFLIGHT(APP, listed), actual: ok(allowApp(APP)) },
  ];
  const cause = diagnose(rows.map((row) => ({ project: 'chromium', case: record(row) }))).find((c) => c.kind === 'preflight-allows-unintended');
  expect(cause?.summary).toContain('the preflight allows DELETE');
  expect(cause?.summary).not.toContain('also lists PUT');
  expect(cause?.fix).toMatch(/drop DELETE on \/api\/admin$/);
  expect(cause?.check?.passed, cause?.check?.detail).toBe(true);
});

// Starlette/FastAPI's CORSMiddleware answers a preflight it refuses itself: 400 "Disallowed CORS method", carrying its
// own CORS headers and lists. The cause is what its lists lack, not a route that does not handle OPTIONS.
test('A preflight the CORS layer refuses itself (an error status with its own lists) names what its lists lack.', () => {
  const lists = (extra: Record<string, string>) => ({ status: 400, headers: allowApp(APP, { 'Access-Control-Allow-Methods': 'DELETE, GET, HEAD, OPTIONS, PATCH, POST', 'Access-Control-Allow-Headers': 'Accept, Accept-Language, Content-Language, Content-Type, X-Request-Id', ...extra }) });
  const put = record({ probe: 'intended-method', from: APP, path: '/api/orders', method: 'PUT', credentials: 'omit', expected: 'allowed', preflight: lists({ 'Access-Control-Allow-Methods': 'GET, POST' }) });
  const byMethod = causeOfRecord(put);
  expect(byMethod?.kind).toBe('preflight-method-not-allowed');
  expect(byMethod?.summary).toContain('the CORS layer refuses the preflight itself (OPTIONS /api/orders answered 400, with its own CORS headers): PUT is not on its list (Access-Control-Allow-Methods: GET, POST)');
  expect(byMethod?.check?.passed, byMethod?.check?.detail).toBe(true);
  const traced = record({ probe: 'intended-headers', from: APP, path: '/api/orders', headers: { 'X-Request-Id': '1', 'X-Trace': '1' }, credentials: 'omit', expected: 'allowed', preflight: lists({}) });
  const byHeader = causeOfRecord(traced);
  expect(byHeader?.summary).toMatch(/: x-trace is not on its list \(Access-Control-Allow-Headers: Accept, .*X-Request-Id\)$/);
  expect(byHeader?.check?.passed, byHeader?.check?.detail).toBe(true);
  // An error answer with no list of its own is still a route that does not answer OPTIONS.
  const bare = record({ probe: 'intended-method', from: APP, path: '/api/upload', method: 'PUT', credentials: 'omit', expected: 'allowed', preflight: { status: 405, headers: [] } });
  expect(causeOfRecord(bare)?.kind).toBe('preflight-not-ok');
});
