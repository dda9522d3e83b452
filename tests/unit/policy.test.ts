import { test, expect } from '@playwright/test';
import { originMap } from '../../lib/model/origins.ts';
import type { HeaderLine, Policy, PolicyContext, ResponseKind } from '../../lib/model/policy.ts';
import { actualResponseExtras, corsHeaders, expandTemplate, groupHeaderLines } from '../../lib/model/policy.ts';
import { hopOf, policyAnswer, type AnswerInput } from '../../servers/policy-answers.ts';

// Written out literally, so that a wrong originMap cannot make a wrong expectation agree with a wrong result.
const PAGE = 'http://a.localhost:8001';
const OTHER_PORT = 'http://a.localhost:8002';
const CROSS_SITE = 'http://b.localhost:8001';
const HTTPS = 'https://a.localhost:8443';

const origins = originMap({ primary: 8001, secondary: 8002, tls: 8443, closed: 8009 });

function context(requestOrigin: string | undefined): PolicyContext {
  return { requestOrigin, origins };
}

const ACAO = 'Access-Control-Allow-Origin';

test('the origin map used by these tests serialises the named origins as the literals below', () => {
  expect([origins.page, origins['other-port'], origins['cross-site'], origins.https]).toEqual([PAGE, OTHER_PORT, CROSS_SITE, HTTPS]);
});

interface AllowOriginRow {
  readonly title: string;
  readonly policy: Policy;
  readonly requestOrigin: string | undefined;
  readonly expected: readonly HeaderLine[];
}

const allowOriginRows: readonly AllowOriginRow[] = [
  {
    title: 'The wildcard rule sends Allow-Origin * literally.',
    policy: { allowOrigin: '*' },
    requestOrigin: PAGE,
    expected: [{ name: ACAO, value: '*' }],
  },
  {
    title: 'The reflect rule echoes the request Origin.',
    policy: { allowOrigin: 'reflect' },
    requestOrigin: PAGE,
    expected: [{ name: ACAO, value: PAGE }],
  },
  {
    title: 'The reflect rule echoes any Origin, even one the harness does not know.',
    policy: { allowOrigin: 'reflect' },
    requestOrigin: 'http://evil.example',
    expected: [{ name: ACAO, value: 'http://evil.example' }],
  },
  {
    title: 'The reflect rule sends no Allow-Origin when the request carried no Origin.',
    policy: { allowOrigin: 'reflect' },
    requestOrigin: undefined,
    expected: [],
  },
  {
    title: 'The null rule sends Allow-Origin null literally, whatever the request Origin.',
    policy: { allowOrigin: 'null' },
    requestOrigin: PAGE,
    expected: [{ name: ACAO, value: 'null' }],
  },
  {
    title: 'The none rule sends no Allow-Origin at all.',
    policy: { allowOrigin: 'none' },
    requestOrigin: PAGE,
    expected: [],
  },
  {
    title: 'A list rule echoes the request Origin when it is one of the named origins.',
    policy: { allowOrigin: { list: ['page', 'other-port'] } },
    requestOrigin: OTHER_PORT,
    expected: [{ name: ACAO, value: OTHER_PORT }],
  },
  {
    title: 'A list rule sends no Allow-Origin when the request Origin is not in the list.',
    policy: { allowOrigin: { list: ['page', 'other-port'] } },
    requestOrigin: CROSS_SITE,
    expected: [],
  },
  {
    title: 'A list rule sends no Allow-Origin when the request carried no Origin.',
    policy: { allowOrigin: { list: ['page'] } },
    requestOrigin: undefined,
    expected: [],
  },
  {
    title: 'A list rule naming the null origin echoes a request whose Origin is null.',
    policy: { allowOrigin: { list: ['null'] } },
    requestOrigin: 'null',
    expected: [{ name: ACAO, value: 'null' }],
  },
  {
    title: 'A pattern rule echoes the request Origin when the RegExp matches it.',
    policy: { allowOrigin: { pattern: '^http://a\\.localhost:8001$' } },
    requestOrigin: PAGE,
    expected: [{ name: ACAO, value: PAGE }],
  },
  {
    title: 'An anchored pattern rule sends no Allow-Origin to a look-alike origin.',
    policy: { allowOrigin: { pattern: '^http://a\\.localhost:8001$' } },
    requestOrigin: 'http://a.localhost:8001.b.localhost',
    expected: [],
  },
  {
    title: 'A pattern rule sends no Allow-Origin when the RegExp does not match the request Origin.',
    policy: { allowOrigin: { pattern: '^http://a\\.localhost:8001$' } },
    requestOrigin: CROSS_SITE,
    expected: [],
  },
  {
    title: 'An unanchored pattern rule echoes a look-alike origin, exactly as a middleware using .test() would.',
    policy: { allowOrigin: { pattern: 'a\\.localhost:8001' } },
    requestOrigin: 'http://evila.localhost:8001',
    expected: [{ name: ACAO, value: 'http://evila.localhost:8001' }],
  },
  {
    title: 'A pattern rule sends no Allow-Origin when the request carried no Origin, even if the RegExp matches the empty string.',
    policy: { allowOrigin: { pattern: '.*' } },
    requestOrigin: undefined,
    expected: [],
  },
  {
    title: 'A raw rule expands {origin} to the request Origin.',
    policy: { allowOrigin: { raw: ['{origin}'] } },
    requestOrigin: PAGE,
    expected: [{ name: ACAO, value: PAGE }],
  },
  {
    title: 'A raw rule expands {ORIGIN} to the request Origin upper-cased.',
    policy: { allowOrigin: { raw: ['{ORIGIN}'] } },
    requestOrigin: PAGE,
    expected: [{ name: ACAO, value: 'HTTP://A.LOCALHOST:8001' }],
  },
  {
    title: 'A raw rule expands {origin:cross-site} to the named origin, not to the request Origin.',
    policy: { allowOrigin: { raw: ['{origin:cross-site}'] } },
    requestOrigin: PAGE,
    expected: [{ name: ACAO, value: CROSS_SITE }],
  },
  {
    title: 'A raw rule with several entries sends one Allow-Origin line per entry, in order.',
    policy: { allowOrigin: { raw: ['*', '{origin}', '{origin:https}'] } },
    requestOrigin: PAGE,
    expected: [
      { name: ACAO, value: '*' },
      { name: ACAO, value: PAGE },
      { name: ACAO, value: HTTPS },
    ],
  },
  {
    title: 'A raw rule expands several placeholders inside one line.',
    policy: { allowOrigin: { raw: ['{origin}, {origin:cross-site}'] } },
    requestOrigin: PAGE,
    expected: [{ name: ACAO, value: `${PAGE}, ${CROSS_SITE}` }],
  },
  {
    title: 'A raw rule sends a line without placeholders verbatim, even when it is not a valid origin.',
    policy: { allowOrigin: { raw: ['http://a.localhost:8001/'] } },
    requestOrigin: PAGE,
    expected: [{ name: ACAO, value: 'http://a.localhost:8001/' }],
  },
];

