import { test, expect } from '@playwright/test';
import type { HeaderPairs, OracleRequest, OracleRuleId, OracleVerdict, PredictInput, Prediction, RedirectHop, ResponseType } from '../../lib/oracle/index.ts';
import { MAX_REDIRECTS, OracleInputError, isRedirectTainted, predict } from '../../lib/oracle/index.ts';

// Redirect chains. Every row names the section of the Fetch Standard (numbered as of July 2026) or the
// web-platform-tests file its fact comes from.
const HTTP_FETCH = 'Fetch §4.4 HTTP fetch';
const REDIRECT_FETCH = 'Fetch §4.5 HTTP-redirect fetch';
const MAIN_FETCH = 'Fetch §4.1 Main fetch';
const TAINT = 'Fetch §2.2.5 Requests (redirect-taint)';
const WPT_REDIRECT = 'WPT fetch/api/cors/cors-redirect.any.js';
const WPT_REDIRECT_PREFLIGHT = 'WPT fetch/api/cors/cors-redirect-preflight.any.js';
const WPT_REDIRECT_CREDENTIALS = 'WPT fetch/api/cors/cors-redirect-credentials.any.js';
const WPT_PREFLIGHT_REDIRECT = 'WPT fetch/api/cors/cors-preflight-redirect.any.js';
const WPT_MODE = 'WPT fetch/api/redirect/redirect-mode.any.js';
const WPT_COUNT = 'WPT fetch/api/redirect/redirect-count.any.js';
const WPT_METHOD = 'WPT fetch/api/redirect/redirect-method.any.js';
const WPT_LOCATION = 'WPT fetch/api/redirect/redirect-location.js';
const WPT_TO_DATA = 'WPT fetch/api/redirect/redirect-to-dataurl.any.js';
const WPT_UPLOAD = 'WPT fetch/api/redirect/redirect-upload.h2.any.js';
const WPT_BACK = 'WPT fetch/api/redirect/redirect-back-to-original-origin.any.js';
const WPT_COOKIES_REDIRECT = 'WPT fetch/api/cors/cors-cookies-redirect.any.js';

const PAGE = 'https://app.example';
const SAME = `${PAGE}/redirect`;
const SAME_TARGET = `${PAGE}/target`;
const REMOTE = 'https://api.example/redirect';
const REMOTE_TARGET = 'https://api.example/target';
const OTHER_TARGET = 'https://cdn.example/target';

type Pairs = HeaderPairs;
const ANY: Pairs = [['Access-Control-Allow-Origin', '*']];
const EXACT: Pairs = [['Access-Control-Allow-Origin', PAGE]];
const NULL: Pairs = [['Access-Control-Allow-Origin', 'null']];
const CRED = (origin: string): Pairs => [['Access-Control-Allow-Origin', origin], ['Access-Control-Allow-Credentials', 'true']];

function request(overrides: Partial<OracleRequest> = {}): OracleRequest {
  return { origin: PAGE, url: REMOTE, method: 'GET', headers: [], credentials: 'omit', mode: 'cors', ...overrides };
}

/** A redirect answer: `status` to `location`, with these CORS headers. */
function to(location: string, status = 302, headers: Pairs = ANY, preflight?: RedirectHop['preflight']): RedirectHop {
  return { ...(preflight && { preflight }), response: { status, headers: [...headers, ['Location', location]] } };
}

function chain(req: Partial<OracleRequest>, redirects: readonly RedirectHop[], final: Pairs, status = 200, preflight?: PredictInput['preflight']): PredictInput {
  return { request: request(req), redirects, ...(preflight && { preflight }), response: { status, headers: final } };
}

interface Expected {
  readonly verdict?: OracleVerdict;
  readonly responseType?: ResponseType;
  readonly readable?: boolean;
  readonly reached?: boolean;
  readonly preflight?: boolean;
  /** The Origin header of each hop, in order. */
  readonly origins?: readonly (string | null)[];
  /** The method of each hop, in order. */
  readonly methods?: readonly string[];
  /** Which hops sent a preflight. */
  readonly preflights?: readonly boolean[];
  readonly redirectCount?: number;
  readonly rule?: OracleRuleId;
  readonly because?: RegExp;
}

interface Row {
  readonly title: string;
  readonly source: string;
  readonly input: PredictInput;
  readonly expect: Expected;
}

