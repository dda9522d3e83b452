import { test, expect } from '@playwright/test';
import type { HeaderPairs, OracleRequest, OracleRuleId, OracleVerdict, PredictInput, PreflightCacheState, Prediction } from '../../lib/oracle/index.ts';
import { OracleInputError, predict } from '../../lib/oracle/index.ts';

// Every row names where its fact comes from: a section of the Fetch Standard (numbered as of July 2026) or a
// web-platform-tests file. The rows follow ../shared/NOTES.md §3, items 1–8, 11 and 12.
const CORS_CHECK = 'Fetch §4.10 CORS check';
const PREFLIGHT_FETCH = 'Fetch §4.8 CORS-preflight fetch';
const PREFLIGHT_CACHE = 'Fetch §4.9 CORS-preflight cache';
const HTTP_FETCH = 'Fetch §4.4 HTTP fetch';
const MAIN_FETCH = 'Fetch §4.1 Main fetch';
const METHODS = 'Fetch §2.2.1 Methods';
const HEADERS = 'Fetch §2.2.2 Headers';
const REQUESTS = 'Fetch §2.2.5 Requests';
const RESPONSES = 'Fetch §2.2.6 Responses';
const HEADERS_CLASS = 'Fetch §5.1 Headers class';
const NEW_HEADER_SYNTAX = 'Fetch §3.3.4 HTTP new-header syntax';
const WPT_ORIGIN = 'WPT cors/origin.htm';
const WPT_STAR = 'WPT fetch/api/cors/cors-preflight-star.any.js';
const WPT_STATUS = 'WPT fetch/api/cors/cors-preflight-status.any.js';
const WPT_VALIDATION = 'WPT fetch/api/cors/cors-preflight-response-validation.any.js';
const WPT_NO_PREFLIGHT = 'WPT fetch/api/cors/cors-no-preflight.any.js';
const WPT_NOT_SAFELISTED = 'WPT fetch/api/cors/resources/not-cors-safelisted.json';
const WPT_SAFELISTED = 'WPT cors/cors-safelisted-request-header.any.js';
const WPT_PREFLIGHT = 'WPT fetch/api/cors/cors-preflight.any.js';
const WPT_CACHE = 'WPT cors/preflight-cache.htm';
const WPT_CACHE_FETCH = 'WPT fetch/api/cors/cors-preflight-cache.any.js';
const WPT_EXPOSE_STAR = 'WPT fetch/api/cors/cors-expose-star.js';
const WPT_FILTERING = 'WPT fetch/api/cors/cors-filtering.js';
const WPT_ORIGIN_FETCH = 'WPT fetch/api/cors/cors-origin.any.js';

const ORIGIN = 'https://app.example';
const URL_ = 'https://api.example/data';

type Pairs = HeaderPairs;

function request(overrides: Partial<OracleRequest> = {}): OracleRequest {
  return { origin: ORIGIN, url: URL_, method: 'GET', headers: [], credentials: 'omit', mode: 'cors', ...overrides };
}

/** The actual response: 200 with these header lines. */
function ok(headers: Pairs = []): PredictInput['response'] {
  return { status: 200, headers };
}

const ANY: Pairs = [['Access-Control-Allow-Origin', '*']];
const EXACT: Pairs = [['Access-Control-Allow-Origin', ORIGIN]];
const EXACT_CRED: Pairs = [...EXACT, ['Access-Control-Allow-Credentials', 'true']];

/** A cross-origin GET (no preflight) whose response carries these Allow-Origin lines. */
function acao(...values: string[]): PredictInput {
  return { request: request(), response: ok(values.map((v): [string, string] => ['Access-Control-Allow-Origin', v])) };
}

function preflighted(req: Partial<OracleRequest>, preflight: Pairs, response: Pairs = ANY, status = 204): PredictInput {
  return { request: request(req), preflight: { status, headers: preflight }, response: ok(response) };
}

interface Expected {
  readonly verdict?: OracleVerdict;
  readonly preflight?: boolean;
  readonly acrm?: string;
  /** `null`: no Access-Control-Request-Headers. */
  readonly acrh?: string | null;
  readonly reached?: boolean;
  readonly readable?: boolean;
  /** Exactly the readable header names. */
  readonly headers?: readonly string[];
  readonly fromCache?: boolean;
  /** A step of the chain applied this rule. */
  readonly rule?: OracleRuleId;
  /** A reason line matches this. */
  readonly because?: RegExp;
}

interface Row {
  readonly title: string;
  readonly source: string;
  readonly input: PredictInput;
  /** Earlier requests, predicted in order, whose preflight cache this row starts from. */
  readonly history?: readonly PredictInput[];
  readonly expect: Expected;
}

// 1. Access-Control-Allow-Origin parsing: exact byte match, whitespace trimmed, nothing else.
const allowOriginRows: Row[] = [
  { title: 'the exact origin passes', source: CORS_CHECK, input: acao(ORIGIN), expect: { verdict: 'allowed', rule: 'allow-origin-match' } },
  { title: '"*" passes without credentials', source: CORS_CHECK, input: acao('*'), expect: { verdict: 'allowed', rule: 'allow-origin-wildcard' } },
  { title: '" *  " passes: surrounding whitespace is not part of the value', source: WPT_ORIGIN, input: acao(' *  '), expect: { verdict: 'allowed' } },
  { title: 'a tab before "*" passes', source: WPT_ORIGIN, input: acao('\t*'), expect: { verdict: 'allowed' } },
  { title: 'a space before the origin passes', source: WPT_ORIGIN, input: acao(` ${ORIGIN}`), expect: { verdict: 'allowed' } },
  { title: 'spaces and a tab after the origin pass', source: WPT_ORIGIN, input: acao(` ${ORIGIN}   \t `), expect: { verdict: 'allowed' } },
  { title: 'a tab before the origin passes', source: WPT_ORIGIN, input: acao(`\t${ORIGIN}`), expect: { verdict: 'allowed' } },
  { title: 'the origin upper-cased fails', source: WPT_ORIGIN, input: acao(ORIGIN.toUpperCase()), expect: { verdict: 'blocked-at-response', because: /only in case/ } },
  { title: 'the scheme upper-cased fails', source: WPT_ORIGIN, input: acao('HTTPS://app.example'), expect: { verdict: 'blocked-at-response', rule: 'allow-origin-mismatch' } },
  { title: 'a trailing slash fails', source: WPT_ORIGIN, input: acao(`${ORIGIN}/`), expect: { verdict: 'blocked-at-response', because: /has a path/ } },
  { title: 'a space then a slash fails', source: WPT_ORIGIN, input: acao(`${ORIGIN} /`), expect: { verdict: 'blocked-at-response' } },
  { title: 'the explicit default port fails', source: CORS_CHECK, input: acao(`${ORIGIN}:443`), expect: { verdict: 'blocked-at-response', because: /default port/ } },
  { title: 'the origin with "?" fails', source: WPT_ORIGIN, input: acao(`${ORIGIN}?`), expect: { verdict: 'blocked-at-response' } },
  { title: 'the origin with "#" fails', source: WPT_ORIGIN, input: acao(`${ORIGIN}#`), expect: { verdict: 'blocked-at-response' } },
  { title: 'the full URL of the page fails', source: WPT_ORIGIN, input: acao(`${ORIGIN}/index.html`), expect: { verdict: 'blocked-at-response' } },
  { title: '"null" fails for a non-null origin', source: WPT_ORIGIN, input: acao('null'), expect: { verdict: 'blocked-at-response', because: /opaque origin/ } },
  { title: '"*, origin" fails', source: WPT_ORIGIN, input: acao(`*, ${ORIGIN}`), expect: { verdict: 'blocked-at-response', because: /is a list/ } },
  { title: '"origin, *" fails', source: WPT_ORIGIN, input: acao(`${ORIGIN}, *`), expect: { verdict: 'blocked-at-response' } },
  { title: '"**" fails', source: WPT_ORIGIN, input: acao('**'), expect: { verdict: 'blocked-at-response', because: /not the wildcard/ } },
  { title: '"* *" fails', source: WPT_ORIGIN, input: acao('* *'), expect: { verdict: 'blocked-at-response' } },
  { title: 'a quoted "*" fails', source: WPT_ORIGIN, input: acao('"*"'), expect: { verdict: 'blocked-at-response' } },
  { title: '"*.app.example" is no pattern and fails', source: WPT_ORIGIN, input: acao('https://*.example'), expect: { verdict: 'blocked-at-response' } },
  { title: 'another site fails', source: WPT_ORIGIN, input: acao('https://evil.example'), expect: { verdict: 'blocked-at-response' } },
  { title: 'the host without a scheme fails', source: WPT_ORIGIN, input: acao('app.example'), expect: { verdict: 'blocked-at-response' } },
  { title: 'the same host over http fails', source: WPT_ORIGIN, input: acao('http://app.example'), expect: { verdict: 'blocked-at-response' } },
  { title: 'an empty value fails', source: WPT_ORIGIN, input: acao(''), expect: { verdict: 'blocked-at-response' } },
  { title: 'no Allow-Origin at all fails', source: CORS_CHECK, input: { request: request(), response: ok([]) }, expect: { verdict: 'blocked-at-response', rule: 'allow-origin-missing', reached: true } },
  { title: 'two lines "*" and "*" fail', source: WPT_ORIGIN, input: acao('*', '*'), expect: { verdict: 'blocked-at-response', because: /2 Access-Control-Allow-Origin lines/ } },
  { title: 'two lines "" and "*" fail', source: WPT_ORIGIN, input: acao('', '*'), expect: { verdict: 'blocked-at-response' } },
  { title: 'two lines "*" and "" fail', source: WPT_ORIGIN, input: acao('*', ''), expect: { verdict: 'blocked-at-response' } },
  { title: 'two lines "*" and the origin fail', source: WPT_ORIGIN, input: acao('*', ORIGIN), expect: { verdict: 'blocked-at-response' } },
  { title: 'two lines of the same origin fail', source: WPT_ORIGIN, input: acao(ORIGIN, ORIGIN), expect: { verdict: 'blocked-at-response' } },
  {
    title: '"null" passes for a request from an opaque origin',
    source: CORS_CHECK,
    input: { request: request({ origin: 'null' }), response: ok([['Access-Control-Allow-Origin', 'null']]) },
    expect: { verdict: 'allowed', rule: 'allow-origin-match' },
  },
  { title: '"*" passes for a request from an opaque origin', source: CORS_CHECK, input: { request: request({ origin: 'null' }), response: ok(ANY) }, expect: { verdict: 'allowed' } },
  {
    title: 'a real origin fails for a request from an opaque origin',
    source: CORS_CHECK,
    input: { request: request({ origin: 'null' }), response: ok(EXACT) },
    expect: { verdict: 'blocked-at-response', because: /opaque origin, serialised "null"/ },
  },
];