for (const row of allowOriginRows) {
  for (const kind of ['preflight', 'actual'] as const) {
    test(`${row.title} (${kind} response)`, () => {
      expect(corsHeaders(row.policy, kind, context(row.requestOrigin))).toEqual(row.expected);
    });
  }
}

const fullPolicy: Policy = {
  allowOrigin: 'reflect',
  allowMethods: ['PUT', 'DELETE'],
  allowHeaders: ['X-Custom', 'Content-Type'],
  exposeHeaders: ['X-Total', 'X-Page'],
  allowCredentials: true,
  maxAge: 600,
  vary: true,
};

interface KindRow {
  readonly title: string;
  readonly policy: Policy;
  readonly kind: ResponseKind;
  /** The request Origin; the page's unless a row says otherwise. */
  readonly requestOrigin?: string;
  readonly expected: readonly HeaderLine[];
}

const kindRows: readonly KindRow[] = [
  {
    title: 'A preflight answer carries Allow-Methods, Allow-Headers and Max-Age, and no Expose-Headers.',
    policy: fullPolicy,
    kind: 'preflight',
    expected: [
      { name: ACAO, value: PAGE },
      { name: 'Access-Control-Allow-Credentials', value: 'true' },
      { name: 'Access-Control-Allow-Methods', value: 'PUT, DELETE' },
      { name: 'Access-Control-Allow-Headers', value: 'X-Custom, Content-Type' },
      { name: 'Access-Control-Max-Age', value: '600' },
      { name: 'Vary', value: 'Origin' },
    ],
  },
  {
    title: 'An actual response carries Expose-Headers, and no Allow-Methods, Allow-Headers or Max-Age.',
    policy: fullPolicy,
    kind: 'actual',
    expected: [
      { name: ACAO, value: PAGE },
      { name: 'Access-Control-Allow-Credentials', value: 'true' },
      { name: 'Access-Control-Expose-Headers', value: 'X-Total, X-Page' },
      { name: 'Vary', value: 'Origin' },
    ],
  },
  {
    title: 'Wildcard Allow-Methods and Allow-Headers are sent as a single * on a preflight.',
    policy: { allowOrigin: '*', allowMethods: '*', allowHeaders: '*', exposeHeaders: '*' },
    kind: 'preflight',
    expected: [
      { name: ACAO, value: '*' },
      { name: 'Access-Control-Allow-Methods', value: '*' },
      { name: 'Access-Control-Allow-Headers', value: '*' },
    ],
  },
  {
    title: 'A wildcard Expose-Headers is sent as a single * on an actual response.',
    policy: { allowOrigin: '*', allowMethods: '*', allowHeaders: '*', exposeHeaders: '*' },
    kind: 'actual',
    expected: [
      { name: ACAO, value: '*' },
      { name: 'Access-Control-Expose-Headers', value: '*' },
    ],
  },
  {
    title: 'A Max-Age of zero is still sent, as 0.',
    policy: { allowOrigin: '*', maxAge: 0 },
    kind: 'preflight',
    expected: [
      { name: ACAO, value: '*' },
      { name: 'Access-Control-Max-Age', value: '0' },
    ],
  },
  {
    title: 'Allow-Credentials true is sent as the lower-case word true.',
    policy: { allowOrigin: 'reflect', allowCredentials: true },
    kind: 'actual',
    expected: [
      { name: ACAO, value: PAGE },
      { name: 'Access-Control-Allow-Credentials', value: 'true' },
    ],
  },
  {
    title: 'Allow-Credentials given as a string is sent verbatim, so that a near miss such as True can be tested.',
    policy: { allowOrigin: 'reflect', allowCredentials: 'True' },
    kind: 'preflight',
    expected: [
      { name: ACAO, value: PAGE },
      { name: 'Access-Control-Allow-Credentials', value: 'True' },
    ],
  },
  {
    title: 'Allow-Credentials is sent even when no Allow-Origin is, because the policy fields are independent.',
    policy: { allowOrigin: { list: ['cross-site'] }, allowCredentials: true },
    kind: 'actual',
    expected: [{ name: 'Access-Control-Allow-Credentials', value: 'true' }],
  },
  {
    title: 'Vary given as a string is sent verbatim.',
    policy: { allowOrigin: '*', vary: 'Origin, Accept-Encoding' },
    kind: 'actual',
    expected: [
      { name: ACAO, value: '*' },
      { name: 'Vary', value: 'Origin, Accept-Encoding' },
    ],
  },
  {
    title: 'Vary true is sent as Vary: Origin on a preflight too.',
    policy: { allowOrigin: '*', vary: true },
    kind: 'preflight',
    expected: [
      { name: ACAO, value: '*' },
      { name: 'Vary', value: 'Origin' },
    ],
  },
  {
    title: 'A policy with only allowOrigin sends only Allow-Origin on a preflight.',
    policy: { allowOrigin: '*' },
    kind: 'preflight',
    expected: [{ name: ACAO, value: '*' }],
  },
  {
    title: 'Response headers and cookies of the policy are never among the CORS headers.',
    policy: { allowOrigin: '*', responseHeaders: { 'X-Total': '3' }, setCookies: ['cm_lax=1'] },
    kind: 'actual',
    expected: [{ name: ACAO, value: '*' }],
  },
];

