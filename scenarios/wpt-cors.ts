import type { HostedOriginName } from '../lib/model/origins.ts';
import type { Policy } from '../lib/model/policy.ts';
import { defineScenarios, type CaseRow, type RequestRow, type StatedExpectation, type WptSubtest } from '../lib/model/scenario.ts';

// Cases written from what web-platform-tests' fetch/api/cors subtests assert (the request, the server's answer
// headers, and whether fetch resolves or rejects with a TypeError), each naming its WPT file and subtest title. WPT's
// outcome is the expectation; an engine that departs from it does so through a declared deviation
// (lib/model/engine-deviations.ts), and the run counts that row as a WPT failure for the engine (lib/report/wpt-summary.ts).
//
// WPT's hosts map onto the harness's origins: HTTP_ORIGIN → page, HTTP_REMOTE_ORIGIN (another subdomain) → same-site,
// HTTP_ORIGIN_WITH_DIFFERENT_PORT → other-port, HTTPS_ORIGIN → https, HTTPS_REMOTE_ORIGIN → https-cross-site.
//
// Left out, and why:
// - every subtest against HTTP_REMOTE_ORIGIN_WITH_DIFFERENT_PORT ("Cross domain different port …" in cors-basic,
//   cors-origin, cors-no-preflight): the harness has no other host on its second port.
// - cors-preflight: "CORS [PUT], server allows, check preflight has user agent" (asserts a request header of the
//   preflight, which the matrix does not judge); the extension-method subtests that expect the actual request to
//   be sent ("CORS [NEW], server allows", the chicken and patcH ones of WPT's current file, and cors-preflight-star's
//   "succeeds … method: SUPER" and "succeeds … method: OK"): the policy server's HTTP parser refuses the method
//   (HPE_INVALID_METHOD, measured: harness-error unparseable-request in all three engines; issue 28, point 3) —
//   they come back when it measures any token. The refusing ones are kept: the engine stops at the preflight. The exact
//   Access-Control-Request-Headers value each "server allows" subtest also checks is not judged, only the outcome.
// - cors-preflight-response-validation: its second half (a plain fetch that must still be preflighted) needs a
//   stash shared between two requests.
// - cors-filtering: the two Content-Length subtests (the harness's server sets Content-Length from the body, and the
//   stored WPT copy predates Content-Length becoming a safelisted response header).
// - cors-multiple-origins: its titles carry the WPT host's own origin, and the stored copy predates the current file.
// - cors-preflight-cache, cors-preflight-redirect, cors-redirect*, cors-cookies*, cors-preflight-referrer, cors-preflight-not-cors-safelisted, data-url-*: not yet written (state
//   across requests, redirect chains to other WPT helpers, Referer, or 80-odd generated headers); the project's own
//   preflight-cache, redirects and credentials families cover the same rules.
// - the [no-cors mode] subtests assert an opaque response (status 0, empty body), which the matrix records only as
//   "allowed": they are kept, the opacity itself is not judged.


interface WptRow {
  readonly file: string;
  readonly subtest: string;
  readonly to: HostedOriginName;
  readonly request: RequestRow;
  readonly policy: Policy;
  readonly outcome: WptSubtest['outcome'];
  /** Headers the subtest reads (must be readable) or asserts null (must be hidden), where it checks any. */
  readonly readable?: readonly string[];
  readonly hidden?: readonly string[];
  /** Whether the subtest asserts a preflight was (or was not) made. */
  readonly preflight?: boolean;
}

/**
 * The row the harness runs. Its verdict is left to the oracle, which gives the stage (preflight or response) WPT does
 * not assert and applies each engine's declared deviation; tests/unit/wpt-cors.test.ts holds the oracle to WPT's
 * outcome on every row, so the default expectation is WPT's.
 */
function row(w: WptRow, server: string): CaseRow {
  const expect: StatedExpectation = {
    ...(w.preflight !== undefined && { preflight: w.preflight }),
    ...(w.readable && { readable: w.readable }),
    ...(w.hidden && { hidden: w.hidden }),
    why: `WPT fetch/api/cors/${w.file}: "${w.subtest}" ${w.outcome === 'resolves' ? 'resolves' : 'rejects with a TypeError'}`,
  };
  // The subtest's title goes into the server's description: it makes the test title unique and says where it is from.
  return { server: `${server}, as WPT "${w.subtest}"`, to: w.to, request: w.request, policy: w.policy, expect, wpt: { file: w.file, subtest: w.subtest, outcome: w.outcome } };
}