const CODES = [301, 302, 303, 307, 308] as const;

// Fetch §4.4 step 4: a response of a CORS request meets the CORS check before anything looks at its status, so
// every cross-origin hop, the redirect included, must allow the origin; the Origin header turns "null" after a
// cross-origin hop leads to another origin.
const corsRedirectRows: Row[] = CODES.flatMap((code): Row[] => [
  { title: `${code}: cors to same cors keeps the Origin`, source: WPT_REDIRECT, input: chain({}, [to(REMOTE_TARGET, code)], EXACT), expect: { verdict: 'allowed', origins: [PAGE, PAGE], preflights: [false, false], redirectCount: 1, responseType: 'cors' } },
  { title: `${code}: cors to another cors sends Origin "null", which "*" allows`, source: WPT_REDIRECT, input: chain({}, [to(OTHER_TARGET, code)], ANY), expect: { verdict: 'allowed', origins: [PAGE, 'null'], rule: 'redirect-tainted-origin' } },
  { title: `${code}: cors to another cors, "null" allows the tainted origin`, source: TAINT, input: chain({}, [to(OTHER_TARGET, code)], NULL), expect: { verdict: 'allowed' } },
  { title: `${code}: cors to another cors, the page origin no longer matches`, source: TAINT, input: chain({}, [to(OTHER_TARGET, code)], EXACT), expect: { verdict: 'blocked-at-response', reached: true, because: /a redirect tainted the request's origin, so it serialises as "null"/ } },
  { title: `${code}: same origin to cors keeps the Origin and needs no CORS headers on the redirect`, source: WPT_REDIRECT, input: chain({ url: SAME }, [to(REMOTE_TARGET, code, [])], EXACT), expect: { verdict: 'allowed', origins: [null, PAGE], rule: 'redirect-to-cors' } },
  { title: `${code}: cors to same origin sends Origin "null"`, source: code === 302 ? WPT_BACK : WPT_REDIRECT, input: chain({}, [to(SAME_TARGET, code)], ANY), expect: { verdict: 'allowed', origins: [PAGE, 'null'], responseType: 'cors' } },
  { title: `${code}: cors to same origin is a CORS response: no Allow-Origin fails`, source: MAIN_FETCH, input: chain({}, [to(SAME_TARGET, code)], []), expect: { verdict: 'blocked-at-response', rule: 'allow-origin-missing' } },
  { title: `${code}: a cross-origin redirect without Allow-Origin is a network error`, source: HTTP_FETCH, input: chain({}, [to(REMOTE_TARGET, code, [])], ANY), expect: { verdict: 'blocked-at-response', reached: true, because: /must pass the CORS check before it is followed/ } },
]);

const moreRedirectRows: Row[] = [
  { title: 'same origin to same origin stays basic: every header readable', source: MAIN_FETCH, input: chain({ url: SAME }, [to(SAME_TARGET, 302, [])], [['X-Custom', '1']]), expect: { verdict: 'allowed', responseType: 'basic', origins: [null, null] } },
  {
    title: 'a credentialed cors to another cors needs "null" and Allow-Credentials',
    source: WPT_COOKIES_REDIRECT,
    input: chain({ credentials: 'include' }, [to(OTHER_TARGET, 302, CRED(PAGE))], CRED('null')),
    expect: { verdict: 'allowed', origins: [PAGE, 'null'] },
  },
  { title: 'a credentialed cors to another cors fails with "*"', source: TAINT, input: chain({ credentials: 'include' }, [to(OTHER_TARGET, 302, CRED(PAGE))], ANY), expect: { verdict: 'blocked-at-response', rule: 'allow-origin-wildcard-with-credentials' } },
  { title: 'a credentialed redirect answering "*" fails before it is followed', source: HTTP_FETCH, input: chain({ credentials: 'include' }, [to(REMOTE_TARGET, 302, ANY)], CRED(PAGE)), expect: { verdict: 'blocked-at-response', redirectCount: 0 } },
  { title: 'two cross-origin hops: the taint stays for the rest of the chain', source: TAINT, input: chain({}, [to(OTHER_TARGET), to(REMOTE_TARGET)], ANY), expect: { verdict: 'allowed', origins: [PAGE, 'null', 'null'], redirectCount: 2 } },
  { title: 'a relative Location resolves against the current URL', source: WPT_LOCATION, input: chain({}, [to('/target')], EXACT), expect: { verdict: 'allowed', origins: [PAGE, PAGE] } },
  { title: 'a 3xx without Location is the response itself, readable with its status', source: REDIRECT_FETCH, input: { request: request(), response: { status: 302, headers: ANY } }, expect: { verdict: 'allowed', readable: true, rule: 'redirect-no-location', redirectCount: 0 } },
  { title: 'a Location that is not a URL is a network error', source: REDIRECT_FETCH, input: { request: request(), response: { status: 302, headers: [...ANY, ['Location', 'https://[oops']] } }, expect: { verdict: 'blocked-at-response', rule: 'redirect-location-invalid' } },
  { title: 'a Location to a data: URL is a network error', source: WPT_TO_DATA, input: { request: request(), response: { status: 302, headers: [...ANY, ['Location', 'data:text/plain,hi']] } }, expect: { verdict: 'blocked-at-response', rule: 'redirect-location-scheme' } },
  { title: 'mode "same-origin" refuses a redirect to another origin', source: MAIN_FETCH, input: chain({ url: SAME, mode: 'same-origin' }, [], [['Location', REMOTE_TARGET]], 302), expect: { verdict: 'blocked-at-response', rule: 'redirect-same-origin-mode' } },
  { title: 'no-cors follows a cross-origin redirect and stays opaque', source: WPT_MODE, input: chain({ mode: 'no-cors' }, [to(OTHER_TARGET, 302, [])], []), expect: { verdict: 'allowed', responseType: 'opaque', readable: false, redirectCount: 1 } },
  { title: 'no-cors back to the same origin is still opaque', source: MAIN_FETCH, input: chain({ mode: 'no-cors' }, [to(SAME_TARGET, 302, [])], []), expect: { responseType: 'opaque', readable: false } },
  { title: 'a POST in no-cors sends its Origin on every hop', source: 'Fetch §3.2 Origin header', input: chain({ mode: 'no-cors', method: 'POST', url: 'https://api.example/r' }, [to(REMOTE_TARGET, 307, [])], []), expect: { origins: [PAGE, PAGE], methods: ['POST', 'POST'] } },
];

// Credentials in the Location: a CORS request never follows them to another origin, nor once the response is CORS-tainted.
const credentialRows: Row[] = CODES.flatMap((code): Row[] => [
  { title: `${code} from same origin to remote without user and password is followed`, source: WPT_REDIRECT_CREDENTIALS, input: chain({ url: SAME }, [to(REMOTE_TARGET, code, [])], ANY), expect: { verdict: 'allowed' } },
  ...['user:password', 'user:', ':password'].map((userinfo): Row => ({
    title: `${code} from same origin to remote with ${userinfo} fails`,
    source: WPT_REDIRECT_CREDENTIALS,
    input: chain({ url: SAME }, [], [['Location', REMOTE_TARGET.replace('://', `://${userinfo}@`)]], code),
    expect: { verdict: 'blocked-at-response', rule: 'redirect-location-credentials', because: /another origin than the request's/ },
  })),
  { title: `${code} from remote to same origin with user:password fails`, source: WPT_REDIRECT_CREDENTIALS, input: chain({}, [], [...ANY, ['Location', SAME_TARGET.replace('://', '://user:password@')]], code), expect: { verdict: 'blocked-at-response', because: /already CORS-tainted/ } },
  { title: `${code} from remote to same remote with user:password fails`, source: WPT_REDIRECT_CREDENTIALS, input: chain({}, [], [...ANY, ['Location', REMOTE_TARGET.replace('://', '://user:password@')]], code), expect: { verdict: 'blocked-at-response', rule: 'redirect-location-credentials' } },
  { title: `${code} from remote to another remote with user fails`, source: WPT_REDIRECT_CREDENTIALS, input: chain({}, [], [...ANY, ['Location', OTHER_TARGET.replace('://', '://user:@')]], code), expect: { verdict: 'blocked-at-response', rule: 'redirect-location-credentials' } },
]);

const sameOriginCredentialsRow: Row = {
  title: 'same origin to same origin with user:password is followed (nothing CORS about it)',
  source: REDIRECT_FETCH,
  input: chain({ url: SAME }, [to(SAME_TARGET.replace('://', '://user:password@'), 302, [])], []),
  expect: { verdict: 'allowed', responseType: 'basic' },
};

// Redirect modes: "error" rejects any redirect, "manual" hands the script an opaque-redirect response.
const modeRows: Row[] = [
  { title: '"error": a same-origin redirect rejects', source: WPT_MODE, input: chain({ url: SAME, redirect: 'error' }, [], [['Location', SAME_TARGET]], 302), expect: { verdict: 'blocked-at-response', reached: true, rule: 'redirect-mode-error' } },
  { title: '"error": a cross-origin redirect rejects', source: WPT_MODE, input: chain({ redirect: 'error' }, [], [...ANY, ['Location', REMOTE_TARGET]], 307), expect: { verdict: 'blocked-at-response', rule: 'redirect-mode-error' } },
  { title: '"error": a 3xx without Location rejects too', source: HTTP_FETCH, input: chain({ redirect: 'error' }, [], ANY, 301), expect: { verdict: 'blocked-at-response', rule: 'redirect-mode-error' } },
  { title: '"error": a 200 is not a redirect and passes', source: WPT_MODE, input: chain({ redirect: 'error' }, [], ANY), expect: { verdict: 'allowed', readable: true } },
  { title: '"manual": a same-origin redirect is an opaque-redirect response', source: WPT_MODE, input: chain({ url: SAME, redirect: 'manual' }, [], [['Location', SAME_TARGET]], 302), expect: { verdict: 'allowed', responseType: 'opaqueredirect', readable: false, rule: 'redirect-mode-manual' } },
  { title: '"manual": a cross-origin redirect that passes the CORS check is opaque-redirect', source: WPT_MODE, input: chain({ redirect: 'manual' }, [], [...ANY, ['Location', OTHER_TARGET]], 308), expect: { verdict: 'allowed', responseType: 'opaqueredirect', redirectCount: 0 } },
  { title: '"manual": a cross-origin redirect without Allow-Origin fails the CORS check first', source: HTTP_FETCH, input: chain({ redirect: 'manual' }, [], [['Location', OTHER_TARGET]], 302), expect: { verdict: 'blocked-at-response', rule: 'allow-origin-missing' } },
  { title: '"manual": answers after the first redirect are ignored, and the reasons say so', source: HTTP_FETCH, input: chain({ redirect: 'manual' }, [to(OTHER_TARGET)], ANY), expect: { responseType: 'opaqueredirect', rule: 'redirect-input-ignored' } },
];

// At most 20 redirects.
const loop = (n: number): RedirectHop[] => Array.from({ length: n }, (_, i) => to(`${REMOTE}?n=${i + 1}`));
const countRows: Row[] = [
  { title: `${MAX_REDIRECTS} redirects are followed`, source: WPT_COUNT, input: chain({}, loop(20), ANY), expect: { verdict: 'allowed', redirectCount: 20 } },
  { title: 'the 21st redirect is a network error', source: WPT_COUNT, input: chain({}, loop(20), [...ANY, ['Location', `${REMOTE}?n=21`]], 302), expect: { verdict: 'blocked-at-response', rule: 'redirect-limit', redirectCount: 20, because: /redirect number 21/ } },
];

// 301/302 turn POST into GET, 303 turns anything but GET and HEAD into GET; 307/308 keep the method and body.
const post = (code: number, method = 'POST', headers: Pairs = [['Content-Type', 'text/plain']]): PredictInput =>
  chain({ url: SAME, method, headers, bodyKind: method === 'HEAD' ? 'none' : 'text' }, [to(SAME_TARGET, code, [])], []);
const methodRows: Row[] = [
  { title: '301 turns POST into GET', source: WPT_METHOD, input: post(301), expect: { methods: ['POST', 'GET'], rule: 'redirect-method-to-get', because: /dropped, and with it Content-Type/ } },
  { title: '302 turns POST into GET', source: WPT_METHOD, input: post(302), expect: { methods: ['POST', 'GET'] } },
  { title: '303 turns POST into GET', source: WPT_METHOD, input: post(303), expect: { methods: ['POST', 'GET'] } },
  { title: '303 turns PUT into GET', source: WPT_METHOD, input: post(303, 'PUT'), expect: { methods: ['PUT', 'GET'] } },
  { title: '303 keeps HEAD', source: WPT_METHOD, input: post(303, 'HEAD', []), expect: { methods: ['HEAD', 'HEAD'] } },
  { title: '301 keeps PUT', source: WPT_METHOD, input: post(301, 'PUT'), expect: { methods: ['PUT', 'PUT'] } },
  { title: '307 keeps POST', source: WPT_METHOD, input: post(307), expect: { methods: ['POST', 'POST'] } },
  { title: '308 keeps POST', source: WPT_METHOD, input: post(308), expect: { methods: ['POST', 'POST'] } },
  {
    title: 'a 303 after a preflighted JSON PUT leads to a plain GET that needs no preflight',
    source: REDIRECT_FETCH,
    input: chain(
      { method: 'PUT', headers: [['Content-Type', 'application/json']], bodyKind: 'text' },
      [to(OTHER_TARGET, 303, ANY, { status: 204, headers: [...ANY, ['Access-Control-Allow-Methods', 'PUT'], ['Access-Control-Allow-Headers', 'Content-Type']] })],
      ANY,
    ),
    expect: { verdict: 'allowed', methods: ['PUT', 'GET'], preflights: [true, false] },
  },
  {
    title: 'a 307 with a ReadableStream body is a network error (the body cannot be sent again)',
    source: WPT_UPLOAD,
    input: chain({ url: SAME, method: 'POST', bodyKind: 'stream' }, [], [['Location', SAME_TARGET]], 307),
    expect: { verdict: 'blocked-at-response', rule: 'redirect-stream-body' },
  },
  {
    title: 'a 303 with a ReadableStream body is followed as a GET',
    source: REDIRECT_FETCH,
    input: chain({ url: SAME, method: 'POST', bodyKind: 'stream' }, [to(SAME_TARGET, 303, [])], []),
    expect: { verdict: 'allowed', methods: ['POST', 'GET'] },
  },
  {
    title: 'Authorization is dropped on a redirect to another origin, so the new URL needs no preflight for it',
    source: REDIRECT_FETCH,
    input: chain({ url: SAME, headers: [['Authorization', 'Bearer x']] }, [to(REMOTE_TARGET, 302, [])], ANY),
    expect: { verdict: 'allowed', preflights: [false, false], rule: 'redirect-authorization-dropped' },
  },
];

// After a redirect to another origin, the new URL is preflighted when the request needs it; a preflight never follows a redirect.
const XW3C: Pairs = [['x-w3c', 'test']];
const allowXW3C = (origin: Pairs = ANY): PredictInput['preflight'] => ({ status: 200, headers: [...origin, ['Access-Control-Allow-Headers', 'x-w3c']] });
const preflightRows: Row[] = [
  ...CODES.flatMap((code): Row[] => [
    { title: `${code}: same origin to cors, preflight after redirection succeeds`, source: WPT_REDIRECT_PREFLIGHT, input: chain({ url: SAME, headers: XW3C }, [to(REMOTE_TARGET, code, [])], ANY, 200, allowXW3C()), expect: { verdict: 'allowed', preflights: [false, true], preflight: true } },
    { title: `${code}: same origin to cors, preflight after redirection fails`, source: WPT_REDIRECT_PREFLIGHT, input: chain({ url: SAME, headers: XW3C }, [to(REMOTE_TARGET, code, [])], ANY, 200, { status: 200, headers: ANY }), expect: { verdict: 'blocked-at-preflight', reached: false, preflights: [false, true] } },
    { title: `${code}: cors to same origin, the same origin is preflighted with Origin "null"`, source: WPT_REDIRECT_PREFLIGHT, input: chain({ headers: XW3C }, [to(SAME_TARGET, code, ANY, allowXW3C())], ANY, 200, allowXW3C()), expect: { verdict: 'allowed', preflights: [true, true], origins: [PAGE, 'null'] } },
    { title: `${code}: cors to another cors, a preflight naming the page origin fails`, source: TAINT, input: chain({ headers: XW3C }, [to(OTHER_TARGET, code, ANY, allowXW3C())], ANY, 200, allowXW3C(EXACT)), expect: { verdict: 'blocked-at-preflight', because: /serialises as "null"/ } },
    { title: `a preflight answered ${code} is a network error: it never follows a redirect`, source: WPT_PREFLIGHT_REDIRECT, input: chain({ method: 'PUT' }, [], ANY, 200, { status: code, headers: [...ANY, ['Access-Control-Allow-Methods', 'PUT'], ['Location', OTHER_TARGET]] }), expect: { verdict: 'blocked-at-preflight', reached: false, because: /a preflight never follows a redirect/ } },
  ]),
  {
    title: 'a preflight of the first URL that fails stops the chain before any redirect',
    source: WPT_REDIRECT_PREFLIGHT,
    input: chain({ method: 'PUT' }, [to(OTHER_TARGET, 307, ANY, { status: 204, headers: ANY })], ANY),
    expect: { verdict: 'blocked-at-preflight', redirectCount: 0, rule: 'redirect-input-ignored' },
  },
];

const rows: readonly Row[] = [...corsRedirectRows, ...moreRedirectRows, ...credentialRows, sameOriginCredentialsRow, ...modeRows, ...countRows, ...methodRows, ...preflightRows];

test('the redirect table has at least 100 rows, each naming its source', () => {
  expect(rows.length).toBeGreaterThanOrEqual(100);
  for (const row of rows) expect(row.source, row.title).toMatch(/^(Fetch §\d|WPT )/);
});

for (const row of rows) {
  test(`${row.title} [${row.source}]`, () => {
    const p: Prediction = predict(row.input);
    const e = row.expect;
    const why = `\n${p.reasons.join('\n')}`;
    const hops = p.hops ?? [];
    if (e.verdict !== undefined) expect(p.verdict, why).toBe(e.verdict);
    if (e.responseType !== undefined) expect(p.responseType, why).toBe(e.responseType);
    if (e.readable !== undefined) expect(p.readable, why).toBe(e.readable);
    if (e.reached !== undefined) expect(p.reachedServer, why).toBe(e.reached);
    if (e.preflight !== undefined) expect(p.preflightSent, why).toBe(e.preflight);
    if (e.origins !== undefined) expect(hops.map((h) => h.originHeader), why).toEqual(e.origins);
    if (e.methods !== undefined) expect(hops.map((h) => h.method), why).toEqual(e.methods);
    if (e.preflights !== undefined) expect(hops.map((h) => h.preflightSent), why).toEqual(e.preflights);
    if (e.redirectCount !== undefined) expect(p.redirectCount, why).toBe(e.redirectCount);
    if (e.rule !== undefined) expect(p.steps.map((s) => s.rule), why).toContain(e.rule);
    if (e.because !== undefined) expect(p.reasons.some((r) => e.because?.test(r)), `no reason matches ${String(e.because)}:${why}`).toBe(true);
    // Whatever the row checks: the chain is consistent.
    expect(p.reasons).toHaveLength(p.steps.length);
    expect(hops.filter((h) => h.followed)).toHaveLength(p.redirectCount ?? 0);
    if (p.verdict === 'blocked-at-preflight') expect([p.preflightSent, p.reachedServer, p.readable, hops[hops.length - 1]?.preflightSent]).toEqual([true, false, false, true]);
    if (p.verdict === 'blocked-at-response') expect([p.reachedServer, p.readable, p.readableHeaders.length, p.responseType]).toEqual([true, false, 0, 'error']);
    for (const reason of p.reasons) expect(reason).toMatch(/^[a-z -]+( \(hop \d+\))?: .+ \[(Fetch §\d|WPT |RFC |HTML|MIME).*\]$/);
  });
}

test('the reasons of a two-hop chain name the later hop and each rule once, in order', () => {
  const p = predict(chain({}, [to(OTHER_TARGET, 301)], EXACT));
  expect(p.reasons).toEqual([
    'no preflight: GET is a CORS-safelisted method and the request sets no headers [Fetch §2.2.2 Headers]',
    'response: Access-Control-Allow-Origin is "*" and the credentials mode is "omit", not "include", so any origin matches [Fetch §4.10 CORS check]',
    'redirect: 301 to https://cdn.example/target: redirect mode "follow" fetches it (redirect 1 of at most 20) [Fetch §4.5 HTTP-redirect fetch]',
    'redirect (hop 2): the chain went from https://api.example, another origin than the request\'s, on to https://cdn.example: the request\'s origin is now redirect-tainted and serialises as "null", so the Origin header is "null" and only Access-Control-Allow-Origin "*" (without credentials) or "null" can match [Fetch §2.2.5 Requests (redirect-taint, serializing a request origin)]',
    'no preflight (hop 2): GET is a CORS-safelisted method and the request sets no headers [Fetch §2.2.2 Headers]',
    'response (hop 2): a redirect tainted the request\'s origin, so it serialises as "null" and only "null" (or "*" without credentials) matches, not "https://app.example" [Fetch §4.10 CORS check]',
    'readable headers (hop 2): the request reached the server (status 200), but the browser turns the response into a network error: the script sees a TypeError and nothing of the response [Fetch §4.4 HTTP fetch]',
  ]);
});

test('a preflight after a tainting redirect is cached under the origin "null"', () => {
  const p = predict(chain({ headers: XW3C }, [to(OTHER_TARGET, 302, ANY, allowXW3C())], ANY, 200, { status: 204, headers: [...ANY, ['Access-Control-Allow-Headers', 'x-w3c'], ['Access-Control-Max-Age', '60']] }));
  expect(p.cache.entries.map((e) => [e.origin, e.url, e.headerName])).toEqual([
    [PAGE, REMOTE, 'x-w3c'],
    ['null', OTHER_TARGET, 'x-w3c'],
  ]);
});

test('redirect-taint: only a hop from another origin to yet another origin taints [Fetch §2.2.5 Requests]', () => {
  expect(isRedirectTainted(PAGE, [REMOTE])).toBe(false);
  expect(isRedirectTainted(PAGE, [SAME, REMOTE_TARGET])).toBe(false);
  expect(isRedirectTainted(PAGE, [REMOTE, REMOTE_TARGET])).toBe(false);
  expect(isRedirectTainted(PAGE, [REMOTE, OTHER_TARGET])).toBe(true);
  expect(isRedirectTainted(PAGE, [REMOTE, SAME_TARGET])).toBe(true);
  expect(isRedirectTainted(PAGE, [SAME, REMOTE_TARGET, REMOTE])).toBe(false);
});

interface ErrorRow {
  readonly title: string;
  readonly input: PredictInput;
  readonly field: string;
  readonly problem: RegExp;
}

const errorRows: readonly ErrorRow[] = [
  { title: 'a followed redirect in the last answer', input: chain({}, [to(REMOTE_TARGET)], [...ANY, ['Location', OTHER_TARGET]], 302), field: 'response.status', problem: /follows \(redirect mode "follow"\) to https:\/\/cdn\.example\/target/ },
  { title: 'a preflight of a later hop left out', input: chain({ url: SAME, method: 'PUT' }, [to(REMOTE_TARGET, 307, [])], ANY), field: 'preflight', problem: /a preflight is sent to https:\/\/api\.example\/target \(OPTIONS with Access-Control-Request-Method: PUT\)/ },
  { title: 'a preflight of a middle hop left out', input: chain({ url: SAME, method: 'PUT' }, [to(REMOTE_TARGET, 307, []), to(OTHER_TARGET, 307)], ANY), field: 'redirects[1].preflight', problem: /is required/ },
  { title: 'a redirect answer without a response', input: { request: request(), redirects: [{} as RedirectHop], response: { status: 200, headers: ANY } }, field: 'redirects[0].response', problem: /is required/ },
  { title: 'a redirect status out of range', input: { request: request(), redirects: [{ response: { status: 3, headers: [] } }], response: { status: 200, headers: ANY } }, field: 'redirects[0].response.status', problem: /100 to 599/ },
  { title: 'no-cors with redirect "manual" to another origin', input: chain({ mode: 'no-cors', redirect: 'manual' }, [], []), field: 'request.redirect', problem: /network error before anything is sent/ },
  { title: 'no-cors with redirect "error" to another origin', input: chain({ mode: 'no-cors', redirect: 'error' }, [], []), field: 'request.redirect', problem: /mode "no-cors"/ },
  { title: 'an unknown redirect mode', input: chain({ redirect: 'follow-me' as OracleRequest['redirect'] }, [], ANY), field: 'request.redirect', problem: /must be one of "follow", "error", "manual"/ },
];

for (const row of errorRows) {
  test(`input error: ${row.title}`, () => {
    let caught: unknown;
    try {
      predict(row.input);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(OracleInputError);
    const error = caught as OracleInputError;
    expect(error.field).toBe(row.field);
    expect(error.problem).toMatch(row.problem);
  });
}