for (const row of kindRows) {
  test(row.title, () => {
    expect(corsHeaders(row.policy, row.kind, context(row.requestOrigin ?? PAGE))).toEqual(row.expected);
  });
}

interface PlacementRow {
  readonly header: string;
  readonly onPreflight: boolean;
  readonly onActual: boolean;
}

const placementRows: readonly PlacementRow[] = [
  { header: 'Access-Control-Allow-Origin', onPreflight: true, onActual: true },
  { header: 'Access-Control-Allow-Credentials', onPreflight: true, onActual: true },
  { header: 'Access-Control-Allow-Methods', onPreflight: true, onActual: false },
  { header: 'Access-Control-Allow-Headers', onPreflight: true, onActual: false },
  { header: 'Access-Control-Max-Age', onPreflight: true, onActual: false },
  { header: 'Access-Control-Expose-Headers', onPreflight: false, onActual: true },
  { header: 'Vary', onPreflight: true, onActual: true },
];

function where(row: PlacementRow): string {
  if (row.onPreflight && row.onActual) return 'on both preflights and actual responses';
  return row.onPreflight ? 'only on preflights' : 'only on actual responses';
}

for (const row of placementRows) {
  test(`${row.header} is sent ${where(row)} when the policy sets every field.`, () => {
    const names = (kind: ResponseKind): string[] => corsHeaders(fullPolicy, kind, context(PAGE)).map((line) => line.name);
    expect(names('preflight').includes(row.header)).toBe(row.onPreflight);
    expect(names('actual').includes(row.header)).toBe(row.onActual);
  });
}