// cors-basic: for each target, no-cors is opaque, no Allow-Origin rejects, Allow-Origin "*" resolves.
const BASIC_TARGETS: readonly (readonly [string, HostedOriginName])[] = [
  ['Same domain different port', 'other-port'],
  ['Same domain different protocol different port', 'https'],
  ['Cross domain basic usage', 'same-site'],
  ['Cross domain different protocol', 'https-cross-site'],
];
const basic = BASIC_TARGETS.flatMap(([desc, to]) => [
  row({ file: 'cors-basic.any.js', subtest: `${desc} [no-cors mode]`, to, request: { method: 'GET', mode: 'no-cors' }, policy: { allowOrigin: '*' }, outcome: 'resolves' }, 'allows any origin'),
  row({ file: 'cors-basic.any.js', subtest: `${desc} [server forbid CORS]`, to, request: { method: 'GET' }, policy: { allowOrigin: 'none' }, outcome: 'TypeError' }, 'sends no CORS headers'),
  row({ file: 'cors-basic.any.js', subtest: `${desc} [cors mode]`, to, request: { method: 'GET' }, policy: { allowOrigin: '*' }, outcome: 'resolves' }, 'allows any origin'),
]);

// cors-origin: the server allows the page's origin ("origin OK") or only its own ("origin KO"), and the method.
const ORIGIN_TARGETS: readonly (readonly [string, HostedOriginName, string])[] = [
  ['Cross domain different subdomain', 'same-site', 'GET'],
  ['Same domain different port', 'other-port', 'GET'],
  ['Cross domain different protocol', 'https-cross-site', 'GET'],
  ['Same domain different protocol different port', 'https', 'GET'],
  ['Cross domain [POST]', 'same-site', 'POST'],
  ['Cross domain [HEAD]', 'same-site', 'HEAD'],
  ['CORS preflight [PUT]', 'same-site', 'PUT'],
];
const origin = [
  ...ORIGIN_TARGETS.flatMap(([desc, to, method]) => {
    return [
      row({ file: 'cors-origin.any.js', subtest: `${desc} [origin OK]`, to, request: { method }, policy: { allowOrigin: { list: ['page'] }, allowMethods: [method], maxAge: 0 }, outcome: 'resolves' }, `allows the page origin and ${method}`),
      row({ file: 'cors-origin.any.js', subtest: `${desc} [origin KO]`, to, request: { method }, policy: { allowOrigin: { list: [to] }, allowMethods: [method], maxAge: 0 }, outcome: 'TypeError' }, `allows only its own origin and ${method}`),
    ];
  }),
  row({ file: 'cors-origin.any.js', subtest: 'Allowed origin: "" [origin KO]', to: 'same-site', request: { method: 'GET' }, policy: { allowOrigin: { raw: [''] }, allowMethods: ['GET'], maxAge: 0 }, outcome: 'TypeError' }, 'sends an empty Allow-Origin'),
];

// cors-no-preflight: safelisted methods and headers resolve with no preflight made.
const NO_PREFLIGHT: readonly (readonly [string, HostedOriginName, string, Readonly<Record<string, string>>?])[] = [
  ['Cross domain basic usage [GET]', 'same-site', 'GET'],
  ['Same domain different port [GET]', 'other-port', 'GET'],
  ['Cross domain different protocol [GET]', 'https-cross-site', 'GET'],
  ['Same domain different protocol different port [GET]', 'https', 'GET'],
  ['Cross domain [POST]', 'same-site', 'POST'],
  ['Cross domain [HEAD]', 'same-site', 'HEAD'],
  ['Cross domain [GET] [Accept: */*]', 'same-site', 'GET', { Accept: '*/*' }],
  ['Cross domain [GET] [Accept-Language: fr]', 'same-site', 'GET', { 'Accept-Language': 'fr' }],
  ['Cross domain [GET] [Content-Language: fr]', 'same-site', 'GET', { 'Content-Language': 'fr' }],
  ['Cross domain [GET] [Content-Type: application/x-www-form-urlencoded]', 'same-site', 'GET', { 'Content-Type': 'application/x-www-form-urlencoded' }],
  ['Cross domain [GET] [Content-Type: multipart/form-data]', 'same-site', 'GET', { 'Content-Type': 'multipart/form-data' }],
  ['Cross domain [GET] [Content-Type: text/plain]', 'same-site', 'GET', { 'Content-Type': 'text/plain' }],
  ['Cross domain [GET] [Content-Type: text/plain;charset=utf-8]', 'same-site', 'GET', { 'Content-Type': 'text/plain;charset=utf-8' }],
  ['Cross domain [GET] [Content-Type: Text/Plain;charset=utf-8]', 'same-site', 'GET', { 'Content-Type': 'Text/Plain;charset=utf-8' }],
];
const noPreflight = NO_PREFLIGHT.map(([subtest, to, method, headers]) =>
  row({ file: 'cors-no-preflight.any.js', subtest, to, request: { method, ...(headers && { headers }) }, policy: { allowOrigin: 'reflect', maxAge: 0 }, outcome: 'resolves', preflight: false }, 'allows the requesting origin, no preflight answer'),
);

