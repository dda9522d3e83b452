// cors-matrix/test's parts without a browser: the fixture's options, the judgement of one recorded request (through
// classify and the diagnosis), and the warnings a test's settings give.
import { test, expect } from '@playwright/test';
import type { EngineInfo } from '../../lib/measure/engines/engine.ts';
import type { LedgerEntry } from '../../lib/model/ledger.ts';
import { checkCorsOptions, checkQuiet } from '../../lib/e2e/options.ts';
import { judgeRequest, type ObservedRequest } from '../../lib/e2e/record.ts';
import { setupWarnings, type SetupFacts } from '../../lib/e2e/warnings.ts';

const PAGE = 'http://127.0.0.1:5173';
const API = 'https://api.shop.example';
const ENGINE: EngineInfo = { name: 'chromium', version: '156', build: 'system', executable: '/usr/bin/chromium', protocol: 'playwright', profile: 'unmanaged' };

test.describe('corsOptions', () => {
  test('an origin list with a shared target becomes one routed origin each', () => {
    const checked = checkCorsOptions({ apiOrigins: [API, { origin: 'http://localhost:4000', target: 'http://127.0.0.1:4001' }], target: 'http://127.0.0.1:4000' });
    expect(checked.apis.map((a) => [a.origin, a.target.href])).toEqual([
      [API, 'http://127.0.0.1:4000/'],
      ['http://localhost:4000', 'http://127.0.0.1:4001/'],
    ]);
  });

  const bad: [string, unknown, string][] = [
    ['no origin', { apiOrigins: [], target: 'http://127.0.0.1:4000' }, "corsOptions.apiOrigins: names no origin: give at least one, such as ['https://api.example.com']"],
    ['not a list', { apiOrigins: API, target: 'http://127.0.0.1:4000' }, 'corsOptions.apiOrigins: must be a list of origins'],
    ['a path', { apiOrigins: [`${API}/api`], target: 'http://127.0.0.1:4000' }, `corsOptions.apiOrigins[0]: '${API}/api' is not an origin: give scheme://host[:port] only (${API})`],
    ['not http', { apiOrigins: ['ftp://x.example'], target: 'http://127.0.0.1:4000' }, "corsOptions.apiOrigins[0]: 'ftp://x.example' is not an http or https origin"],
    ['twice', { apiOrigins: [API, `${API}/`], target: 'http://127.0.0.1:4000' }, `corsOptions.apiOrigins[1]: ${API} is listed twice`],
    ['no target', { apiOrigins: [API] }, `corsOptions.target: ${API} has no target`],
    ['a remote target', { apiOrigins: [API], target: 'http://staging.example.com' }, "corsOptions.target: 'http://staging.example.com' is not on this machine"],
    ['an https target', { apiOrigins: [API], target: 'https://127.0.0.1:4000' }, 'corsOptions.target: \'https://127.0.0.1:4000\': the proxy speaks plain http to your server'],
    ['not an object', 'https://api.example.com', 'corsOptions: must be an object { apiOrigins, target }'],
  ];
  for (const [name, options, message] of bad) {
    test(`is refused with field and rule: ${name}`, () => {
      expect(() => checkCorsOptions(options)).toThrow(message);
    });
  }

  test('a warning name that does not exist is refused, naming the names', () => {
    expect(checkQuiet(['route', 'bypass-csp'])).toEqual(['route', 'bypass-csp']);
    expect(() => checkQuiet(['route', 'cors'])).toThrow('corsQuiet[1]: "cors" is not a warning name; the names are route, route-fulfill, route-continue, extra-http-headers, bypass-csp, disable-web-security, ignore-https-errors');
  });
});

function entry(kind: 'preflight' | 'actual', method: string, status: number, headers: [string, string][], extra: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    at: 1,
    kind,
    method: kind === 'preflight' ? 'OPTIONS' : method,
    target: API,
    path: '/api/orders/7',
    origin: PAGE,
    accessControlRequestMethod: kind === 'preflight' ? method : undefined,
    accessControlRequestHeaders: kind === 'preflight' ? 'content-type' : undefined,
    cookies: [],
    handlerRan: false,
    answered: status > 0,
    status,
    responseHeaders: headers.map(([name, value]) => ({ name, value })),
    ...extra,
  };
}

function observed(method: string, extra: Partial<ObservedRequest> = {}): ObservedRequest {
  return { at: 1, url: `${API}/api/orders/7`, method, initiator: 'fetch', pageOrigin: PAGE, navigation: false, settledAt: 2, headers: { 'content-type': 'application/json' }, ...extra };
}