// 2. Origin variants: only the exact origin (scheme, host, port) is same-origin.
const originRows: Row[] = [
  { title: 'a same-origin GET needs no CORS headers', source: MAIN_FETCH, input: { request: request({ url: `${ORIGIN}/api` }), response: ok([]) }, expect: { verdict: 'allowed', preflight: false, readable: true, rule: 'same-origin-basic' } },
  { title: 'a same-origin PUT with a custom header is never preflighted', source: MAIN_FETCH, input: { request: request({ url: `${ORIGIN}/api`, method: 'PUT', headers: [['X-Custom', '1']] }), response: ok([]) }, expect: { verdict: 'allowed', preflight: false } },
  { title: 'the default port written in the URL is still same-origin', source: MAIN_FETCH, input: { request: request({ url: 'https://app.example:443/api' }), response: ok([]) }, expect: { verdict: 'allowed', rule: 'same-origin-basic' } },
  { title: 'another subdomain is cross-origin', source: WPT_ORIGIN_FETCH, input: { request: request({ url: 'https://www.app.example/api' }), response: ok([]) }, expect: { verdict: 'blocked-at-response', reached: true } },
  { title: 'another port is cross-origin', source: 'WPT fetch/api/cors/cors-no-preflight.any.js', input: { request: request({ url: 'https://app.example:8443/api' }), response: ok([]) }, expect: { verdict: 'blocked-at-response' } },
  { title: 'the same host over http is cross-origin', source: WPT_ORIGIN_FETCH, input: { request: request({ url: 'http://app.example/api' }), response: ok([]) }, expect: { verdict: 'blocked-at-response' } },
  { title: 'another site with "*" is allowed for GET', source: WPT_NO_PREFLIGHT, input: { request: request(), response: ok(ANY) }, expect: { verdict: 'allowed', preflight: false, readable: true } },
  { title: 'another site with "*" is allowed for HEAD', source: WPT_NO_PREFLIGHT, input: { request: request({ method: 'HEAD' }), response: ok(ANY) }, expect: { verdict: 'allowed', preflight: false } },
  { title: 'another site with "*" is allowed for POST', source: WPT_NO_PREFLIGHT, input: { request: request({ method: 'POST', bodyKind: 'text' }), response: ok(ANY) }, expect: { verdict: 'allowed', preflight: false } },
  { title: 'a cross-origin PUT is preflighted', source: WPT_PREFLIGHT, input: preflighted({ method: 'PUT' }, [...ANY, ['Access-Control-Allow-Methods', 'PUT']]), expect: { verdict: 'allowed', preflight: true, acrm: 'PUT', acrh: null } },
  { title: 'a request from an opaque origin is cross-origin even to the page host', source: MAIN_FETCH, input: { request: request({ origin: 'null', url: `${ORIGIN}/api` }), response: ok([]) }, expect: { verdict: 'blocked-at-response' } },
  { title: 'a same-origin response shows every header but Set-Cookie', source: RESPONSES, input: { request: request({ url: `${ORIGIN}/api` }), response: ok([['X-Custom', 'a'], ['Date', 'x'], ['Set-Cookie', 'a=b']]) }, expect: { headers: ['date', 'x-custom'], readable: true } },
];