// cors-preflight: "server allows" answers the method and every non-safelisted header; "server refuses" neither.
const TEST_HEADERS = { 'x-test-header1': 'allowedOrRefused', 'x-test-header2': 'allowedOrRefused', 'X-test-header3': 'allowedOrRefused', 'x-test-header-b': 'allowedOrRefused', 'x-test-header-D': 'allowedOrRefused', 'x-test-header-C': 'allowedOrRefused', 'x-test-header-a': 'allowedOrRefused', 'Content-Type': 'allowedOrRefused' } as const;
const SAFE_HEADERS = { Accept: '*', 'Accept-Language': 'bzh', 'Content-Language': 'eu' } as const;
const PREFLIGHT: readonly (readonly [string, string, Readonly<Record<string, string>> | undefined, readonly string[]])[] = [
  ['CORS [DELETE]', 'DELETE', undefined, []],
  ['CORS [PUT]', 'PUT', undefined, []],
  ['CORS [PATCH]', 'PATCH', undefined, []],
  ['CORS [GET] [x-test-header: allowed]', 'GET', { 'x-test-header1': 'allowed' }, ['x-test-header1']],
  ['CORS [GET] [several headers]', 'GET', { ...TEST_HEADERS, ...SAFE_HEADERS }, Object.keys(TEST_HEADERS).map((h) => h.toLowerCase())],
  ['CORS [PUT] [several headers]', 'PUT', { ...TEST_HEADERS, ...SAFE_HEADERS }, Object.keys(TEST_HEADERS).map((h) => h.toLowerCase())],
];
const preflight = [
  ...PREFLIGHT.flatMap(([desc, method, headers, names]) => {
    const request = { method, ...(headers && { headers }) };
    const allows: Policy = { allowOrigin: 'reflect', allowMethods: [method], ...(names.length > 0 && { allowHeaders: names }), maxAge: 0 };
    // The refusing subtest of the one-header case sends the value "refused"; the server answers the same either way.
    const refusedDesc = desc === 'CORS [GET] [x-test-header: allowed]' ? 'CORS [GET] [x-test-header: refused]' : desc;
    const refusedRequest = desc === 'CORS [GET] [x-test-header: allowed]' ? { method, headers: { 'x-test-header1': 'refused' } } : request;
    return [
      row({ file: 'cors-preflight.any.js', subtest: `${desc}, server allows`, to: 'same-site', request, policy: allows, outcome: 'resolves', preflight: true }, 'allows the method and headers asked'),
      row({ file: 'cors-preflight.any.js', subtest: `${refusedDesc}, server refuses`, to: 'same-site', request: refusedRequest, policy: { allowOrigin: 'reflect', maxAge: 0 }, outcome: 'TypeError' }, 'allows the origin but no method or header'),
    ];
  }),
  // An extension method the server refuses is stopped at the preflight (an OPTIONS the server parses).
  row({ file: 'cors-preflight.any.js', subtest: 'CORS [NEW], server refuses', to: 'same-site', request: { method: 'NEW' }, policy: { allowOrigin: 'reflect', maxAge: 0 }, outcome: 'TypeError' }, 'allows the origin but no method or header'),
  row({ file: 'cors-preflight.any.js', subtest: 'CORS [PUT] [only safe headers], server allows', to: 'same-site', request: { method: 'PUT', headers: SAFE_HEADERS }, policy: { allowOrigin: 'reflect', allowMethods: ['PUT'], maxAge: 0 }, outcome: 'resolves', preflight: true }, 'allows PUT'),
  // WPT's current cors-preflight.any.js ends with these two (Fetch Standard: "*" never covers Authorization).
  row({ file: 'cors-preflight.any.js', subtest: '"authorization" should not be covered by the wildcard symbol', to: 'same-site', request: { method: 'GET', headers: { authorization: 'foobar' } }, policy: { allowOrigin: 'reflect', allowMethods: '*', allowHeaders: '*', maxAge: 0 }, outcome: 'TypeError' }, 'allows any method and header'),
  row({ file: 'cors-preflight.any.js', subtest: '"authorization" should be covered by "authorization"', to: 'same-site', request: { method: 'GET', headers: { authorization: 'foobar' } }, policy: { allowOrigin: 'reflect', allowMethods: '*', allowHeaders: ['*', 'authorization'], maxAge: 0 }, outcome: 'resolves', preflight: true }, 'allows any header and authorization'),
];

