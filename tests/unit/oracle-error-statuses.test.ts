import { test, expect } from '@playwright/test';
import type { HeaderPairs, OracleRequest, OracleRuleId, OracleVerdict, PredictInput } from '../../lib/oracle/index.ts';
import { predict } from '../../lib/oracle/index.ts';

// Status codes and CORS: the CORS check never looks at the status of the actual response, so an error is readable
// when its headers allow it, and hidden behind a CORS error when they do not; a preflight must get a 2xx.
const CORS_CHECK = 'Fetch §4.10 CORS check';
const HTTP_FETCH = 'Fetch §4.4 HTTP fetch';
const PREFLIGHT_FETCH = 'Fetch §4.8 CORS-preflight fetch';
const LISTS = 'RFC 9110 §5.6.1 Lists';
const WPT_STATUS = 'WPT fetch/api/cors/cors-preflight-status.any.js';
const WPT_BASIC = 'WPT fetch/api/cors/cors-basic.any.js';
const WPT_VALIDATION = 'WPT fetch/api/cors/cors-preflight-response-validation.any.js';

const PAGE = 'https://app.example';
type Pairs = HeaderPairs;
const ANY: Pairs = [['Access-Control-Allow-Origin', '*']];
const EXACT_CRED: Pairs = [['Access-Control-Allow-Origin', PAGE], ['Access-Control-Allow-Credentials', 'true']];

function request(overrides: Partial<OracleRequest> = {}): OracleRequest {
  return { origin: PAGE, url: 'https://api.example/data', method: 'GET', headers: [], credentials: 'omit', mode: 'cors', ...overrides };
}
const answer = (status: number, headers: Pairs, req: Partial<OracleRequest> = {}): PredictInput => ({ request: request(req), response: { status, headers } });
const preflighted = (status: number, preflight: Pairs, req: Partial<OracleRequest> = { method: 'PUT' }): PredictInput => ({ request: request(req), preflight: { status, headers: preflight }, response: { status: 200, headers: ANY } });

interface Row {
  readonly title: string;
  readonly source: string;
  readonly input: PredictInput;
  readonly verdict: OracleVerdict;
  readonly readable?: boolean;
  readonly reached?: boolean;
  readonly rule?: OracleRuleId;
  readonly notRule?: OracleRuleId;
  readonly because?: RegExp;
}

const ERRORS = [400, 401, 403, 404, 405, 409, 422, 429, 500, 502, 503, 504] as const;

const actualRows: Row[] = ERRORS.flatMap((status): Row[] => [
  { title: `${status} with Allow-Origin "*" is allowed and its status readable`, source: CORS_CHECK, input: answer(status, ANY), verdict: 'allowed', readable: true, rule: 'error-status-readable', because: new RegExp(`the script reads status ${status} and its body`) },
  {
    title: `${status} without CORS headers is blocked, and the CORS error masks the server error`,
    source: HTTP_FETCH,
    input: answer(status, [['Content-Type', 'application/json']]),
    verdict: 'blocked-at-response',
    reached: true,
    rule: 'error-status-masked',
    because: new RegExp(`the server answered ${status}, and its error response carries no CORS headers .*a CORS error masks a server error`),
  },
]);

const moreActualRows: Row[] = [
  { title: '401 with credentials and the exact origin is readable', source: CORS_CHECK, input: answer(401, EXACT_CRED, { credentials: 'include' }), verdict: 'allowed', readable: true, rule: 'error-status-readable' },
  { title: '500 with "*" to a credentialed request is blocked: the status stays hidden', source: CORS_CHECK, input: answer(500, ANY, { credentials: 'include' }), verdict: 'blocked-at-response', rule: 'error-status-masked', because: /does not pass the CORS check: the script sees only a CORS error, never the 500/ },
  { title: '404 allowing another origin is blocked and masked', source: CORS_CHECK, input: answer(404, [['Access-Control-Allow-Origin', 'https://other.example']]), verdict: 'blocked-at-response', rule: 'error-status-masked' },
  { title: '200 without CORS headers is blocked, with no word of an error status', source: WPT_BASIC, input: answer(200, []), verdict: 'blocked-at-response', notRule: 'error-status-masked' },
  { title: '200 with "*" needs no error-status note', source: WPT_BASIC, input: answer(200, ANY), verdict: 'allowed', notRule: 'error-status-readable' },
  { title: 'a preflighted PUT answered 500 with CORS headers is allowed and readable', source: CORS_CHECK, input: { ...preflighted(204, [...ANY, ['Access-Control-Allow-Methods', 'PUT']]), response: { status: 500, headers: ANY } }, verdict: 'allowed', readable: true, rule: 'error-status-readable' },
  { title: 'a preflighted PUT answered 500 without CORS headers reached the handler but is blocked', source: HTTP_FETCH, input: { ...preflighted(204, [...ANY, ['Access-Control-Allow-Methods', 'PUT']]), response: { status: 500, headers: [] } }, verdict: 'blocked-at-response', reached: true, rule: 'error-status-masked' },
  { title: 'a no-cors 500 resolves opaque: the status is not readable', source: 'Fetch §4.1 Main fetch', input: answer(500, [], { mode: 'no-cors' }), verdict: 'allowed', readable: false },
  { title: 'a same-origin 500 is readable without any CORS header', source: 'Fetch §4.1 Main fetch', input: answer(500, [], { url: `${PAGE}/api` }), verdict: 'allowed', readable: true },
];

