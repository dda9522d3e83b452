import { test, expect } from '@playwright/test';
import { inferOriginChecks, type OriginObservation } from '../../lib/diagnose/origin-check.ts';
import { describeImpact, type ImpactAct } from '../../lib/diagnose/impact.ts';
import { serverConfig, serverKindOf } from '../../lib/diagnose/server-fix.ts';
import type { CaseRecord } from '../../lib/judge/case-record.ts';
import { validateConfig } from '../../lib/model/own-server-config.ts';
import { listedBeyondIntent, mergedExtras, type RecordCause } from '../../lib/diagnose/rules.ts';
import { applyFix, describeFix } from '../../lib/diagnose/fixes.ts';
import type { Cause } from '../../lib/diagnose/diagnose.ts';
import { describeCause } from '../../lib/report/diagnosis-text.ts';

// Tables of observations (what a server answered each outside origin) → the behaviours of its origin check.
const APP = 'https://todos.example';
const admitted = (origin: string, allowOrigin = origin): OriginObservation => ({ origin, admitted: true, allowOrigin });
const refused = (origin: string): OriginObservation => ({ origin, admitted: false });

const TABLE: readonly { name: string; observed: OriginObservation[]; behaviours: string[]; intended?: string[] }[] = [
  { name: 'nothing admitted: no hole', observed: [refused('https://evil.test'), refused('null')], behaviours: [] },
  {
    name: 'an unrelated origin admitted: one reflection, every admitted origin its evidence',
    observed: [admitted('https://evil.test'), admitted('https://todos.example.evil.test'), admitted('http://todos.example'), admitted('null')],
    behaviours: ['reflects-any https://evil.test,https://todos.example.evil.test,http://todos.example,null'],
  },
  { name: 'unrelated refused, prefix admitted: prefix match', observed: [refused('https://evil.test'), admitted('https://todos.example.evil.test')], behaviours: ['prefix-match https://todos.example.evil.test'] },
  { name: 'null refused, suffix admitted: suffix match', observed: [refused('null'), admitted('https://eviltodos.example')], behaviours: ['suffix-match https://eviltodos.example'] },
  {
    // Express `cors` with origin: [app, /notes\.test$/] (tried as a user, 2026-12-06): the site's letters without a dot
    // before them, and the scheme not pinned; a look-alike that only starts with the app's host was refused.
    name: "a pattern for the site's subdomains without a dot boundary, scheme not pinned: one check, both flaws named",
    observed: [refused('https://evil.test'), refused('https://app.notes.test.evil.test'), refused('null'), admitted('https://evilnotes.test'), admitted('http://app.notes.test')],
    behaviours: ['loose-pattern https://evilnotes.test,http://app.notes.test'],
    intended: ['https://app.notes.test'],
  },
  { name: 'two flaws of one check: one cause naming both', observed: [refused('https://evil.test'), admitted('http://todos.example'), admitted('null')], behaviours: ['loose-pattern http://todos.example,null'] },
  {
    name: "Vite's default check: the port not compared and every subdomain of localhost trusted, unrelated refused",
    observed: [refused('https://evil.test'), refused('null'), admitted('http://localhost:4000'), admitted('http://evil.localhost:3000')],
    behaviours: ['loose-pattern http://localhost:4000,http://evil.localhost:3000'],
    intended: ['http://localhost:3000'],
  },
  { name: 'only a look-alike tried and admitted: cannot be told from a reflection', observed: [admitted('https://todos.example.evil.test')], behaviours: ['admits-every-outsider-tried https://todos.example.evil.test'] },
  { name: 'a wildcard is its own behaviour', observed: [admitted('https://evil.test', '*'), refused('null')], behaviours: ['wildcard https://evil.test'] },
  {
    name: "restify-cors-middleware2's *.example.com (second dot unescaped): unrelated refused, two flaws of one check",
    observed: [refused('https://evil.test'), refused('https://app.example.com.evil.test'), refused('http://app.example.com'), refused('null'), admitted('https://x.examplezcom'), admitted('https://staging.example.com')],
    behaviours: ['loose-pattern https://x.examplezcom,https://staging.example.com'],
    intended: ['https://app.example.com', 'https://admin.example.com'],
  },
  { name: 'an unrelated origin admitted while another unrelated one is refused: a check, not a reflection', observed: [refused('https://evil.test'), admitted('https://other.test')], behaviours: ['admits-unrelated https://other.test'] },
  { name: 'an unrelated origin admitted, only null refused: still a reflection', observed: [refused('null'), admitted('https://evil.test')], behaviours: ['reflects-any https://evil.test'] },
  { name: 'admitted on one route, refused on another: admitted', observed: [refused('https://evil.test'), admitted('https://evil.test'), refused('null')], behaviours: ['reflects-any https://evil.test'] },
];