interface TemplateRow {
  readonly title: string;
  readonly template: string;
  readonly requestOrigin: string | undefined;
  readonly expected: string;
}

const templateRows: readonly TemplateRow[] = [
  { title: 'A template without placeholders is returned unchanged.', template: 'http://x.example', requestOrigin: PAGE, expected: 'http://x.example' },
  { title: '{origin} becomes the request Origin.', template: '{origin}', requestOrigin: CROSS_SITE, expected: CROSS_SITE },
  { title: '{ORIGIN} becomes the request Origin upper-cased.', template: '{ORIGIN}', requestOrigin: CROSS_SITE, expected: 'HTTP://B.LOCALHOST:8001' },
  { title: '{origin} becomes the empty string when the request carried no Origin.', template: '[{origin}]', requestOrigin: undefined, expected: '[]' },
  { title: '{origin:cross-site} becomes the cross-site origin whatever the request Origin.', template: '{origin:cross-site}', requestOrigin: PAGE, expected: CROSS_SITE },
  { title: '{origin:https-cross-site} becomes the https cross-site origin with the tls port.', template: '{origin:https-cross-site}', requestOrigin: PAGE, expected: 'https://b.localhost:8443' },
  { title: '{ORIGIN:other-port} becomes the other-port origin upper-cased.', template: '{ORIGIN:other-port}', requestOrigin: PAGE, expected: 'HTTP://A.LOCALHOST:8002' },
  { title: '{origin:null} becomes the literal null.', template: '{origin:null}', requestOrigin: PAGE, expected: 'null' },
  { title: 'Every placeholder in a template is expanded, not only the first.', template: '{origin} {origin} {origin:page}', requestOrigin: CROSS_SITE, expected: `${CROSS_SITE} ${CROSS_SITE} ${PAGE}` },
  { title: 'A mixed-case {Origin} is not a placeholder and is left as written.', template: '{Origin}', requestOrigin: PAGE, expected: '{Origin}' },
];

for (const row of templateRows) {
  test(row.title, () => {
    expect(expandTemplate(row.template, context(row.requestOrigin))).toBe(row.expected);
  });
}

interface ExtrasRow {
  readonly title: string;
  readonly policy: Policy;
  readonly expected: readonly HeaderLine[];
}

const extrasRows: readonly ExtrasRow[] = [
  {
    title: 'A policy without response headers or cookies adds nothing to the actual response.',
    policy: { allowOrigin: '*', exposeHeaders: ['X-Total'], allowCredentials: true, vary: true },
    expected: [],
  },
  {
    title: 'The policy response headers are added in the order written.',
    policy: { allowOrigin: '*', responseHeaders: { 'X-Total': '3', 'Content-Type': 'text/plain' } },
    expected: [
      { name: 'X-Total', value: '3' },
      { name: 'Content-Type', value: 'text/plain' },
    ],
  },
  {
    title: 'Each cookie becomes its own Set-Cookie line, after the response headers.',
    policy: {
      allowOrigin: '*',
      responseHeaders: { 'X-Total': '3' },
      setCookies: ['cm_lax=1; SameSite=Lax', 'cm_none=1; SameSite=None; Secure'],
    },
    expected: [
      { name: 'X-Total', value: '3' },
      { name: 'Set-Cookie', value: 'cm_lax=1; SameSite=Lax' },
      { name: 'Set-Cookie', value: 'cm_none=1; SameSite=None; Secure' },
    ],
  },
];

for (const row of extrasRows) {
  test(row.title, () => {
    expect(actualResponseExtras(row.policy)).toEqual(row.expected);
  });
}

interface GroupRow {
  readonly title: string;
  readonly lines: readonly HeaderLine[];
  readonly expected: readonly (readonly [string, readonly string[]])[];
}