// 3. Preflight triggers: unsafe methods, unsafe headers, safelisted headers with unsafe values, stream bodies.
const noPreflight = (headers: Pairs, extra: Partial<OracleRequest> = {}): PredictInput => ({ request: request({ headers, ...extra }), response: ok(ANY) });
const withHeaders = (headers: Pairs, extra: Partial<OracleRequest> = {}): PredictInput => ({ request: request({ headers, ...extra }), preflight: { status: 204, headers: [] }, response: ok(ANY) });
const A128 = 'a'.repeat(128);
const triggerRows: Row[] = [
  { title: 'Accept "*/*" needs no preflight', source: WPT_NO_PREFLIGHT, input: noPreflight([['Accept', '*/*']]), expect: { preflight: false, verdict: 'allowed' } },
  { title: 'Accept-Language "fr" needs no preflight', source: WPT_NO_PREFLIGHT, input: noPreflight([['Accept-Language', 'fr']]), expect: { preflight: false } },
  { title: 'Content-Language "fr" needs no preflight', source: WPT_NO_PREFLIGHT, input: noPreflight([['Content-Language', 'fr']]), expect: { preflight: false } },
  { title: 'Content-Type application/x-www-form-urlencoded needs no preflight', source: WPT_NO_PREFLIGHT, input: noPreflight([['Content-Type', 'application/x-www-form-urlencoded']]), expect: { preflight: false } },
  { title: 'Content-Type multipart/form-data needs no preflight', source: WPT_NO_PREFLIGHT, input: noPreflight([['Content-Type', 'multipart/form-data']]), expect: { preflight: false } },
  { title: 'Content-Type text/plain needs no preflight', source: WPT_NO_PREFLIGHT, input: noPreflight([['Content-Type', 'text/plain']]), expect: { preflight: false } },
  { title: 'Content-Type text/plain;charset=utf-8 needs no preflight', source: WPT_NO_PREFLIGHT, input: noPreflight([['Content-Type', 'text/plain;charset=utf-8']]), expect: { preflight: false } },
  { title: 'Content-Type Text/Plain;charset=utf-8 needs no preflight (the essence is lower-cased)', source: WPT_NO_PREFLIGHT, input: noPreflight([['Content-Type', 'Text/Plain;charset=utf-8']]), expect: { preflight: false } },
  { title: 'Content-Type "text/plain;" needs no preflight', source: WPT_SAFELISTED, input: noPreflight([['Content-Type', 'text/plain;']]), expect: { preflight: false } },
  { title: 'Content-Type "text/plain;garbage" needs no preflight', source: WPT_SAFELISTED, input: noPreflight([['Content-Type', 'text/plain;garbage']]), expect: { preflight: false } },
  { title: 'several safelisted headers together need no preflight', source: WPT_PREFLIGHT, input: noPreflight([['Accept', '*'], ['Accept-Language', 'bzh'], ['Content-Language', 'eu']]), expect: { preflight: false, rule: 'no-preflight-needed' } },
  { title: 'Content-Type application/json is preflighted', source: WPT_NOT_SAFELISTED, input: withHeaders([['Content-Type', 'application/json']]), expect: { preflight: true, acrh: 'content-type', because: /essence "application\/json"/ } },
  { title: 'Content-Type text/html is preflighted', source: WPT_NOT_SAFELISTED, input: withHeaders([['Content-Type', 'text/html']]), expect: { preflight: true, acrh: 'content-type' } },
  { title: 'Content-Type "text /plain" is preflighted (not a MIME type)', source: WPT_SAFELISTED, input: withHeaders([['Content-Type', 'text /plain']]), expect: { preflight: true, because: /does not parse as a MIME type/ } },
  { title: 'Content-Type "text/plain," is preflighted', source: WPT_SAFELISTED, input: withHeaders([['Content-Type', 'text/plain,']]), expect: { preflight: true } },
  { title: 'Content-Type ",text/plain" is preflighted', source: WPT_SAFELISTED, input: withHeaders([['Content-Type', ',text/plain']]), expect: { preflight: true } },
  { title: 'Content-Type "text/plain,text/plain" is preflighted', source: WPT_SAFELISTED, input: withHeaders([['Content-Type', 'text/plain,text/plain']]), expect: { preflight: true } },
  { title: 'Content-Type with a vertical tab is preflighted (CORS-unsafe byte)', source: WPT_SAFELISTED, input: withHeaders([['Content-Type', 'text/plain\u000B']]), expect: { preflight: true, because: /control byte 0x0B/ } },
  { title: 'Content-Type application/www-form-urlencoded is preflighted', source: WPT_SAFELISTED, input: withHeaders([['Content-Type', 'application/www-form-urlencoded']]), expect: { preflight: true } },
  { title: 'Content-Type with DEL after the parameters is preflighted', source: WPT_SAFELISTED, input: withHeaders([['Content-Type', 'application/x-www-form-urlencoded;\u007F']]), expect: { preflight: true } },
  { title: 'Content-Type with a double quote is preflighted', source: WPT_SAFELISTED, input: withHeaders([['Content-Type', 'multipart/form-data;"']]), expect: { preflight: true, because: /the byte 0x22 \("\)/ } },
  { title: 'Content-Type with a quoted charset is preflighted', source: HEADERS, input: withHeaders([['Content-Type', 'text/plain; charset="utf-8"']]), expect: { preflight: true } },
  { title: 'Content-Type text/plain over 128 bytes is preflighted', source: WPT_NOT_SAFELISTED, input: withHeaders([['Content-Type', `text/plain; long=${'0'.repeat(112)}`]]), expect: { preflight: true, because: /over the 128-byte limit/ } },
  { title: 'Accept holding a double quote is preflighted', source: WPT_NOT_SAFELISTED, input: withHeaders([['Accept', '"']]), expect: { preflight: true, acrh: 'accept' } },
  { title: 'Accept of 129 bytes is preflighted', source: WPT_NOT_SAFELISTED, input: withHeaders([['Accept', 'a'.repeat(129)]]), expect: { preflight: true, acrh: 'accept', because: /129 bytes/ } },
  { title: 'Accept of exactly 128 bytes needs no preflight', source: HEADERS, input: noPreflight([['Accept', A128]]), expect: { preflight: false } },
  { title: 'Accept-Language holding "@" is preflighted', source: WPT_NOT_SAFELISTED, input: withHeaders([['Accept-Language', '@']]), expect: { preflight: true, acrh: 'accept-language' } },
  { title: 'Accept-Language holding a control byte is preflighted', source: WPT_NOT_SAFELISTED, input: withHeaders([['Accept-Language', '\u0001']]), expect: { preflight: true } },
  { title: 'Content-Language holding "@" is preflighted', source: WPT_NOT_SAFELISTED, input: withHeaders([['Content-Language', '@']]), expect: { preflight: true, acrh: 'content-language' } },
  { title: 'Authorization is preflighted', source: WPT_NOT_SAFELISTED, input: withHeaders([['Authorization', 'basics']]), expect: { preflight: true, acrh: 'authorization' } },
  { title: 'a custom header is preflighted', source: WPT_NOT_SAFELISTED, input: withHeaders([['Test', 'hi']]), expect: { preflight: true, acrh: 'test' } },
  { title: 'Last-Event-ID is no longer safelisted and is preflighted', source: HEADERS, input: withHeaders([['Last-Event-ID', 'abc123']]), expect: { preflight: true, acrh: 'last-event-id' } },
  { title: 'Range "bytes=100-200" needs no preflight', source: WPT_SAFELISTED, input: noPreflight([['Range', 'bytes=100-200']]), expect: { preflight: false } },
  { title: 'Range "bytes=200-" needs no preflight', source: WPT_SAFELISTED, input: noPreflight([['Range', 'bytes=200-']]), expect: { preflight: false } },
  { title: 'Range "bytes=-200" (a suffix range) is preflighted', source: WPT_SAFELISTED, input: withHeaders([['Range', 'bytes=-200']]), expect: { preflight: true, acrh: 'range', because: /suffix range/ } },
  { title: 'Range "bytes 0-" is preflighted', source: WPT_NOT_SAFELISTED, input: withHeaders([['Range', 'bytes 0-']]), expect: { preflight: true } },
  { title: 'Range "bytes =100-200" is preflighted (no whitespace allowed)', source: WPT_SAFELISTED, input: withHeaders([['Range', 'bytes =100-200']]), expect: { preflight: true } },
  { title: 'Range "bytes=100-200,300-400" is preflighted (one range only)', source: WPT_SAFELISTED, input: withHeaders([['Range', 'bytes=100-200,300-400']]), expect: { preflight: true } },
  { title: 'Range "bytes=200-100" is preflighted (start after end)', source: WPT_SAFELISTED, input: withHeaders([['Range', 'bytes=200-100']]), expect: { preflight: true, because: /start is after its end/ } },
  { title: 'Range "MB=100-200" is preflighted', source: WPT_SAFELISTED, input: withHeaders([['Range', 'MB=100-200']]), expect: { preflight: true } },
  { title: 'Range "bytes=abc-def" is preflighted', source: WPT_SAFELISTED, input: withHeaders([['Range', 'bytes=abc-def']]), expect: { preflight: true } },
  { title: 'a Range with 60-digit bounds is over 128 bytes and preflighted', source: WPT_SAFELISTED, input: withHeaders([['Range', `bytes=1${'0'.repeat(60)}-2${'0'.repeat(60)}`]]), expect: { preflight: true, because: /over the 128-byte limit/ } },
  {
    title: 'safelisted values adding up to 1,152 bytes are all preflighted',
    source: HEADERS,
    input: withHeaders(Array.from({ length: 9 }, (): [string, string] => ['Accept', A128])),
    expect: { preflight: true, acrh: 'accept', because: /1152 bytes, over the 1024-byte limit/ },
  },
  { title: 'safelisted values adding up to exactly 1,024 bytes need no preflight', source: HEADERS, input: noPreflight(Array.from({ length: 8 }, (): [string, string] => ['Accept', A128])), expect: { preflight: false } },
  {
    title: 'over 1,024 bytes in all, every safelisted name joins the unsafe names',
    source: HEADERS,
    input: withHeaders([...Array.from({ length: 8 }, (): [string, string] => ['Accept', A128]), ['Content-Language', 'en'], ['X-Custom', '1']]),
    expect: { preflight: true, acrh: 'accept,content-language,x-custom' },
  },
  { title: 'Access-Control-Request-Headers is sorted, lower-cased and deduplicated, with no spaces', source: PREFLIGHT_FETCH, input: withHeaders([['X-B', '1'], ['x-a', '2'], ['X-A', '3']]), expect: { acrh: 'x-a,x-b' } },
  {
    title: 'Access-Control-Request-Headers leaves out the safelisted headers',
    source: WPT_PREFLIGHT,
    input: withHeaders([['x-test-header-D', 'v'], ['Accept', '*'], ['x-test-header-a', 'v'], ['Content-Type', 'allowedOrRefused'], ['Content-Language', 'eu']]),
    expect: { acrh: 'content-type,x-test-header-a,x-test-header-d' },
  },
  { title: 'a second Content-Type line of application/json is preflighted even after text/plain', source: HEADERS, input: withHeaders([['Content-Type', 'text/plain'], ['Content-Type', 'application/json']]), expect: { preflight: true, acrh: 'content-type' } },
  { title: 'a string body adds Content-Type text/plain;charset=UTF-8, which needs no preflight', source: 'Fetch §5.4 Request class', input: noPreflight([], { method: 'POST', bodyKind: 'text' }), expect: { preflight: false, rule: 'text-body-content-type' } },
  {
    title: 'a ReadableStream body is preflighted even for a POST without headers',
    source: REQUESTS,
    input: { request: request({ method: 'POST', bodyKind: 'stream' }), preflight: { status: 204, headers: ANY }, response: ok(ANY) },
    expect: { preflight: true, acrm: 'POST', acrh: null, verdict: 'allowed', because: /use-CORS-preflight flag/ },
  },
  { title: 'a forbidden request-header (Cookie) is dropped and triggers nothing', source: HEADERS_CLASS, input: noPreflight([['Cookie', 'a=b']]), expect: { preflight: false, rule: 'forbidden-request-header-dropped' } },
  { title: 'a Sec- header is dropped and triggers nothing', source: HEADERS_CLASS, input: noPreflight([['Sec-Custom', '1']]), expect: { preflight: false, rule: 'forbidden-request-header-dropped' } },
  { title: 'X-HTTP-Method-Override naming TRACE is dropped', source: HEADERS, input: noPreflight([['X-HTTP-Method-Override', 'TRACE']]), expect: { preflight: false, rule: 'forbidden-request-header-dropped' } },
  { title: 'X-HTTP-Method-Override naming PUT is an ordinary header and is preflighted', source: HEADERS, input: withHeaders([['X-HTTP-Method-Override', 'PUT']]), expect: { preflight: true, acrh: 'x-http-method-override' } },
  { title: 'a header value with surrounding whitespace is normalised before the checks', source: HEADERS, input: noPreflight([['Content-Type', '  text/plain  ']]), expect: { preflight: false } },
];

// 4. Methods: six are upper-cased by fetch(); everything else is sent as written and compared case-sensitively.
const methodRows: Row[] = [
  { title: '"get" is normalised to GET and needs no preflight', source: METHODS, input: { request: request({ method: 'get' }), response: ok(ANY) }, expect: { preflight: false, rule: 'method-normalised' } },
  { title: '"post" is normalised to POST and needs no preflight', source: METHODS, input: { request: request({ method: 'post' }), response: ok(ANY) }, expect: { preflight: false } },
  { title: '"delete" is sent as DELETE', source: METHODS, input: preflighted({ method: 'delete' }, [...ANY, ['Access-Control-Allow-Methods', 'DELETE']]), expect: { acrm: 'DELETE', verdict: 'allowed' } },
  { title: '"put" is sent as PUT', source: METHODS, input: preflighted({ method: 'put' }, [...ANY, ['Access-Control-Allow-Methods', 'PUT']]), expect: { acrm: 'PUT', verdict: 'allowed' } },
  { title: '"options" is sent as OPTIONS and is preflighted', source: METHODS, input: preflighted({ method: 'options' }, [...ANY, ['Access-Control-Allow-Methods', 'OPTIONS']]), expect: { acrm: 'OPTIONS', preflight: true } },
  { title: 'Allow-Methods "delete" does not allow DELETE', source: PREFLIGHT_FETCH, input: preflighted({ method: 'DELETE' }, [...ANY, ['Access-Control-Allow-Methods', 'delete']]), expect: { verdict: 'blocked-at-preflight', because: /compared case-sensitively/ } },
  { title: '"patch" is sent as written', source: METHODS, input: preflighted({ method: 'patch' }, [...ANY, ['Access-Control-Allow-Methods', 'patch']]), expect: { acrm: 'patch', verdict: 'allowed', rule: 'method-as-written' } },
  { title: 'Allow-Methods "PATCH" does not allow "patch"', source: METHODS, input: preflighted({ method: 'patch' }, [...ANY, ['Access-Control-Allow-Methods', 'PATCH']]), expect: { verdict: 'blocked-at-preflight', rule: 'method-not-allowed', because: /sends "patch" as written/ } },
  { title: 'PATCH with Allow-Methods "PATCH" is allowed', source: WPT_PREFLIGHT, input: preflighted({ method: 'PATCH' }, [...ANY, ['Access-Control-Allow-Methods', 'PATCH']]), expect: { verdict: 'allowed', acrm: 'PATCH' } },
  { title: 'PATCH without Allow-Methods is refused', source: WPT_PREFLIGHT, input: preflighted({ method: 'PATCH' }, ANY), expect: { verdict: 'blocked-at-preflight', because: /no Access-Control-Allow-Methods/ } },
  { title: 'a new method NEW allowed by name passes', source: WPT_PREFLIGHT, input: preflighted({ method: 'NEW' }, [...ANY, ['Access-Control-Allow-Methods', 'NEW']]), expect: { verdict: 'allowed', acrm: 'NEW' } },
  { title: 'a new method NEW not listed is refused', source: WPT_PREFLIGHT, input: preflighted({ method: 'NEW' }, [...ANY, ['Access-Control-Allow-Methods', 'GET, POST']]), expect: { verdict: 'blocked-at-preflight' } },
  { title: 'PUT with Allow-Methods "GET, POST" is refused', source: WPT_PREFLIGHT, input: preflighted({ method: 'PUT' }, [...ANY, ['Access-Control-Allow-Methods', 'GET, POST']]), expect: { verdict: 'blocked-at-preflight', reached: false } },
  { title: 'Allow-Methods "get" still lets a preflighted GET through: GET is safelisted', source: WPT_STAR, input: preflighted({ headers: [['X-Test', '1']] }, [...ANY, ['Access-Control-Allow-Methods', 'get'], ['Access-Control-Allow-Headers', 'x-test']]), expect: { verdict: 'allowed', rule: 'method-safelisted' } },
  { title: 'a safelisted method needs no Allow-Methods when headers caused the preflight', source: PREFLIGHT_FETCH, input: preflighted({ method: 'POST', headers: [['X-Test', '1']] }, [...ANY, ['Access-Control-Allow-Headers', 'X-Test']]), expect: { verdict: 'allowed' } },
  { title: 'DELETE allowed among several methods passes', source: WPT_PREFLIGHT, input: preflighted({ method: 'DELETE' }, [...ANY, ['Access-Control-Allow-Methods', 'GET, PUT, DELETE']]), expect: { verdict: 'allowed', rule: 'method-listed' } },
];

// 5. Wildcards: "*" in Allow-Methods and Allow-Headers counts only without credentials, and never covers Authorization.
const CRED_PREFLIGHT = (methods: string, headers: string): Pairs => [...EXACT_CRED, ['Access-Control-Allow-Methods', methods], ['Access-Control-Allow-Headers', headers]];
const ANON_PREFLIGHT = (methods: string, headers: string): Pairs => [...ANY, ['Access-Control-Allow-Methods', methods], ['Access-Control-Allow-Headers', headers]];
const wildcardRows: Row[] = [
  { title: '"*" methods allow SUPER without credentials', source: WPT_STAR, input: preflighted({ method: 'SUPER', headers: [['X-Test', '1']] }, ANON_PREFLIGHT('*', 'x-test')), expect: { verdict: 'allowed', rule: 'method-wildcard' } },
  { title: '"*" methods and headers allow OK with X-Test without credentials', source: WPT_STAR, input: preflighted({ method: 'OK', headers: [['X-Test', '1']] }, ANON_PREFLIGHT('*', '*')), expect: { verdict: 'allowed' } },
  { title: '"*" methods and headers refuse OK with X-Test with credentials', source: WPT_STAR, input: preflighted({ method: 'OK', headers: [['X-Test', '1']], credentials: 'include' }, CRED_PREFLIGHT('*', '*'), EXACT_CRED), expect: { verdict: 'blocked-at-preflight', because: /not a wildcard when the credentials mode is "include"/ } },
  { title: '"*" methods refuse PUT with credentials', source: WPT_STAR, input: preflighted({ method: 'PUT', credentials: 'include' }, CRED_PREFLIGHT('*', ''), EXACT_CRED), expect: { verdict: 'blocked-at-preflight', rule: 'method-not-allowed' } },
  { title: 'PUT listed with "*" headers passes with credentials (no unsafe header)', source: WPT_STAR, input: preflighted({ method: 'PUT', credentials: 'include' }, CRED_PREFLIGHT('PUT', '*'), EXACT_CRED), expect: { verdict: 'allowed' } },
  { title: '"get" methods and "*" headers refuse GET with X-Test with credentials', source: WPT_STAR, input: preflighted({ headers: [['X-Test', '1']], credentials: 'include' }, CRED_PREFLIGHT('get', '*'), EXACT_CRED), expect: { verdict: 'blocked-at-preflight', rule: 'header-not-allowed' } },
  { title: '"*" methods and headers refuse GET with X-Test with credentials', source: WPT_STAR, input: preflighted({ headers: [['X-Test', '1']], credentials: 'include' }, CRED_PREFLIGHT('*', '*'), EXACT_CRED), expect: { verdict: 'blocked-at-preflight' } },
  { title: 'with credentials "*" still matches a method and a header literally named "*"', source: WPT_STAR, input: preflighted({ method: '*', headers: [['*', '1']], credentials: 'include' }, CRED_PREFLIGHT('*', '*'), EXACT_CRED), expect: { verdict: 'allowed', acrm: '*', acrh: '*' } },
  { title: '"put" methods refuse PUT with credentials', source: WPT_STAR, input: preflighted({ method: 'PUT', credentials: 'include' }, CRED_PREFLIGHT('put', '*'), EXACT_CRED), expect: { verdict: 'blocked-at-preflight' } },
  { title: '"*" headers allow X-Custom without credentials', source: NEW_HEADER_SYNTAX, input: preflighted({ headers: [['X-Custom', '1']] }, [...ANY, ['Access-Control-Allow-Headers', '*']]), expect: { verdict: 'allowed', because: /covers "x-custom" with "\*"/ } },
  {
    title: '"*" headers do not cover Authorization',
    source: PREFLIGHT_FETCH,
    input: preflighted({ headers: [['Authorization', 'Bearer x']] }, [...ANY, ['Access-Control-Allow-Headers', '*']]),
    expect: { verdict: 'blocked-at-preflight', rule: 'authorization-not-covered-by-wildcard', because: /a wildcard never covers Authorization/ },
  },
  { title: '"*" headers cover X-Custom but not Authorization beside it', source: PREFLIGHT_FETCH, input: preflighted({ headers: [['Authorization', 'x'], ['X-Custom', '1']] }, [...ANY, ['Access-Control-Allow-Headers', '*']]), expect: { verdict: 'blocked-at-preflight', rule: 'authorization-not-covered-by-wildcard' } },
  { title: '"*, Authorization" allows Authorization', source: PREFLIGHT_FETCH, input: preflighted({ headers: [['Authorization', 'x'], ['X-Custom', '1']] }, [...ANY, ['Access-Control-Allow-Headers', '*, Authorization']]), expect: { verdict: 'allowed' } },
  { title: 'Authorization listed by name is allowed', source: PREFLIGHT_FETCH, input: preflighted({ headers: [['Authorization', 'x']] }, [...ANY, ['Access-Control-Allow-Headers', 'authorization']]), expect: { verdict: 'allowed' } },
  { title: 'Allow-Headers "x-custom" does not allow Authorization', source: PREFLIGHT_FETCH, input: preflighted({ headers: [['Authorization', 'x']] }, [...ANY, ['Access-Control-Allow-Headers', 'x-custom']]), expect: { verdict: 'blocked-at-preflight', rule: 'authorization-not-listed', because: /"x-custom" does not list "authorization"/ } },
  { title: '"*" methods allow PUT without credentials', source: NEW_HEADER_SYNTAX, input: preflighted({ method: 'PUT' }, [...ANY, ['Access-Control-Allow-Methods', '*']]), expect: { verdict: 'allowed' } },
];

// 6. The preflight's answer: only 2xx passes, lists must parse, the CORS check applies to it too.
const PUT_OK: Pairs = [...ANY, ['Access-Control-Allow-Methods', 'PUT']];
const statusRows: Row[] = [200, 201, 202, 203, 204, 205, 206, 299].map((status) => ({
  title: `a preflight answered ${status} passes`,
  source: WPT_STATUS,
  input: preflighted({ method: 'PUT' }, PUT_OK, ANY, status),
  expect: { verdict: 'allowed' as const, rule: 'preflight-status-ok' as const },
}));
const badStatusRows: Row[] = [300, 301, 302, 303, 304, 307, 308, 400, 401, 403, 404, 405, 500, 501, 503].map((status) => ({
  title: `a preflight answered ${status} fails`,
  source: WPT_STATUS,
  input: preflighted({ method: 'PUT' }, PUT_OK, ANY, status),
  expect: { verdict: 'blocked-at-preflight' as const, rule: 'preflight-status-not-ok' as const, reached: false },
}));
const preflightAnswerRows: Row[] = [
  ...statusRows,
  ...badStatusRows,
  { title: 'a 302 preflight is never followed', source: PREFLIGHT_FETCH, input: preflighted({ method: 'PUT' }, [...PUT_OK, ['Location', 'https://api.example/elsewhere']], ANY, 302), expect: { because: /never follows a redirect/ } },
  { title: 'Allow-Headers "header name with space" is malformed and fails', source: WPT_VALIDATION, input: preflighted({ headers: [['X-Force-Preflight', '']] }, [...ANY, ['Access-Control-Allow-Headers', 'x-force-preflight,header name with space']]), expect: { verdict: 'blocked-at-preflight', rule: 'allow-headers-malformed' } },
  { title: 'Allow-Methods "Bad method name" is malformed and fails', source: WPT_VALIDATION, input: preflighted({ headers: [['X-Force-Preflight', '']] }, [...ANY, ['Access-Control-Allow-Headers', 'x-force-preflight'], ['Access-Control-Allow-Methods', 'Bad method name']]), expect: { verdict: 'blocked-at-preflight', rule: 'allow-methods-malformed' } },
  { title: 'Allow-Methods "PUT;DELETE" is malformed and fails', source: NEW_HEADER_SYNTAX, input: preflighted({ method: 'PUT' }, [...ANY, ['Access-Control-Allow-Methods', 'PUT;DELETE']]), expect: { verdict: 'blocked-at-preflight', rule: 'allow-methods-malformed' } },
  { title: 'a malformed Allow-Methods fails even when the method is safelisted', source: PREFLIGHT_FETCH, input: preflighted({ headers: [['X-A', '1']] }, [...ANY, ['Access-Control-Allow-Methods', 'GET POST'], ['Access-Control-Allow-Headers', 'x-a']]), expect: { verdict: 'blocked-at-preflight', rule: 'allow-methods-malformed' } },
  { title: 'empty list elements are ignored: "PUT,,DELETE" allows DELETE', source: 'RFC 9110 §5.6.1 Lists', input: preflighted({ method: 'DELETE' }, [...ANY, ['Access-Control-Allow-Methods', 'PUT,,DELETE']]), expect: { verdict: 'allowed' } },
  { title: 'two Allow-Methods lines are one list', source: PREFLIGHT_FETCH, input: preflighted({ method: 'DELETE' }, [...ANY, ['Access-Control-Allow-Methods', 'PUT'], ['Access-Control-Allow-Methods', 'DELETE']]), expect: { verdict: 'allowed' } },
  { title: 'two Allow-Headers lines are one list', source: PREFLIGHT_FETCH, input: preflighted({ headers: [['X-A', '1'], ['X-B', '2']] }, [...ANY, ['Access-Control-Allow-Headers', 'X-A'], ['Access-Control-Allow-Headers', 'X-B']]), expect: { verdict: 'allowed' } },
  { title: 'Allow-Headers names match case-insensitively', source: WPT_STAR, input: preflighted({ headers: [['X-Test', '1']] }, [...ANY, ['Access-Control-Allow-Headers', 'x-TEST']]), expect: { verdict: 'allowed', rule: 'headers-allowed' } },
  { title: 'a header missing from Allow-Headers fails', source: WPT_PREFLIGHT, input: preflighted({ headers: [['X-Custom', '1'], ['X-Other', '2']] }, [...ANY, ['Access-Control-Allow-Headers', 'X-Custom']]), expect: { verdict: 'blocked-at-preflight', because: /does not list "x-other"/ } },
  { title: 'no Allow-Headers fails for a custom header', source: WPT_PREFLIGHT, input: preflighted({ headers: [['X-Custom', '1']] }, ANY), expect: { verdict: 'blocked-at-preflight', because: /no Access-Control-Allow-Headers/ } },
  { title: 'a preflight without Allow-Origin fails', source: PREFLIGHT_FETCH, input: preflighted({ method: 'PUT' }, [['Access-Control-Allow-Methods', 'PUT']]), expect: { verdict: 'blocked-at-preflight', rule: 'allow-origin-missing' } },
  { title: 'a preflight allowing another origin fails', source: PREFLIGHT_FETCH, input: preflighted({ method: 'PUT' }, [['Access-Control-Allow-Origin', 'https://other.example'], ['Access-Control-Allow-Methods', 'PUT']]), expect: { verdict: 'blocked-at-preflight', rule: 'allow-origin-mismatch' } },
  { title: 'a preflight for a credentialed PUT needs Allow-Credentials too', source: 'Fetch §3.3.3 HTTP responses', input: preflighted({ method: 'PUT', credentials: 'include' }, [...EXACT, ['Access-Control-Allow-Methods', 'PUT']], EXACT_CRED), expect: { verdict: 'blocked-at-preflight', rule: 'allow-credentials-missing' } },
  { title: 'a preflight answering "*" to a credentialed PUT fails', source: PREFLIGHT_FETCH, input: preflighted({ method: 'PUT', credentials: 'include' }, [...ANY, ['Access-Control-Allow-Credentials', 'true'], ['Access-Control-Allow-Methods', 'PUT']], EXACT_CRED), expect: { verdict: 'blocked-at-preflight', rule: 'allow-origin-wildcard-with-credentials' } },
  { title: 'a preflight that passes still needs the actual response to pass the CORS check', source: HTTP_FETCH, input: preflighted({ method: 'PUT' }, PUT_OK, []), expect: { verdict: 'blocked-at-response', preflight: true, reached: true } },
  { title: 'a ReadableStream PUT passes without Allow-Methods: with the use-CORS-preflight flag a missing list stands for the method itself', source: PREFLIGHT_FETCH, input: { request: request({ method: 'PUT', bodyKind: 'stream' }), preflight: { status: 204, headers: ANY }, response: ok(ANY) }, expect: { verdict: 'allowed', acrm: 'PUT' } },
  { title: 'a ReadableStream PUT is refused when Allow-Methods is present and lacks PUT', source: PREFLIGHT_FETCH, input: { request: request({ method: 'PUT', bodyKind: 'stream' }), preflight: { status: 204, headers: [...ANY, ['Access-Control-Allow-Methods', 'POST']] }, response: ok(ANY) }, expect: { verdict: 'blocked-at-preflight' } },
  { title: 'a ReadableStream POST is allowed without Allow-Methods: the flag itself counts as the method', source: PREFLIGHT_FETCH, input: { request: request({ method: 'POST', bodyKind: 'stream' }), preflight: { status: 200, headers: ANY }, response: ok(ANY) }, expect: { verdict: 'allowed', rule: 'method-listed' } },
];

// 7. The preflight cache: max-age, 0 and negative, expiry, new methods and headers, credentials.
const PUT_X = (maxAge?: string, extra: Pairs = []): Pairs => [...ANY, ['Access-Control-Allow-Methods', 'PUT'], ['Access-Control-Allow-Headers', 'X-A'], ...(maxAge === undefined ? [] : [['Access-Control-Max-Age', maxAge] as [string, string]]), ...extra];
const first = (maxAge?: string, req: Partial<OracleRequest> = {}): PredictInput => preflighted({ method: 'PUT', headers: [['X-A', '1']], ...req }, PUT_X(maxAge));
const later = (now: number, req: Partial<OracleRequest> = {}, withPreflight = true, extra: Partial<PredictInput> = {}): PredictInput => ({
  request: request({ method: 'PUT', headers: [['X-A', '2']], ...req }),
  ...(withPreflight && { preflight: { status: 204, headers: PUT_X('600', [['Access-Control-Allow-Headers', 'X-B'], ['Access-Control-Allow-Methods', 'DELETE']]) } }),
  response: ok(ANY),
  now,
  ...extra,
});
const cacheRows: Row[] = [
  { title: 'Max-Age 600: a second identical request is served from the cache', source: WPT_CACHE_FETCH, history: [first('600')], input: later(10, {}, false), expect: { preflight: false, fromCache: true, verdict: 'allowed', rule: 'cache-hit' } },
  { title: 'Max-Age 0: the second request is preflighted again', source: WPT_CACHE, history: [first('0')], input: later(1), expect: { preflight: true, fromCache: false } },
  { title: 'Max-Age -1: the second request is preflighted again', source: WPT_CACHE, history: [first('-1')], input: later(1), expect: { preflight: true } },
  { title: 'no Max-Age: cached for the default 5 seconds (t=4 from the cache)', source: PREFLIGHT_FETCH, history: [first()], input: later(4, {}, false), expect: { preflight: false, fromCache: true } },
  { title: 'no Max-Age: expired after 5 seconds (t=5 preflights again)', source: PREFLIGHT_FETCH, history: [first()], input: later(5), expect: { preflight: true, because: /expired/ } },
  { title: 'Max-Age 1: expired after a second and a half', source: WPT_CACHE, history: [first('1')], input: later(1.5), expect: { preflight: true } },
  { title: 'a header not in the cached entry needs a new preflight', source: HTTP_FETCH, history: [first('600')], input: later(10, { headers: [['X-A', '1'], ['X-B', '2']] }), expect: { preflight: true, acrh: 'x-a,x-b', because: /does not cover the header "x-b"/ } },
  { title: 'a method not in the cached entry needs a new preflight', source: HTTP_FETCH, history: [first('600')], input: later(10, { method: 'DELETE' }), expect: { preflight: true, acrm: 'DELETE', because: /does not cover the method "DELETE"/ } },
  { title: 'a safelisted method needs no method entry: GET with X-A comes from the cache', source: HTTP_FETCH, history: [first('600')], input: later(10, { method: 'GET' }, false), expect: { preflight: false, fromCache: true } },
  { title: 'another URL has its own entries', source: PREFLIGHT_CACHE, history: [first('600')], input: later(10, { url: 'https://api.example/other' }), expect: { preflight: true } },
  { title: 'an entry stored without credentials does not serve a credentialed request', source: PREFLIGHT_CACHE, history: [first('600')], input: { ...later(10, { credentials: 'include' }), preflight: { status: 204, headers: [...EXACT_CRED, ['Access-Control-Allow-Methods', 'PUT'], ['Access-Control-Allow-Headers', 'X-A']] }, response: ok(EXACT_CRED) }, expect: { preflight: true, because: /stored by a request without credentials/ } },
  {
    title: 'an entry stored with credentials serves a request without',
    source: PREFLIGHT_CACHE,
    history: [preflighted({ method: 'PUT', headers: [['X-A', '1']], credentials: 'include' }, [...EXACT_CRED, ['Access-Control-Allow-Methods', 'PUT'], ['Access-Control-Allow-Headers', 'X-A'], ['Access-Control-Max-Age', '600']], EXACT_CRED)],
    input: later(10, {}, false),
    expect: { preflight: false, fromCache: true },
  },
  { title: 'a max-age over the cap is cut to the cap', source: PREFLIGHT_FETCH, history: [{ ...first('86400'), maxAgeCap: 600 }], input: later(700), expect: { preflight: true } },
  { title: 'a max-age under the cap is kept', source: PREFLIGHT_FETCH, history: [{ ...first('86400'), maxAgeCap: 7200 }], input: later(700, {}, false), expect: { preflight: false } },
  { title: 'two Max-Age lines fall back to 5 seconds', source: PREFLIGHT_FETCH, history: [preflighted({ method: 'PUT', headers: [['X-A', '1']] }, [...PUT_X('600'), ['Access-Control-Max-Age', '600']])], input: later(6), expect: { preflight: true } },
  { title: 'a Max-Age that is not a number falls back to 5 seconds', source: PREFLIGHT_FETCH, history: [first('ten')], input: later(4, {}, false), expect: { preflight: false, fromCache: true } },
  { title: 'a failed fetch clears the cached entries', source: MAIN_FETCH, history: [first('600'), { ...later(10), response: ok([]) }], input: later(20), expect: { preflight: true } },
  { title: 'a cached "*" method serves any method without credentials', source: PREFLIGHT_CACHE, history: [preflighted({ method: 'PUT', headers: [['X-A', '1']] }, [...ANY, ['Access-Control-Allow-Methods', '*'], ['Access-Control-Allow-Headers', 'X-A'], ['Access-Control-Max-Age', '600']])], input: later(10, { method: 'PATCH' }, false), expect: { preflight: false, fromCache: true } },
  { title: 'a cached "*" header name never covers Authorization', source: PREFLIGHT_CACHE, history: [preflighted({ method: 'PUT', headers: [['X-A', '1']] }, [...ANY, ['Access-Control-Allow-Methods', 'PUT'], ['Access-Control-Allow-Headers', '*'], ['Access-Control-Max-Age', '600']])], input: later(10, { headers: [['Authorization', 'x']] }), expect: { preflight: true, acrh: 'authorization' } },
];

// 8. Credentials: "*" never matches with credentials; Allow-Credentials must be exactly "true".
const cred = (credentials: OracleRequest['credentials'], response: Pairs): PredictInput => ({ request: request({ credentials }), response: ok(response) });
const credentialRows: Row[] = [
  { title: 'omit with "*" is allowed', source: CORS_CHECK, input: cred('omit', ANY), expect: { verdict: 'allowed' } },
  { title: 'omit with "*" and Allow-Credentials is allowed (Allow-Credentials is ignored)', source: CORS_CHECK, input: cred('omit', [...ANY, ['Access-Control-Allow-Credentials', 'true']]), expect: { verdict: 'allowed' } },
  { title: 'omit with the exact origin is allowed', source: CORS_CHECK, input: cred('omit', EXACT), expect: { verdict: 'allowed' } },
  { title: 'same-origin credentials mode to another origin with "*" is allowed', source: CORS_CHECK, input: cred('same-origin', ANY), expect: { verdict: 'allowed' } },
  { title: 'include with "*" is blocked at the response', source: CORS_CHECK, input: cred('include', ANY), expect: { verdict: 'blocked-at-response', reached: true, rule: 'allow-origin-wildcard-with-credentials' } },
  { title: 'include with "*" and Allow-Credentials is still blocked', source: CORS_CHECK, input: cred('include', [...ANY, ['Access-Control-Allow-Credentials', 'true']]), expect: { verdict: 'blocked-at-response' } },
  { title: 'include with the exact origin but no Allow-Credentials is blocked', source: CORS_CHECK, input: cred('include', EXACT), expect: { verdict: 'blocked-at-response', rule: 'allow-credentials-missing' } },
  { title: 'include with the exact origin and Allow-Credentials true is allowed', source: CORS_CHECK, input: cred('include', EXACT_CRED), expect: { verdict: 'allowed', readable: true } },
  { title: 'Allow-Credentials "True" is not "true"', source: NEW_HEADER_SYNTAX, input: cred('include', [...EXACT, ['Access-Control-Allow-Credentials', 'True']]), expect: { verdict: 'blocked-at-response', rule: 'allow-credentials-not-true' } },
  { title: 'Allow-Credentials " true " passes: whitespace is trimmed', source: HEADERS, input: cred('include', [...EXACT, ['Access-Control-Allow-Credentials', ' true ']]), expect: { verdict: 'allowed' } },
  { title: 'two Allow-Credentials "true" lines combine into "true, true" and fail', source: CORS_CHECK, input: cred('include', [...EXACT_CRED, ['Access-Control-Allow-Credentials', 'true']]), expect: { verdict: 'blocked-at-response' } },
  { title: 'Allow-Credentials "1" is not "true"', source: NEW_HEADER_SYNTAX, input: cred('include', [...EXACT, ['Access-Control-Allow-Credentials', '1']]), expect: { verdict: 'blocked-at-response' } },
  { title: 'include from an opaque origin with "null" and Allow-Credentials is allowed', source: CORS_CHECK, input: { request: request({ origin: 'null', credentials: 'include' }), response: ok([['Access-Control-Allow-Origin', 'null'], ['Access-Control-Allow-Credentials', 'true']]) }, expect: { verdict: 'allowed' } },
  { title: 'a credentialed PUT allowed by the preflight and the response passes', source: PREFLIGHT_FETCH, input: preflighted({ method: 'PUT', credentials: 'include' }, [...EXACT_CRED, ['Access-Control-Allow-Methods', 'PUT']], EXACT_CRED), expect: { verdict: 'allowed', preflight: true } },
];

// 11. no-cors: never preflighted, always sent, never readable.
const noCorsRows: Row[] = [
  { title: 'no-cors GET reaches the server with an opaque response', source: MAIN_FETCH, input: { request: request({ mode: 'no-cors' }), response: ok([]) }, expect: { verdict: 'allowed', preflight: false, reached: true, readable: false, headers: [], rule: 'no-cors-opaque' } },
  { title: 'no-cors POST with Content-Type application/json drops the header and is still sent', source: HEADERS_CLASS, input: { request: request({ mode: 'no-cors', method: 'POST', headers: [['Content-Type', 'application/json']] }), response: ok(ANY) }, expect: { preflight: false, reached: true, readable: false, rule: 'no-cors-header-dropped' } },
  { title: 'no-cors drops a custom header instead of preflighting', source: HEADERS_CLASS, input: { request: request({ mode: 'no-cors', headers: [['X-Custom', '1']] }), response: ok(ANY) }, expect: { preflight: false, rule: 'no-cors-header-dropped' } },
];

// 12. Exposed headers: safelisted response headers always, others only when exposed; Set-Cookie never.
const expose = (headers: Pairs, credentials: OracleRequest['credentials'] = 'omit'): PredictInput => ({
  request: request({ credentials }),
  response: ok([...(credentials === 'include' ? EXACT_CRED : ANY), ...headers]),
});
const exposeRows: Row[] = [
  ...(['Cache-Control', 'Content-Language', 'Content-Length', 'Content-Type', 'Expires', 'Last-Modified', 'Pragma'] as const).map((name): Row => ({
    title: `${name} is readable without being exposed`,
    source: name === 'Content-Length' ? HEADERS : WPT_FILTERING,
    input: expose([[name, 'x']]),
    expect: { headers: [name.toLowerCase()], rule: 'readable-safelisted' },
  })),
  { title: 'Date is hidden', source: HEADERS, input: expose([['Date', 'x']]), expect: { headers: [], rule: 'hidden-not-exposed' } },
  { title: 'Age and Server are hidden', source: WPT_FILTERING, input: expose([['Age', '27'], ['Server', 'x']]), expect: { headers: [] } },
  { title: 'X-Custom is hidden unless exposed', source: RESPONSES, input: expose([['X-Custom', 'a']]), expect: { headers: [] } },
  { title: 'an exposed X-Custom is readable', source: MAIN_FETCH, input: expose([['X-Custom', 'a'], ['X-Other', 'b'], ['Access-Control-Expose-Headers', 'X-Custom']]), expect: { headers: ['x-custom'], rule: 'readable-exposed' } },
  { title: 'Expose-Headers names match case-insensitively', source: MAIN_FETCH, input: expose([['X-Custom', 'a'], ['Access-Control-Expose-Headers', 'x-CUSTOM']]), expect: { headers: ['x-custom'] } },
  { title: 'several exposed headers are all readable', source: MAIN_FETCH, input: expose([['X-Custom', 'a'], ['X-Other', 'b'], ['Access-Control-Expose-Headers', 'X-Custom, X-Other']]), expect: { headers: ['x-custom', 'x-other'] } },
  { title: 'exposed Age and Server are readable', source: WPT_FILTERING, input: expose([['Age', '27'], ['Server', 'x'], ['Access-Control-Expose-Headers', 'Age, Server']]), expect: { headers: ['age', 'server'] } },
  {
    title: '"*" exposes every header but Set-Cookie without credentials',
    source: WPT_EXPOSE_STAR,
    input: expose([['Access-Control-Expose-Headers', '*'], ['Test', 'X'], ['Set-Cookie', 'X'], ['*', 'whoa']]),
    expect: { headers: ['*', 'access-control-allow-origin', 'access-control-expose-headers', 'test'], rule: 'readable-expose-wildcard' },
  },
  {
    title: 'with credentials "*" exposes only a header literally named "*"',
    source: WPT_EXPOSE_STAR,
    input: expose([['Access-Control-Expose-Headers', '*'], ['Test', 'X'], ['Set-Cookie', 'X'], ['*', 'whoa'], ['Content-Type', 'text/plain']], 'include'),
    expect: { headers: ['*', 'content-type'], rule: 'expose-wildcard-literal' },
  },
  { title: '"*" can be one of several values', source: WPT_EXPOSE_STAR, input: expose([['Access-Control-Expose-Headers', '*'], ['Access-Control-Expose-Headers', 'set-cookie'], ['Test', 'X'], ['Set-Cookie', 'X']]), expect: { headers: ['access-control-allow-origin', 'access-control-expose-headers', 'test'] } },
  { title: 'an exposed Set-Cookie is still hidden', source: WPT_FILTERING, input: expose([['Set-Cookie', 'a=b'], ['Access-Control-Expose-Headers', 'Set-Cookie']]), expect: { headers: [], rule: 'hidden-forbidden' } },
  { title: 'an exposed Set-Cookie2 is still hidden', source: WPT_FILTERING, input: expose([['Set-Cookie2', 'a=b'], ['Access-Control-Expose-Headers', 'Set-Cookie2']]), expect: { headers: [] } },
  { title: 'a malformed Expose-Headers exposes nothing', source: MAIN_FETCH, input: expose([['X-Custom', 'a'], ['Content-Type', 'x'], ['Access-Control-Expose-Headers', 'X-Custom X-Other']]), expect: { headers: ['content-type'], rule: 'expose-headers-malformed' } },
  { title: 'an exposed header that is not in the response is not listed', source: RESPONSES, input: expose([['Access-Control-Expose-Headers', 'X-Missing']]), expect: { headers: [] } },
  { title: 'with credentials an exposed X-Custom is readable', source: MAIN_FETCH, input: expose([['X-Custom', 'a'], ['X-Other', 'b'], ['Access-Control-Expose-Headers', 'X-Custom']], 'include'), expect: { headers: ['x-custom'] } },
  { title: 'the CORS headers themselves are hidden unless exposed', source: RESPONSES, input: expose([['Vary', 'Origin']]), expect: { headers: [] } },
  { title: 'a blocked response shows no headers at all', source: HTTP_FETCH, input: { request: request(), response: ok([['Content-Type', 'x']]) }, expect: { headers: [], readable: false, rule: 'readable-blocked' } },
];

const rows: readonly Row[] = [
  ...allowOriginRows,
  ...originRows,
  ...triggerRows,
  ...methodRows,
  ...wildcardRows,
  ...preflightAnswerRows,
  ...cacheRows,
  ...credentialRows,
  ...noCorsRows,
  ...exposeRows,
];

function run(row: Row): Prediction {
  let cache: PreflightCacheState | undefined;
  for (const earlier of row.history ?? []) cache = predict({ ...earlier, ...(cache && { cache }) }).cache;
  return predict({ ...row.input, ...(cache && { cache }) });
}

test('the oracle table has at least 150 rows, each naming its source', () => {
  expect(rows.length).toBeGreaterThanOrEqual(150);
  for (const row of rows) expect(row.source, row.title).toMatch(/^(Fetch §\d|WPT |RFC )/);
});

for (const row of rows) {
  test(`${row.title} [${row.source}]`, () => {
    const p = run(row);
    const e = row.expect;
    const why = `\n${p.reasons.join('\n')}`;
    if (e.verdict !== undefined) expect(p.verdict, why).toBe(e.verdict);
    if (e.preflight !== undefined) expect(p.preflightSent, why).toBe(e.preflight);
    if (e.acrm !== undefined) expect(p.accessControlRequestMethod, why).toBe(e.acrm);
    if (e.acrh !== undefined) expect(p.accessControlRequestHeaders ?? null, why).toBe(e.acrh);
    if (e.reached !== undefined) expect(p.reachedServer, why).toBe(e.reached);
    if (e.readable !== undefined) expect(p.readable, why).toBe(e.readable);
    if (e.headers !== undefined) expect(p.readableHeaders, why).toEqual(e.headers);
    if (e.fromCache !== undefined) expect(p.servedFromPreflightCache, why).toBe(e.fromCache);
    if (e.rule !== undefined) expect(p.steps.map((s) => s.rule), why).toContain(e.rule);
    if (e.because !== undefined) expect(p.reasons.some((r) => e.because?.test(r)), `no reason matches ${String(e.because)}:${why}`).toBe(true);
    // Every prediction is internally consistent, whatever the row checks.
    expect(p.reasons).toHaveLength(p.steps.length);
    if (p.verdict === 'blocked-at-preflight') expect([p.preflightSent, p.reachedServer, p.readable]).toEqual([true, false, false]);
    if (p.verdict === 'blocked-at-response') expect([p.reachedServer, p.readable, p.readableHeaders.length]).toEqual([true, false, 0]);
    if (!p.preflightSent) expect(p.accessControlRequestMethod).toBeUndefined();
  });
}

// Input the oracle refuses: a request fetch() would never make, or a description that leaves out what matters.
interface ErrorRow {
  readonly title: string;
  readonly source: string;
  readonly input: PredictInput;
  readonly field: string;
  readonly problem: RegExp;
}

const errorRows: readonly ErrorRow[] = [
  { title: 'a needed preflight left out of the input', source: PREFLIGHT_FETCH, input: { request: request({ method: 'PUT' }), response: ok(ANY) }, field: 'preflight', problem: /is required: a preflight is sent \(OPTIONS with Access-Control-Request-Method: PUT\)/ },
  { title: 'an origin with a trailing slash', source: 'HTML Standard, Origins', input: { request: request({ origin: 'https://app.example/' }), response: ok(ANY) }, field: 'request.origin', problem: /must be a serialised origin like "https:\/\/app.example" or "null" \(did you mean "https:\/\/app.example"\?\)/ },
  { title: 'an origin with the default port', source: 'HTML Standard, Origins', input: { request: request({ origin: 'https://app.example:443' }), response: ok(ANY) }, field: 'request.origin', problem: /serialised origin/ },
  { title: 'an origin that is not a URL', source: 'HTML Standard, Origins', input: { request: request({ origin: 'app.example' }), response: ok(ANY) }, field: 'request.origin', problem: /serialised origin/ },
  { title: 'a relative URL', source: 'Fetch §5.4 Request class', input: { request: request({ url: '/data' }), response: ok(ANY) }, field: 'request.url', problem: /absolute URL/ },
  { title: 'a URL with credentials', source: 'Fetch §5.4 Request class', input: { request: request({ url: 'https://user:pw@api.example/' }), response: ok(ANY) }, field: 'request.url', problem: /user name or password/ },
  { title: 'a forbidden method', source: METHODS, input: { request: request({ method: 'TRACE' }), response: ok(ANY) }, field: 'request.method', problem: /forbidden method/ },
  { title: 'a method that is not a token', source: METHODS, input: { request: request({ method: 'GET POST' }), response: ok(ANY) }, field: 'request.method', problem: /HTTP token/ },
  { title: 'a cross-origin URL in mode same-origin', source: MAIN_FETCH, input: { request: request({ mode: 'same-origin' }), response: ok(ANY) }, field: 'request.mode', problem: /network error before anything is sent/ },
  { title: 'PUT in mode no-cors', source: 'Fetch §5.4 Request class', input: { request: request({ mode: 'no-cors', method: 'PUT' }), response: ok(ANY) }, field: 'request.method', problem: /mode "no-cors"/ },
  { title: 'a GET with a body', source: 'Fetch §5.4 Request class', input: { request: request({ bodyKind: 'text' }), response: ok(ANY) }, field: 'request.bodyKind', problem: /cannot have a body/ },
  { title: 'a stream body in mode no-cors', source: 'Fetch §5.4 Request class', input: { request: request({ method: 'POST', mode: 'no-cors', bodyKind: 'stream' }), response: ok(ANY) }, field: 'request.bodyKind', problem: /ReadableStream/ },
  { title: 'a header name with a space', source: 'RFC 9110 §5.6.2 Tokens', input: { request: request({ headers: [['X Custom', '1']] }), response: ok(ANY) }, field: 'request.headers', problem: /"X Custom" is not a header name/ },
  { title: 'a header value with a line break inside', source: HEADERS, input: { request: request({ headers: [['X-Custom', 'a\nb']] }), response: ok(ANY) }, field: 'request.headers', problem: /NUL, CR or LF/ },
  { title: 'a header value beyond Latin-1', source: HEADERS, input: { request: request({ headers: [['X-Custom', 'é€']] }), response: ok(ANY) }, field: 'request.headers', problem: /not a byte/ },
  { title: 'a response status out of range', source: 'Fetch §2.2.3 Statuses', input: { request: request(), response: { status: 42, headers: [] } }, field: 'response.status', problem: /100 to 599/ },
  { title: 'a followed redirect as the last answer, with no answer for its target', source: 'Fetch §4.5 HTTP-redirect fetch', input: { request: request(), response: { status: 302, headers: [...ANY, ['Location', '/x']] } }, field: 'response.status', problem: /is a redirect, which fetch\(\) follows \(redirect mode "follow"\) to https:\/\/api\.example\/x: put this answer in "redirects"/ },
];

for (const row of errorRows) {
  test(`input error: ${row.title} [${row.source}]`, () => {
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
    expect(error.message).toBe(`${row.field}: ${error.problem}`);
  });
}

test('a preflight given for a request that needs none is ignored, and the reasons say so', () => {
  const p = predict({ request: request(), preflight: { status: 500, headers: [] }, response: ok(ANY) });
  expect(p.verdict).toBe('allowed');
  expect(p.preflightSent).toBe(false);
  expect(p.steps.map((s) => s.rule)).toContain('preflight-input-ignored');
});

test('every reason names its stage first and its source last', () => {
  for (const row of rows) {
    for (const reason of run(row).reasons) expect(reason).toMatch(/^(request|same origin|no-cors|no preflight|preflight cache|preflight|response|readable headers): .+ \[(Fetch §\d|MIME Sniffing|RFC|HTML|WPT).*\]$/);
  }
});

test('the reason chain for Authorization under a wildcard reads as the issue asks', () => {
  const p = predict(preflighted({ headers: [['Authorization', 'Bearer x'], ['X-Custom', '1']] }, [...ANY, ['Access-Control-Allow-Headers', 'x-custom']]));
  expect(p.reasons).toContain('preflight: Access-Control-Allow-Headers "x-custom" does not list "authorization" (a wildcard never covers Authorization) [Fetch §4.8 CORS-preflight fetch]');
  const simple = predict({ request: request(), response: ok(ANY) });
  expect(simple.reasons[0]).toBe('no preflight: GET is a CORS-safelisted method and the request sets no headers [Fetch §2.2.2 Headers]');
});