const PUT_OK: Pairs = [...ANY, ['Access-Control-Allow-Methods', 'PUT']];
const preflightRows: Row[] = [
  ...[200, 204].map((status): Row => ({ title: `a preflight answered ${status} passes`, source: WPT_STATUS, input: preflighted(status, PUT_OK), verdict: 'allowed', rule: 'preflight-status-ok' })),
  ...[301, 302, 303, 304, 307, 308, 400, 401, 403, 404, 405, 500, 501, 502, 503].map(
    (status): Row => ({
      title: `a preflight answered ${status} is blocked, naming the status`,
      source: WPT_STATUS,
      input: preflighted(status, PUT_OK),
      verdict: 'blocked-at-preflight',
      reached: false,
      rule: 'preflight-status-not-ok',
      because: new RegExp(`status ${status} is not an ok status \\(200-299\\): a preflight must get an ok status \\(2xx\\)`),
    }),
  ),
  { title: 'a 3xx preflight says a preflight never follows a redirect', source: 'WPT fetch/api/cors/cors-preflight-redirect.any.js', input: preflighted(307, PUT_OK), verdict: 'blocked-at-preflight', because: /never follows a redirect, so the 3xx itself fails it/ },
  { title: 'a 401 preflight says who often answers OPTIONS', source: PREFLIGHT_FETCH, input: preflighted(401, PUT_OK), verdict: 'blocked-at-preflight', because: /router or auth layer answering OPTIONS/ },
  { title: 'a 500 preflight without CORS headers fails the CORS check and the status', source: PREFLIGHT_FETCH, input: preflighted(500, []), verdict: 'blocked-at-preflight', rule: 'allow-origin-missing' },
];

// Allow-Methods: an empty list is valid and allows only the safelisted methods; elements must be tokens.
const XA: Pairs = [['Access-Control-Allow-Headers', 'X-A']];
const methodsRows: Row[] = [
  { title: 'an empty Allow-Methods refuses PUT', source: PREFLIGHT_FETCH, input: preflighted(204, [...ANY, ['Access-Control-Allow-Methods', '']]), verdict: 'blocked-at-preflight', rule: 'method-not-allowed', because: /is an empty list \(valid, but it allows only the CORS-safelisted methods\)/ },
  { title: 'an Allow-Methods of only commas refuses PUT', source: LISTS, input: preflighted(204, [...ANY, ['Access-Control-Allow-Methods', ' , ,']]), verdict: 'blocked-at-preflight', because: /empty list/ },
  { title: 'an empty Allow-Methods still lets a preflighted GET through', source: PREFLIGHT_FETCH, input: preflighted(204, [...ANY, ['Access-Control-Allow-Methods', ''], ...XA], { headers: [['X-A', '1']] }), verdict: 'allowed', rule: 'method-safelisted' },
  { title: '"GET,,PUT" allows PUT: empty elements are ignored', source: LISTS, input: preflighted(204, [...ANY, ['Access-Control-Allow-Methods', 'GET,,PUT']]), verdict: 'allowed' },
  { title: '"PUT DELETE" is malformed and fails', source: WPT_VALIDATION, input: preflighted(204, [...ANY, ['Access-Control-Allow-Methods', 'PUT DELETE']]), verdict: 'blocked-at-preflight', rule: 'allow-methods-malformed' },
  { title: '"PUT;" is malformed and fails', source: WPT_VALIDATION, input: preflighted(204, [...ANY, ['Access-Control-Allow-Methods', 'PUT;']]), verdict: 'blocked-at-preflight', rule: 'allow-methods-malformed' },
  { title: 'an empty Allow-Headers refuses X-A', source: PREFLIGHT_FETCH, input: preflighted(204, [...ANY, ['Access-Control-Allow-Headers', '']], { headers: [['X-A', '1']] }), verdict: 'blocked-at-preflight', rule: 'header-not-allowed', because: /is an empty list/ },
];

const rows: readonly Row[] = [...actualRows, ...moreActualRows, ...preflightRows, ...methodsRows];

for (const row of rows) {
  test(`${row.title} [${row.source}]`, () => {
    const p = predict(row.input);
    const why = `\n${p.reasons.join('\n')}`;
    expect(p.verdict, why).toBe(row.verdict);
    if (row.readable !== undefined) expect(p.readable, why).toBe(row.readable);
    if (row.reached !== undefined) expect(p.reachedServer, why).toBe(row.reached);
    if (row.rule !== undefined) expect(p.steps.map((s) => s.rule), why).toContain(row.rule);
    if (row.notRule !== undefined) expect(p.steps.map((s) => s.rule), why).not.toContain(row.notRule);
    if (row.because !== undefined) expect(p.reasons.some((r) => row.because?.test(r)), `no reason matches ${String(row.because)}:${why}`).toBe(true);
  });
}