for (const row of TABLE) {
  test(`origin check: ${row.name}`, () => {
    const checks = inferOriginChecks(row.observed, row.intended ?? [APP]);
    expect(checks.map((c) => `${c.id} ${c.admitted.join(',')}`)).toEqual(row.behaviours);
  });
}

test("a host ending in the site's letters is a suffix match, not an unexplained flaw", () => {
  const [check] = inferOriginChecks([refused('https://evil.test'), admitted('https://evilnotes.test')], ['https://app.notes.test']);
  expect(check?.id).toBe('suffix-match');
  expect(check?.why).toContain('https://evilnotes.test ends with notes.test, with no dot before it');
  expect(check?.why).toContain('https://evil.test was refused');
});

test('a prefix match is explained by the refused origin that separates it from a reflection', () => {
  const [check] = inferOriginChecks([refused('https://evil.test'), admitted('https://todos.example.evil.test')], [APP]);
  expect(check?.why).toContain('https://evil.test was refused');
});

test('impact names reads and each write, with and without the session', () => {
  const acts: ImpactAct[] = [
    { origin: 'https://evil.test', act: 'reads', method: 'GET', route: '/todos', withSession: true },
    { origin: 'https://evil.test', act: 'writes', method: 'PATCH', route: '/todos/1', withSession: true },
    { origin: 'https://evil.test', act: 'writes', method: 'DELETE', route: '/todos/1', withSession: true },
    { origin: 'null', act: 'writes', method: 'POST', route: '/todos', withSession: false },
  ];
  expect(describeImpact(acts)).toBe("https://evil.test reads /todos, PATCHes /todos/1 and DELETEs /todos/1 with the user's session; null POSTs /todos without a session");
});

test('a write your server answered with an error is named as arriving, not as done', () => {
  const acts: ImpactAct[] = [
    { origin: 'https://evil.test', act: 'reads', method: 'GET', route: '/api/orders.json', withSession: true },
    { origin: 'https://evil.test', act: 'writes', method: 'PUT', route: '/api/orders.json', withSession: true, answeredError: 405 },
  ];
  expect(describeImpact(acts)).toBe("https://evil.test reads /api/orders.json and gets PUT /api/orders.json to your server (answered 405, so it may not have run) with the user's session");
});

test("a deployed API's held-back write is named as sent by the browser, not run by the server", () => {
  const acts: ImpactAct[] = [
    { origin: 'https://evil.test', act: 'reads', method: 'GET', route: '/health', withSession: true },
    { origin: 'https://evil.test', act: 'writes', method: 'PUT', route: '/health', withSession: true, heldBack: true },
  ];
  expect(describeImpact(acts)).toBe("https://evil.test reads /health and PUTs /health (sent by the browser; held back here, so your server did not run it) with the user's session");
});

test('a server configuration fix names the config\'s own origins, and no origin from the README', () => {
  const policy = { origins: [APP], methods: ['DELETE', 'PATCH', 'POST'], headers: ['Content-Type'], credentials: true };
  for (const kind of ['nginx', 'caddy', 'apache', 'flask-cors', 'rs-cors', 'express-cors', 'koa-cors', 'fastify-cors', 'hono-cors'] as const) {
    const config = serverConfig(kind, policy);
    expect(config.includes('todos') && /todos\\?\.example/.test(config), kind).toBe(true);
    expect(config, kind).not.toContain('app.example.com');
    expect(config, kind).toMatch(/credentials|Credentials/);
  }
});