// cors-preflight-star: "*" in Allow-Methods / Allow-Headers is a wildcard only without credentials.
function star(succeeds: boolean, withCredentials: boolean, allowMethod: string, allowHeader: string, method: string, header?: readonly [string, string]): CaseRow {
  const subtest = `CORS that ${succeeds ? 'succeeds' : 'fails'} with credentials: ${withCredentials}; method: ${method} (allowed: ${allowMethod}); header: ${header ? header.join(',') : 'undefined'} (allowed: ${allowHeader})`;
  const list = (value: string): readonly string[] | '*' => (value === '*' ? '*' : value === '' ? [] : [value]);
  const policy: Policy = {
    allowOrigin: withCredentials ? { list: ['page'] } : '*',
    ...(withCredentials && { allowCredentials: true }),
    ...(allowMethod !== '' && { allowMethods: list(allowMethod) }),
    ...(allowHeader !== '' && { allowHeaders: list(allowHeader) }),
  };
  const request: RequestRow = { method, ...(header && { headers: { [header[0]]: header[1] } }), ...(withCredentials && { credentials: 'include' }) };
  return row({ file: 'cors-preflight-star.any.js', subtest, to: 'same-site', request, policy, outcome: succeeds ? 'resolves' : 'TypeError' }, `allows methods "${allowMethod}" and headers "${allowHeader}"${withCredentials ? ' with credentials' : ''}`);
}
const preflightStar = [
  star(true, false, 'get', 'x-test', 'GET', ['X-Test', '1']),
  star(true, true, 'OK', 'Content-Type', 'GET', ['Content-Type', 'uni/corn']),
  star(false, true, '*', '*', 'OK', ['X-Test', '1']),
  star(false, true, '*', '', 'PUT'),
  star(true, true, '', '*', 'get'),
  star(false, true, 'put', '*', 'PUT'),
  star(true, true, 'PUT', '*', 'PUT', ['Accept', 'unicorn']),
  star(false, true, 'get', '*', 'GET', ['X-Test', '1']),
  star(false, true, '*', '*', 'GET', ['X-Test', '1']),
];

// cors-preflight-status: a preflight answered 2xx passes (and was made); any other status rejects.
const STATUSES = [200, 201, 202, 203, 204, 205, 206, 300, 301, 302, 303, 304, 305, 306, 307, 308, 400, 401, 402, 403, 404, 405, 501, 502, 503, 504, 505];
const preflightStatus = STATUSES.map((status) =>
  row(
    { file: 'cors-preflight-status.any.js', subtest: `Preflight answered with status ${status}`, to: 'same-site', request: { method: 'GET', headers: { 'x-force-preflight': '' } }, policy: { allowOrigin: 'reflect', allowHeaders: ['x-force-preflight'], preflightStatus: status, maxAge: 0 }, outcome: status >= 200 && status <= 299 ? 'resolves' : 'TypeError', preflight: true },
    `answers the preflight ${status}`,
  ),
);

// cors-preflight-response-validation: an Allow-Headers or Allow-Methods value that does not parse fails the preflight.
const responseValidation = [
  row({ file: 'cors-preflight-response-validation.any.js', subtest: 'Preflight response with bad Allow-Access-Control-Headers', to: 'same-site', request: { method: 'GET', headers: { 'x-force-preflight': '' } }, policy: { allowOrigin: 'reflect', allowHeaders: ['x-force-preflight', 'header name with space'], maxAge: 0 }, outcome: 'TypeError' }, 'allows a header name with spaces'),
  row({ file: 'cors-preflight-response-validation.any.js', subtest: 'Preflight response with bad Allow-Access-Control-Methods', to: 'same-site', request: { method: 'GET', headers: { 'x-force-preflight': '' } }, policy: { allowOrigin: 'reflect', allowHeaders: ['x-force-preflight'], allowMethods: ['Bad method name'], maxAge: 0 }, outcome: 'TypeError' }, 'allows a method name with spaces'),
];