test.describe('one recorded request, judged', () => {
  test('a preflight that does not list PUT blocks at the preflight, with the cause and a checked fix', () => {
    const preflight = entry('preflight', 'PUT', 204, [['Access-Control-Allow-Origin', PAGE], ['Access-Control-Allow-Methods', 'GET,POST'], ['Access-Control-Allow-Headers', 'content-type']]);
    const record = judgeRequest({ observed: observed('PUT', { failure: 'net::ERR_FAILED' }), ledger: [preflight], reasons: ['devtools: corsErrorStatus MethodDisallowedByPreflightResponse (PUT)'], engine: ENGINE });
    expect(record.verdict).toBe('blocked-at-preflight');
    expect(record.preflight).toMatchObject({ sent: true, requestMethod: 'PUT', requestHeaders: ['content-type'], answer: { status: 204 } });
    expect(record.engineReason).toBe('devtools: corsErrorStatus MethodDisallowedByPreflightResponse (PUT)');
    expect(record.explanation).toContain('does not list "PUT"');
    expect(record.cause?.fix).toContain('add PUT to Access-Control-Allow-Methods');
    expect(record.cause?.fixChecked).toBe(true);
  });

  test('an answer without Allow-Origin that Playwright saw finish (Firefox) is blocked at the response, by the oracle and the engine', () => {
    const actual = entry('actual', 'GET', 200, [['Content-Type', 'application/json']]);
    const record = judgeRequest({ observed: observed('GET', { response: { status: 200, headers: [] } }), ledger: [actual], reasons: ['console: Cross-Origin Request Blocked: … (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 200.'], engine: ENGINE });
    expect(record.verdict).toBe('blocked-at-response');
    expect(record.cause?.fix).toContain('Access-Control-Allow-Origin');
  });

  test('an allowed answer reads the safelisted and exposed headers only', () => {
    const actual = entry('actual', 'GET', 200, [['Access-Control-Allow-Origin', PAGE], ['Access-Control-Expose-Headers', 'X-Total'], ['X-Total', '2'], ['X-Internal', '1'], ['Content-Type', 'application/json']]);
    const record = judgeRequest({ observed: observed('GET'), ledger: [actual], reasons: [], engine: ENGINE });
    expect(record.verdict).toBe('allowed');
    expect(record.readableHeaders).toEqual(['content-type', 'x-total']);
    expect(record.cause).toBeUndefined();
  });

  test('a request that arrived without Origin and without a preflight is not a CORS request', () => {
    const actual = entry('actual', 'GET', 200, [], { origin: undefined });
    expect(judgeRequest({ observed: observed('GET', { initiator: 'image' }), ledger: [actual], reasons: [], engine: ENGINE }).verdict).toBe('not-cors');
  });

  test('a connection the server dropped is a failure, never a CORS block', () => {
    const actual = entry('actual', 'GET', 0, []);
    const record = judgeRequest({ observed: observed('GET', { failure: 'net::ERR_EMPTY_RESPONSE' }), ledger: [actual], reasons: [], engine: ENGINE });
    expect(record.verdict).toBe('failed');
    expect(record.note).toContain('closed the connection without answering');
  });

  test('an engine that refuses before sending anything, naming CORS, blocks with no stage seen', () => {
    const record = judgeRequest({ observed: observed('PUT', { failure: 'NS_ERROR_DOM_BAD_URI' }), ledger: [], reasons: ['console: Cross-Origin Request Blocked: … (Reason: CORS disabled).'], engine: ENGINE });
    expect(record.verdict).toBe('blocked');
  });

  test('a request to an origin that is not routed is judged by the engine alone, and says the preflight was not seen', () => {
    const record = judgeRequest({ observed: observed('GET', { url: 'https://cdn.example/x.json', failure: 'net::ERR_FAILED' }), reasons: ["console: Access to fetch at 'https://cdn.example/x.json' from origin 'http://127.0.0.1:5173' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present"], engine: ENGINE });
    expect(record.verdict).toBe('blocked');
    expect(record.routed).toBe(false);
    expect(record.preflight.unknown).toContain('not one of corsOptions.apiOrigins');
  });

  test('a request still in flight is pending; a WebSocket is not a CORS request', () => {
    expect(judgeRequest({ observed: observed('GET', { settledAt: undefined }), ledger: [], reasons: [], engine: ENGINE }).verdict).toBe('pending');
    expect(judgeRequest({ observed: observed('GET', { initiator: 'websocket', url: 'wss://api.shop.example/live' }), reasons: [], engine: ENGINE }).verdict).toBe('not-cors');
  });

  test('credentials are taken as included where only with them does the oracle block what the engine blocked', () => {
    const actual = entry('actual', 'GET', 200, [['Access-Control-Allow-Origin', '*']]);
    const record = judgeRequest({ observed: observed('GET', { failure: 'net::ERR_FAILED' }), ledger: [actual], reasons: ['devtools: corsErrorStatus WildcardOriginNotAllowed'], engine: ENGINE });
    expect(record.verdict).toBe('blocked-at-response');
    expect(record.credentials.mode).toBe('include');
    expect(record.explanation).toContain('*');
  });
});

test.describe('setup warnings', () => {
  const none: SetupFacts = { extraHTTPHeaders: undefined, bypassCSP: false, launchOptions: {}, ignoreHTTPSErrors: false, httpsApiOrigins: [API], browserName: 'chromium' };
  const names = (facts: Partial<SetupFacts>) => setupWarnings({ ...none, ...facts }).map((w) => `${w.name}: ${w.setting}`);

  test('a test with no such setting gets none', () => {
    expect(names({})).toEqual([]);
  });
  test('each setting gives its own, named', () => {
    expect(names({ extraHTTPHeaders: { 'X-Test': '1', Accept: 'application/json' } })).toEqual(['extra-http-headers: extraHTTPHeaders { X-Test }']);
    expect(names({ bypassCSP: true })).toEqual(['bypass-csp: bypassCSP: true']);
    expect(names({ launchOptions: { args: ['--no-sandbox', '--disable-web-security', '--ignore-certificate-errors'] } })).toEqual(['disable-web-security: launchOptions.args --disable-web-security', 'disable-web-security: launchOptions.args --ignore-certificate-errors']);
    expect(names({ launchOptions: { firefoxUserPrefs: { 'content.cors.disable': true } } })).toEqual(['disable-web-security: launchOptions.firefoxUserPrefs content.cors.disable: true']);
    expect(names({ ignoreHTTPSErrors: true })).toEqual(['ignore-https-errors: ignoreHTTPSErrors: true']);
  });
  test('a safelisted header, or a safelisted one with an unsafe value, is told apart', () => {
    expect(names({ extraHTTPHeaders: { 'Content-Language': 'fr' } })).toEqual([]);
    expect(names({ extraHTTPHeaders: { 'Content-Type': 'application/json' } })).toEqual(['extra-http-headers: extraHTTPHeaders { Content-Type }']);
  });
});