// flask-cors sends Vary: Origin only where more than one origin can match: the printed CORS(...) for one origin, pasted
// into a Flask app (Debian's flask-cors 3.0.10), answered without it, and the diagnosis then asked for it again.
test('the flask-cors fix for one allowed origin adds Vary: Origin itself; for several, flask-cors does', () => {
  const one = serverConfig('flask-cors', { origins: [APP], methods: ['POST'], headers: [], credentials: true });
  expect(one).toContain("@app.after_request\ndef vary_on_origin(response):\n    response.vary.add('Origin')");
  const two = serverConfig('flask-cors', { origins: [APP, 'https://admin.todos.example'], methods: ['POST'], headers: [], credentials: true });
  expect(two).not.toContain('after_request');
  expect(two).toContain('vary_header=True');
});

test('a server kind the fixes do not know is refused at load, naming the field and the kinds it knows', () => {
  const config = { target: { url: 'http://127.0.0.1:3000' }, routes: [{ path: '/todos' }], intent: { origins: [APP] }, server: 'lighttpd' };
  expect(() => validateConfig(config, 'cors-matrix.config.ts')).toThrow(/server.*'nginx', 'caddy', 'apache', 'flask-cors', 'rs-cors', 'express-cors'/s);
});

test('the server kind comes from the config, else a middleware suite, else the Server header; unknown otherwise', () => {
  const rec = (fields: Record<string, unknown>) => ({ ledger: [], ...fields }) as unknown as CaseRecord;
  const answered = (server: string) => rec({ ledger: [{ responseHeaders: [{ name: 'Server', value: server }] }] });
  expect(serverKindOf([rec({ external: { pageOrigin: APP, url: `${APP}/x`, server: 'flask-cors' } })])).toBe('flask-cors');
  expect(serverKindOf([rec({ app: { suite: 'koa-cors/list', middleware: 'koa-cors', options: '' } })])).toBe('koa-cors');
  expect(serverKindOf([answered('nginx/1.26.3')])).toBe('nginx');
  expect(serverKindOf([answered('Caddy')])).toBe('caddy');
  expect(serverKindOf([answered('Apache/2.4.66 (Debian)')])).toBe('apache');
  expect(serverKindOf([answered('Werkzeug/3.1.3 Python/3.13.5')])).toBeUndefined();
});

// One Access-Control-Allow-Methods list the server sends on every route is one behaviour, whatever each route's intent lacks.
test('extras of one list across routes make one cause: each extra named with its routes, the fix drops them all', () => {
  const listed = { header: 'Access-Control-Allow-Methods', value: 'GET,HEAD,PUT,PATCH,POST,DELETE' };
  const cause = (method: string, route: string): RecordCause => ({
    kind: 'preflight-allows-unintended',
    severity: 'more-than-intended',
    key: 'preflight-allows-methods:get,head,put,patch,post,delete',
    summary: `the preflight allows ${method}, which the intent does not`,
    detail: '',
    headerFix: { kind: 'remove-from-list', stage: 'preflight', header: listed.header, drop: [{ value: method, route }] },
    extras: [{ value: method, route }],
    listed,
    intendedRead: false,
  });
  const causes = [cause('DELETE', '/todos'), cause('PUT', '/todos/1'), cause('DELETE', '/todos')];
  const merged = mergedExtras(causes, causes[0]!);
  expect(merged.summary).toBe('the preflight allows DELETE (on /todos), PUT (on /todos/1), which the intent does not: Access-Control-Allow-Methods is GET,HEAD,PUT,PATCH,POST,DELETE');
  expect(merged.headerFix).toEqual({ kind: 'remove-from-list', stage: 'preflight', header: listed.header, drop: [{ value: 'DELETE', route: '/todos' }, { value: 'PUT', route: '/todos/1' }] });
  expect(describeFix(merged.headerFix!, {})).toBe('on the preflight (OPTIONS) answer: list only what the intent needs in Access-Control-Allow-Methods — drop DELETE on /todos; PUT on /todos/1');
  const answer = { status: 204, headers: [{ name: listed.header, value: listed.value }] };
  const on = (route: string, method: string) => applyFix(merged.headerFix!, 'preflight', answer, { requestOrigin: APP, intendedOrigins: new Set([APP]), credentials: false, method, requestHeaders: [], route }).headers;
  // DELETE is dropped on /todos only: /todos/1's intended DELETE keeps its grant.
  expect(on('/todos', 'POST')).toEqual([{ name: listed.header, value: 'GET, HEAD, PUT, PATCH, POST' }]);
  expect(on('/todos/1', 'DELETE')).toEqual([{ name: listed.header, value: 'GET, HEAD, PATCH, POST, DELETE' }]);
  // A `*` gives way to what the request needs.
  const star = applyFix({ kind: 'remove-from-list', stage: 'preflight', header: 'Access-Control-Allow-Headers', drop: [{ value: 'X-Unintended' }] }, 'preflight', { status: 204, headers: [{ name: 'Access-Control-Allow-Headers', value: '*' }] }, { requestOrigin: APP, intendedOrigins: new Set([APP]), credentials: false, method: 'PUT', requestHeaders: ['content-type'] });
  expect(star.headers).toEqual([{ name: 'Access-Control-Allow-Headers', value: 'content-type' }]);
  // A single route keeps the plain wording.
  expect(mergedExtras([cause('DELETE', '/todos')], cause('DELETE', '/todos')).summary).toBe('the preflight allows DELETE, which the intent does not: Access-Control-Allow-Methods is GET,HEAD,PUT,PATCH,POST,DELETE');
});