// cors-expose-star: Expose-Headers "*" exposes every header but Set-Cookie without credentials; with credentials it
// matches only a header literally named "*".
const EXPOSE_STAR_HEADERS = { Test: 'X', '*': 'whoa' } as const;
const exposeStar = [
  row({ file: 'cors-expose-star.sub.any.js', subtest: 'Basic Access-Control-Expose-Headers: * support', to: 'other-port', request: { method: 'GET' }, policy: { allowOrigin: '*', exposeHeaders: '*', responseHeaders: EXPOSE_STAR_HEADERS, setCookies: ['X=X; Path=/'] }, outcome: 'resolves', readable: ['Test', '*'], hidden: ['Set-Cookie'] }, 'exposes "*"'),
  row({ file: 'cors-expose-star.sub.any.js', subtest: '* for credentialed fetches only matches literally', to: 'other-port', request: { method: 'GET', credentials: 'include' }, policy: { allowOrigin: { list: ['page'] }, allowCredentials: true, exposeHeaders: '*', responseHeaders: EXPOSE_STAR_HEADERS, setCookies: ['X=X; Path=/'] }, outcome: 'resolves', readable: ['Content-Type', '*'], hidden: ['Test', 'Set-Cookie'] }, 'exposes "*" to a credentialed request'),
  row({ file: 'cors-expose-star.sub.any.js', subtest: '* can be one of several values', to: 'other-port', request: { method: 'GET' }, policy: { allowOrigin: '*', exposeHeaders: ['*', 'set-cookie'], responseHeaders: { Test: 'X' }, setCookies: ['X=X; Path=/'] }, outcome: 'resolves', readable: ['Test'], hidden: ['Set-Cookie'] }, 'exposes "*, set-cookie"'),
];

// cors-filtering: without Expose-Headers only the safelisted response headers are readable; an exposed header is
// readable unless it is a forbidden response-header name (Set-Cookie, Set-Cookie2). WPT asks www1 on its second port;
// the nearest here is same-site (another host, same port).
const FILTERED: readonly (readonly [string, string, boolean])[] = [
  ['Cache-Control', 'no-cache', false],
  ['Content-Language', 'fr', false],
  ['Content-Type', 'text/html', false],
  ['Expires', '04 May 1988 22:22:22 GMT', false],
  ['Last-Modified', '04 May 1988 22:22:22 GMT', false],
  ['Pragma', 'no-cache', false],
  ['Age', '27', true],
  ['Server', 'wptServe', true],
  ['Warning', 'Mind the gap', true],
  ['Set-Cookie', 'name=value', true],
  ['Set-Cookie2', 'name=value', true],
];
const EXPOSED_FILTER: readonly (readonly [string, string, boolean])[] = [
  ['Age', '27', false],
  ['Server', 'wptServe', false],
  ['Warning', 'Mind the gap', false],
  ['Set-Cookie', 'name=value', true],
  ['Set-Cookie2', 'name=value', true],
];
function sends(name: string, value: string): Policy {
  return name === 'Set-Cookie' ? { allowOrigin: '*', setCookies: [value] } : { allowOrigin: '*', responseHeaders: { [name]: value } };
}
const filtering = [
  ...FILTERED.map(([name, value, filtered]) =>
    row({ file: 'cors-filtering.sub.any.js', subtest: `CORS filter on ${name} header`, to: 'same-site', request: { method: 'GET' }, policy: sends(name, value), outcome: 'resolves', ...(filtered ? { hidden: [name] } : { readable: [name] }) }, `sends ${name} unexposed`),
  ),
  ...EXPOSED_FILTER.map(([name, value, forbidden]) =>
    row({ file: 'cors-filtering.sub.any.js', subtest: `CORS filter on ${name} header, header is exposed`, to: 'same-site', request: { method: 'GET' }, policy: { ...sends(name, value), exposeHeaders: [name] }, outcome: 'resolves', ...(forbidden ? { hidden: [name] } : { readable: [name] }) }, `sends ${name} exposed`),
  ),
];

export default defineScenarios({
  family: 'wpt-cors',
  proves: "web-platform-tests' fetch/api/cors subtests, as a policy expresses them, give WPT's outcome in each engine",
  cases: [...basic, ...origin, ...noPreflight, ...preflight, ...preflightStar, ...preflightStatus, ...responseValidation, ...exposeStar, ...filtering],
});