const groupRows: readonly GroupRow[] = [
  { title: 'No header lines group into an empty map.', lines: [], expected: [] },
  {
    title: 'Distinct header names each get a one-value array.',
    lines: [
      { name: 'X-Total', value: '3' },
      { name: 'Vary', value: 'Origin' },
    ],
    expected: [
      ['X-Total', ['3']],
      ['Vary', ['Origin']],
    ],
  },
  {
    title: 'Repeated header names keep every value, in order, under the first position of the name.',
    lines: [
      { name: 'Set-Cookie', value: 'a=1' },
      { name: 'X-Total', value: '3' },
      { name: 'Set-Cookie', value: 'b=2' },
      { name: ACAO, value: '*' },
      { name: ACAO, value: PAGE },
    ],
    expected: [
      ['Set-Cookie', ['a=1', 'b=2']],
      ['X-Total', ['3']],
      [ACAO, ['*', PAGE]],
    ],
  },
];

for (const row of groupRows) {
  test(row.title, () => {
    expect([...groupHeaderLines(row.lines).entries()]).toEqual(row.expected);
  });
}

test('Two raw Allow-Origin lines stay two values of one header once grouped, so the server sends two lines.', () => {
  const lines = corsHeaders({ allowOrigin: { raw: ['{origin}', '*'] } }, 'actual', context(PAGE));
  expect(groupHeaderLines(lines).get(ACAO)).toEqual([PAGE, '*']);
});

// Redirect hops, revalidation and body kinds, as the policy server answers them (servers/policy-answers.ts, pure).

function input(over: Partial<AnswerInput> = {}): AnswerInput {
  return { key: 'k-1', hop: 0, kind: 'actual', origin: PAGE, ifNoneMatch: undefined, ...over };
}

const REDIRECTING: Policy = { allowOrigin: '*', redirects: [{ status: 307, to: 'cross-site' }, { status: 302, to: 'other-port', allowOrigin: 'none', userinfo: true }] };

test('The first hop answers its redirect status with a Location naming hop 1 of the same case on the hop origin, and CORS headers.', () => {
  const answer = policyAnswer(REDIRECTING, input(), origins);
  expect(answer).toMatchObject({ status: 307, handlerRan: false, body: null });
  expect(answer.lines).toEqual([{ name: ACAO, value: '*' }, { name: 'Location', value: `${CROSS_SITE}/api/k-1/hop/1` }]);
});

test('A hop may answer its redirect without CORS headers and with user:pass@ in the Location.', () => {
  const answer = policyAnswer(REDIRECTING, input({ hop: 1 }), origins);
  expect(answer.status).toBe(302);
  expect(answer.lines).toEqual([{ name: 'Location', value: 'http://user:pass@a.localhost:8002/api/k-1/hop/2' }]);
});

test('Past the last hop the policy answers the actual request itself, and its handler runs.', () => {
  expect(policyAnswer(REDIRECTING, input({ hop: 2 }), origins)).toMatchObject({ status: 200, handlerRan: true, body: 'text' });
});

test('A preflight is answered by the policy, not redirected, unless redirectPreflight says so (then only at hop 0).', () => {
  expect(policyAnswer(REDIRECTING, input({ kind: 'preflight' }), origins)).toMatchObject({ status: 204, body: null, handlerRan: false });
  const redirected = { ...REDIRECTING, redirectPreflight: true };
  expect(policyAnswer(redirected, input({ kind: 'preflight' }), origins).status).toBe(307);
  expect(policyAnswer(redirected, input({ kind: 'preflight', hop: 1 }), origins).status).toBe(204);
});

test('With revalidate, an If-None-Match naming the ETag is answered 304 with no body; any other value gets the full response.', () => {
  const policy: Policy = { allowOrigin: 'reflect', revalidate: true, responseHeaders: { ETag: '"v1"', 'Cache-Control': 'no-cache' } };
  const fresh = policyAnswer(policy, input({ ifNoneMatch: '"v1"', origin: CROSS_SITE }), origins);
  expect(fresh).toMatchObject({ status: 304, body: null });
  expect(fresh.lines).toContainEqual({ name: ACAO, value: CROSS_SITE });
  expect(policyAnswer(policy, input({ ifNoneMatch: '"v0"' }), origins)).toMatchObject({ status: 200, body: 'text' });
});

test('The body kind of the policy is what the actual response carries.', () => {
  expect(policyAnswer({ allowOrigin: '*', body: 'event-stream' }, input(), origins).body).toBe('event-stream');
});

test('hopOf reads the case key and hop from a path, and nothing from other paths.', () => {
  expect(hopOf('/api/case-1')).toEqual({ key: 'case-1', hop: 0 });
  expect(hopOf('/api/case-1/hop/3?x=1')).toEqual({ key: 'case-1', hop: 3 });
  expect(hopOf('/api/case-1/hop/0')).toBeUndefined();
  expect(hopOf('/__cm/page')).toBeUndefined();
});