// local-web-server lists GET,HEAD,PUT,POST,DELETE,PATCH; the intent needs PUT; the probe got DELETE through.
test('a method list names more than the probe tried: the fix drops every listed method no intended request needs', () => {
  const cause = {
    summary: 'the preflight allows DELETE, which the intent does not: Access-Control-Allow-Methods is GET,HEAD,PUT,POST,DELETE,PATCH',
    headerFix: { kind: 'remove-from-list', stage: 'preflight', header: 'Access-Control-Allow-Methods', drop: [{ value: 'DELETE', route: '/api/orders.json' }] },
    listed: { header: 'Access-Control-Allow-Methods', value: 'GET,HEAD,PUT,POST,DELETE,PATCH' },
  } as const;
  const more = listedBeyondIntent(cause, () => new Set(['GET', 'PUT']));
  expect(more.summary).toBe('the preflight allows DELETE, which the intent does not: Access-Control-Allow-Methods is GET,HEAD,PUT,POST,DELETE,PATCH; it also lists PATCH, which no intended request needs');
  const fixed = applyFix(more.headerFix!, 'preflight', { status: 204, headers: [{ name: 'Access-Control-Allow-Methods', value: cause.listed.value }] }, { requestOrigin: APP, intendedOrigins: new Set([APP]), credentials: true, method: 'PUT', requestHeaders: [], route: '/api/orders.json' });
  expect(fixed.headers).toEqual([{ name: 'Access-Control-Allow-Methods', value: 'GET, HEAD, PUT, POST' }]);
  // Nothing more listed than needed: unchanged.
  expect(listedBeyondIntent({ ...cause, listed: { header: 'Access-Control-Allow-Methods', value: 'GET, PUT, DELETE' } }, () => new Set(['PUT'])).summary).toBe(cause.summary);
});

// Express `cors` (tried as a user, 2026-12-06): the header fix dropped DELETE on /notes, while the printed
// `app.use(cors({ methods: ['DELETE', 'GET', 'POST'] }))` still listed it there, under "(the same headers)".
test("a server-wide configuration says where it is not the header fix: a route that needs fewer methods", () => {
  const cause: Cause = {
    id: 'x', kind: 'preflight-allows-unintended', severity: 'more-than-intended', summary: 'the preflight allows DELETE, which the intent does not', detail: '', declared: false,
    server: 'https://api.notes.test', routes: ['/notes'], engines: ['chromium'], cases: [],
    serverFix: { kind: 'express-cors', config: "app.use(cors({ origin: ['https://app.notes.test'], methods: ['DELETE', 'GET', 'POST'] }))", routesNeedingLess: [{ route: '/notes', methods: ['GET', 'POST'] }] },
  };
  const text = describeCause(cause, 1);
  expect(text).toContain('as express-cors configuration (one setting for every route, so not the same headers on /notes: it lists every method the routes need, where /notes needs GET, POST; give that route a setting of its own):');
  expect(text).not.toContain('(the same headers)');
  const { routesNeedingLess: _, ...same } = cause.serverFix!;
  expect(describeCause({ ...cause, serverFix: same }, 1)).toContain('as express-cors configuration (the same headers):');
});
