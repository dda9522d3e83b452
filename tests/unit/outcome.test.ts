import { test, expect } from '@playwright/test';
import type { LedgerEntry, ServerFault } from '../../lib/model/ledger.ts';
import type { CaseOutcome, ClassifyContext, HarnessProblemCode } from '../../lib/judge/outcome.ts';
import { classify } from './classify.ts';
import type { PageReport } from '../../lib/model/page-report.ts';

const PAGE = 'http://a.localhost:8001';
const TARGET = 'http://b.localhost:8001';
const ALLOWS_PUT = [
  { name: 'Access-Control-Allow-Origin', value: PAGE },
  { name: 'Access-Control-Allow-Methods', value: 'PUT' },
  { name: 'Access-Control-Allow-Headers', value: 'X-Custom' },
];
const ALLOWS_PAGE = [{ name: 'Access-Control-Allow-Origin', value: PAGE }];

/** The request the rows make unless they say otherwise: a PUT with X-Custom from the page to the target. */
function context(overrides: { method?: string; headers?: [string, string][]; reasons?: string[] } = {}): ClassifyContext {
  return {
    request: { origin: PAGE, url: `${TARGET}/api/case`, method: overrides.method ?? 'PUT', headers: overrides.headers ?? [['X-Custom', '1']], credentials: 'same-origin', mode: 'cors' },
    engineReasons: overrides.reasons ?? [],
  };
}
const GET = { method: 'GET', headers: [] as [string, string][] };

function preflight(overrides: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    at: 10,
    kind: 'preflight',
    method: 'OPTIONS',
    target: TARGET,
    path: '/api/case-1',
    answered: true,
    origin: PAGE,
    accessControlRequestMethod: 'PUT',
    accessControlRequestHeaders: 'x-custom',
    cookies: [],
    handlerRan: false,
    status: 204,
    responseHeaders: ALLOWS_PUT,
    ...overrides,
  };
}

function actual(overrides: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    at: 20,
    kind: 'actual',
    method: 'PUT',
    target: TARGET,
    path: '/api/case-1',
    answered: true,
    origin: PAGE,
    accessControlRequestMethod: undefined,
    accessControlRequestHeaders: undefined,
    cookies: [],
    handlerRan: true,
    status: 200,
    responseHeaders: [],
    ...overrides,
  };
}

const corsResponse: PageReport = {
  kind: 'resolved',
  status: 200,
  type: 'cors',
  headers: [
    ['Content-Type', 'text/plain'],
    ['X-Total', '3'],
  ],
  body: 'ok',
};
const opaqueResponse: PageReport = { kind: 'resolved', status: 0, type: 'opaque', headers: [], body: '' };
const opaqueRedirect: PageReport = { kind: 'resolved', status: 0, type: 'opaqueredirect', headers: [], body: '' };
const networkError: PageReport = { kind: 'rejected', name: 'TypeError', message: 'Failed to fetch' };
const abortError: PageReport = { kind: 'rejected', name: 'AbortError', message: 'The operation was aborted.' };
const pageProblem: PageReport = { kind: 'harness-error', code: 'page-not-loaded', message: 'the in-page runner never loaded' };

const notSent = { sent: false } as const;
const putPreflight = { sent: true, accessControlRequestMethod: 'PUT', accessControlRequestHeaders: 'x-custom' } as const;

interface ClassifyRow {
  readonly title: string;
  readonly report: PageReport;
  readonly ledger: readonly LedgerEntry[];
  readonly faults?: readonly ServerFault[];
  readonly context?: ClassifyContext;
  /** The whole outcome except the harness problem and the block, which are checked below. */
  readonly expected: Omit<CaseOutcome, 'harnessProblem' | 'harnessCode' | 'block'>;
  /** The harness problem's code and words it must contain; absent means the outcome must have no harness problem. */
  readonly problem?: { readonly code: HarnessProblemCode; readonly words: readonly string[] };
  /** For a block: its status, what confirmed it, and words its error-response note must contain (none: no note). */
  readonly block?: { readonly status: number; readonly confirmedBy: readonly ('oracle' | 'engine')[]; readonly errorWords?: readonly string[] };
}

const rows: readonly ClassifyRow[] = [
  {
    title: 'A resolved fetch whose request reached the server is allowed and readable, with header names lower-cased.',
    report: corsResponse,
    ledger: [actual({ method: 'GET' })],
    expected: {
      verdict: 'allowed',
      preflight: notSent,
      reachedServer: true,
      handlerRan: true,
      readable: true,
      status: 200,
      responseType: 'cors',
      readableHeaders: { 'content-type': 'text/plain', 'x-total': '3' },
      cookiesReceived: [],
    },
  },
  {
    title: 'A resolved fetch after a preflight is allowed, and the preflight’s requested method and headers are carried into the outcome.',
    report: corsResponse,
    ledger: [preflight(), actual()],
    expected: {
      verdict: 'allowed',
      preflight: putPreflight,
      reachedServer: true,
      handlerRan: true,
      readable: true,
      status: 200,
      responseType: 'cors',
      readableHeaders: { 'content-type': 'text/plain', 'x-total': '3' },
      cookiesReceived: [],
    },
  },
  {
    title: 'A resolved opaque response is allowed but not readable.',
    report: opaqueResponse,
    ledger: [actual({ method: 'GET' })],
    expected: {
      verdict: 'allowed',
      preflight: notSent,
      reachedServer: true,
      handlerRan: true,
      readable: false,
      status: 0,
      responseType: 'opaque',
      readableHeaders: {},
      cookiesReceived: [],
    },
  },
  {
    title: 'A resolved opaque redirect is allowed but not readable.',
    report: opaqueRedirect,
    ledger: [actual({ method: 'GET', status: 302 })],
    expected: {
      verdict: 'allowed',
      preflight: notSent,
      reachedServer: true,
      handlerRan: true,
      readable: false,
      status: 0,
      responseType: 'opaqueredirect',
      readableHeaders: {},
      cookiesReceived: [],
    },
  },
  {
    title: 'A resolved fetch the server never saw is a harness error.',
    report: corsResponse,
    ledger: [],
    expected: {
      verdict: 'harness-error',
      preflight: notSent,
      reachedServer: false,
      handlerRan: false,
      readable: false,
      readableHeaders: {},
      cookiesReceived: [],
    },
    problem: { code: 'response-without-arrival', words: ['never saw the request'] },
  },
  {
    title: 'A resolved fetch of which the server saw only the preflight is a harness error, not allowed.',
    report: corsResponse,
    ledger: [preflight()],
    expected: {
      verdict: 'harness-error',
      preflight: putPreflight,
      reachedServer: false,
      handlerRan: false,
      readable: false,
      readableHeaders: {},
      cookiesReceived: [],
    },
    problem: { code: 'response-without-arrival', words: ['never saw the request'] },
  },
  {
    title: 'A network error after the actual request reached the server, whose answer fails the CORS check, is blocked at response.',
    report: networkError,
    ledger: [preflight(), actual()],
    block: { status: 200, confirmedBy: ['oracle'] },
    expected: {
      verdict: 'blocked-at-response',
      preflight: putPreflight,
      reachedServer: true,
      handlerRan: true,
      readable: false,
      readableHeaders: {},
      cookiesReceived: [],
      engineError: 'TypeError: Failed to fetch',
    },
  },
  {
    title: 'A network error when only the preflight reached the server is blocked at preflight.',
    report: networkError,
    ledger: [preflight({ accessControlRequestHeaders: undefined, responseHeaders: [] })],
    context: context({ headers: [] }),
    block: { status: 204, confirmedBy: ['oracle'] },
    expected: {
      verdict: 'blocked-at-preflight',
      preflight: { sent: true, accessControlRequestMethod: 'PUT' },
      reachedServer: false,
      handlerRan: false,
      readable: false,
      readableHeaders: {},
      cookiesReceived: [],
      engineError: 'TypeError: Failed to fetch',
    },
  },
  {
    title: 'A network error when nothing reached the server is a harness error, not a CORS block.',
    report: networkError,
    ledger: [],
    expected: {
      verdict: 'harness-error',
      preflight: notSent,
      reachedServer: false,
      handlerRan: false,
      readable: false,
      readableHeaders: {},
      cookiesReceived: [],
      engineError: 'TypeError: Failed to fetch',
    },
    problem: { code: 'no-arrival', words: ['no request reached the server'] },
  },
  {
    title: 'A rejection that is not a TypeError is a harness error even when the request reached the server.',
    report: abortError,
    ledger: [actual()],
    expected: {
      verdict: 'harness-error',
      preflight: notSent,
      reachedServer: true,
      handlerRan: true,
      readable: false,
      readableHeaders: {},
      cookiesReceived: [],
      engineError: 'AbortError: The operation was aborted.',
    },
    problem: { code: 'not-a-network-error', words: ['AbortError', 'not a network error'] },
  },
  {
    title: 'A harness error reported by the page is a harness error, whatever the server saw.',
    report: pageProblem,
    ledger: [preflight(), actual()],
    expected: {
      verdict: 'harness-error',
      preflight: putPreflight,
      reachedServer: true,
      handlerRan: true,
      readable: false,
      readableHeaders: {},
      cookiesReceived: [],
    },
    problem: { code: 'page-not-loaded', words: ['the in-page runner never loaded'] },
  },
  {
    title: 'Server faults turn a resolved fetch into a harness error, naming every fault.',
    report: corsResponse,
    ledger: [actual()],
    faults: [
      { at: 15, code: 'server-fault', message: 'malformed request line' },
      { at: 16, code: 'server-fault', message: 'unknown case key' },
    ],
    expected: {
      verdict: 'harness-error',
      preflight: notSent,
      reachedServer: true,
      handlerRan: true,
      readable: false,
      readableHeaders: {},
      cookiesReceived: [],
    },
    problem: { code: 'server-fault', words: ['the server reported', 'malformed request line', 'unknown case key'] },
  },
  {
    title: 'Server faults turn a network error into a harness error, never a CORS block.',
    report: networkError,
    ledger: [preflight(), actual()],
    faults: [{ at: 15, code: 'server-fault', message: 'unknown case key' }],
    expected: {
      verdict: 'harness-error',
      preflight: putPreflight,
      reachedServer: true,
      handlerRan: true,
      readable: false,
      readableHeaders: {},
      cookiesReceived: [],
      engineError: 'TypeError: Failed to fetch',
    },
    problem: { code: 'server-fault', words: ['unknown case key'] },
  },
  {
    title: 'Server faults turn a network error after only a preflight into a harness error, not blocked at preflight.',
    report: networkError,
    ledger: [preflight()],
    faults: [{ at: 15, code: 'server-fault', message: 'malformed request line' }],
    expected: {
      verdict: 'harness-error',
      preflight: putPreflight,
      reachedServer: false,
      handlerRan: false,
      readable: false,
      readableHeaders: {},
      cookiesReceived: [],
      engineError: 'TypeError: Failed to fetch',
    },
    problem: { code: 'server-fault', words: ['malformed request line'] },
  },
  {
    title: 'The cookies received are those of the actual request, not those of the preflight.',
    report: corsResponse,
    ledger: [preflight({ cookies: ['preflight_only'] }), actual({ cookies: ['cm_lax', 'cm_none', 'session'] })],
    expected: {
      verdict: 'allowed',
      preflight: putPreflight,
      reachedServer: true,
      handlerRan: true,
      readable: true,
      status: 200,
      responseType: 'cors',
      readableHeaders: { 'content-type': 'text/plain', 'x-total': '3' },
      cookiesReceived: ['cm_lax', 'cm_none', 'session'],
    },
  },
  {
    title: 'A blocked response still records the cookies the actual request carried.',
    report: networkError,
    ledger: [actual({ method: 'GET', cookies: ['cm_lax'] })],
    context: context(GET),
    block: { status: 200, confirmedBy: ['oracle'] },
    expected: {
      verdict: 'blocked-at-response',
      preflight: notSent,
      reachedServer: true,
      handlerRan: true,
      readable: false,
      readableHeaders: {},
      cookiesReceived: ['cm_lax'],
      engineError: 'TypeError: Failed to fetch',
    },
  },
  {
    title: 'A 500 without CORS headers whose handler did not run is blocked at response, and the record says the CORS error masks a server error.',
    report: networkError,
    ledger: [actual({ method: 'GET', handlerRan: false, status: 500 })],
    context: context(GET),
    block: { status: 500, confirmedBy: ['oracle'], errorWords: ['500', 'carries no CORS headers', 'server error'] },
    expected: {
      verdict: 'blocked-at-response',
      preflight: notSent,
      reachedServer: true,
      handlerRan: false,
      readable: false,
      readableHeaders: {},
      cookiesReceived: [],
      engineError: 'TypeError: Failed to fetch',
    },
  },
  // Error responses and redirects: the verdict is what the engine did, and the record names what the CORS error hides.
  {
    title: 'A preflight answered 404 without CORS headers is blocked at preflight, and the record says the route does not answer OPTIONS.',
    report: networkError,
    ledger: [preflight({ status: 404, responseHeaders: [] })],
    expected: {
      verdict: 'blocked-at-preflight',
      preflight: putPreflight,
      reachedServer: false,
      handlerRan: false,
      readable: false,
      readableHeaders: {},
      cookiesReceived: [],
      engineError: 'TypeError: Failed to fetch',
    },
    block: { status: 404, confirmedBy: ['oracle'], errorWords: ['404', 'does not answer OPTIONS'] },
  },
  {
    title: 'A preflight answered 500 with CORS headers is still blocked at preflight: a preflight must be answered 2xx.',
    report: networkError,
    ledger: [preflight({ status: 500 })],
    expected: {
      verdict: 'blocked-at-preflight',
      preflight: putPreflight,
      reachedServer: false,
      handlerRan: false,
      readable: false,
      readableHeaders: {},
      cookiesReceived: [],
      engineError: 'TypeError: Failed to fetch',
    },
    block: { status: 500, confirmedBy: ['oracle'], errorWords: ['500', 'must be answered 2xx'] },
  },
  {
    title: 'A 403 without CORS headers is blocked at response, naming the 403.',
    report: networkError,
    ledger: [actual({ method: 'GET', status: 403 })],
    context: context(GET),
    expected: {
      verdict: 'blocked-at-response',
      preflight: notSent,
      reachedServer: true,
      handlerRan: true,
      readable: false,
      readableHeaders: {},
      cookiesReceived: [],
      engineError: 'TypeError: Failed to fetch',
    },
    block: { status: 403, confirmedBy: ['oracle'], errorWords: ['403', 'carries no CORS headers'] },
  },
  {
    title: 'A redirect the server sent without CORS headers is blocked at response, naming where it pointed.',
    report: networkError,
    ledger: [actual({ method: 'GET', status: 302, responseHeaders: [{ name: 'Location', value: '/login' }] })],
    context: context(GET),
    expected: {
      verdict: 'blocked-at-response',
      preflight: notSent,
      reachedServer: true,
      handlerRan: true,
      readable: false,
      readableHeaders: {},
      cookiesReceived: [],
      engineError: 'TypeError: Failed to fetch',
    },
    block: { status: 302, confirmedBy: ['oracle'], errorWords: ['302', 'redirect to /login', 'without CORS headers'] },
  },
  {
    title: 'A 500 the engine names as a CORS failure is confirmed by both the oracle and the engine.',
    report: networkError,
    ledger: [actual({ method: 'GET', status: 500 })],
    context: context({ ...GET, reasons: ['devtools: corsErrorStatus MissingAllowOriginHeader for http://b.localhost:8001/api/case'] }),
    expected: {
      verdict: 'blocked-at-response',
      preflight: notSent,
      reachedServer: true,
      handlerRan: true,
      readable: false,
      readableHeaders: {},
      cookiesReceived: [],
      engineError: 'TypeError: Failed to fetch',
    },
    block: { status: 500, confirmedBy: ['oracle', 'engine'], errorWords: ['500'] },
  },
  // Integrity: a failed fetch after a CORS-valid answer is not a CORS block unless the engine says it is.
  {
    title: 'A CORS-valid answer whose body was cut off is a harness error, not blocked at response.',
    report: networkError,
    ledger: [actual({ method: 'GET', responseHeaders: ALLOWS_PAGE, cutOff: true })],
    context: context(GET),
    expected: {
      verdict: 'harness-error',
      preflight: notSent,
      reachedServer: true,
      handlerRan: true,
      readable: false,
      readableHeaders: {},
      cookiesReceived: [],
      engineError: 'TypeError: Failed to fetch',
    },
    problem: { code: 'unconfirmed-block', words: ['cut off', 'not for CORS'] },
  },
  {
    title: 'A CORS-valid answer followed by a network error the engine does not call CORS is a harness error.',
    report: networkError,
    ledger: [actual({ method: 'GET', responseHeaders: ALLOWS_PAGE })],
    context: context({ ...GET, reasons: ['console: Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource. (Reason: CORS request did not succeed). Status code: (null).'] }),
    expected: {
      verdict: 'harness-error',
      preflight: notSent,
      reachedServer: true,
      handlerRan: true,
      readable: false,
      readableHeaders: {},
      cookiesReceived: [],
      engineError: 'TypeError: Failed to fetch',
    },
    problem: { code: 'unconfirmed-block', words: ['passes the CORS checks', 'not counted as a CORS block'] },
  },
  {
    title: 'A CORS-valid recorded answer that the engine itself names as a CORS failure is a block, confirmed by the engine alone.',
    report: networkError,
    ledger: [actual({ method: 'GET', responseHeaders: ALLOWS_PAGE })],
    context: context({ ...GET, reasons: ["console: Access to fetch at 'http://b.localhost:8001/api/case' from origin 'http://a.localhost:8001' has been blocked by CORS policy"] }),
    expected: {
      verdict: 'blocked-at-response',
      preflight: notSent,
      reachedServer: true,
      handlerRan: true,
      readable: false,
      readableHeaders: {},
      cookiesReceived: [],
      engineError: 'TypeError: Failed to fetch',
    },
    block: { status: 200, confirmedBy: ['engine'] },
  },
  {
    title: 'A preflight that passes, then no actual request, is a harness error: the connection dropped, CORS did not fail.',
    report: networkError,
    ledger: [preflight()],
    expected: {
      verdict: 'harness-error',
      preflight: putPreflight,
      reachedServer: false,
      handlerRan: false,
      readable: false,
      readableHeaders: {},
      cookiesReceived: [],
      engineError: 'TypeError: Failed to fetch',
    },
    problem: { code: 'unconfirmed-block', words: ['the preflight', 'answered 204', 'passes the CORS checks'] },
  },
  {
    title: 'A preflight that arrived but was never answered is a harness error, not blocked at preflight.',
    report: networkError,
    ledger: [preflight({ answered: false, status: 0, responseHeaders: [] })],
    expected: {
      verdict: 'harness-error',
      preflight: putPreflight,
      reachedServer: false,
      handlerRan: false,
      readable: false,
      readableHeaders: {},
      cookiesReceived: [],
      engineError: 'TypeError: Failed to fetch',
    },
    problem: { code: 'no-answer', words: ['without answering', 'not a CORS block'] },
  },
  {
    title: 'An actual request answered from the preflight cache (no preflight in the ledger) is judged on its own answer.',
    report: networkError,
    ledger: [actual()],
    expected: {
      verdict: 'blocked-at-response',
      preflight: notSent,
      reachedServer: true,
      handlerRan: true,
      readable: false,
      readableHeaders: {},
      cookiesReceived: [],
      engineError: 'TypeError: Failed to fetch',
    },
    block: { status: 200, confirmedBy: ['oracle'] },
  },
  {
    title: 'A same-origin request redirected to a cross-site URL without CORS headers is judged hop by hop: blocked at response, confirmed by the oracle.',
    report: networkError,
    ledger: [
      actual({ method: 'GET', target: PAGE, path: '/api/case', status: 302, responseHeaders: [{ name: 'Location', value: `${TARGET}/api/case/hop/1` }] }),
      actual({ method: 'GET', target: TARGET, path: '/api/case/hop/1', status: 200, responseHeaders: [] }),
    ],
    context: { request: { origin: PAGE, url: `${PAGE}/api/case`, method: 'GET', headers: [], credentials: 'same-origin', mode: 'cors' }, engineReasons: [] },
    expected: {
      verdict: 'blocked-at-response',
      preflight: notSent,
      reachedServer: true,
      handlerRan: true,
      readable: false,
      readableHeaders: {},
      cookiesReceived: [],
      engineError: 'TypeError: Failed to fetch',
    },
    block: { status: 200, confirmedBy: ['oracle'] },
  },
  // Harness problems carry a code.
  {
    title: 'A page that timed out is a harness error coded timeout.',
    report: { kind: 'harness-error', code: 'timeout', message: 'no answer within 10000 ms' },
    ledger: [],
    expected: {
      verdict: 'harness-error',
      preflight: notSent,
      reachedServer: false,
      handlerRan: false,
      readable: false,
      readableHeaders: {},
      cookiesReceived: [],
    },
    problem: { code: 'timeout', words: ['no answer within'] },
  },
  {
    title: 'An engine that went away mid-case is a harness error coded engine-crashed.',
    report: { kind: 'harness-error', code: 'engine-crashed', message: 'the engine failed: page.evaluate: Target page, context or browser has been closed' },
    ledger: [],
    expected: {
      verdict: 'harness-error',
      preflight: notSent,
      reachedServer: false,
      handlerRan: false,
      readable: false,
      readableHeaders: {},
      cookiesReceived: [],
    },
    problem: { code: 'engine-crashed', words: ['has been closed'] },
  },
  {
    title: 'A request the server could not parse is a harness error coded unparseable-request.',
    report: networkError,
    ledger: [preflight()],
    faults: [{ at: 15, code: 'unparseable-request', message: 'the server could not parse a request (HPE_INVALID_METHOD: Parse Error: Invalid method encountered)' }],
    expected: {
      verdict: 'harness-error',
      preflight: putPreflight,
      reachedServer: false,
      handlerRan: false,
      readable: false,
      readableHeaders: {},
      cookiesReceived: [],
      engineError: 'TypeError: Failed to fetch',
    },
    problem: { code: 'unparseable-request', words: ['HPE_INVALID_METHOD'] },
  },
  {
    title: 'A target that refused the connection is a harness error coded target-unreachable.',
    report: networkError,
    ledger: [],
    faults: [{ at: 15, code: 'target-unreachable', message: 'your server at http://127.0.0.1:9 did not answer GET /api/orders: ECONNREFUSED' }],
    expected: {
      verdict: 'harness-error',
      preflight: notSent,
      reachedServer: false,
      handlerRan: false,
      readable: false,
      readableHeaders: {},
      cookiesReceived: [],
      engineError: 'TypeError: Failed to fetch',
    },
    problem: { code: 'target-unreachable', words: ['did not answer', 'ECONNREFUSED'] },
  },

  {
    title: 'A credentialed case whose session could not be planted first is a harness error naming why, not a cookie finding.',
    report: corsResponse,
    ledger: [actual()],
    context: { ...context(), request: { ...context().request, credentials: 'include' }, sessionNotPlanted: 'the first-party visit to https://b.localhost:1/__cm/session failed: net::ERR_CONNECTION_REFUSED' },
    expected: {
      verdict: 'harness-error',
      preflight: notSent,
      reachedServer: true,
      handlerRan: true,
      readable: false,
      readableHeaders: {},
      cookiesReceived: [],
    },
    problem: { code: 'session-not-planted', words: ['was not planted', 'https://b.localhost:1/__cm/session', 'ERR_CONNECTION_REFUSED'] },
  },
  {
    title: 'A page that timed out on a case the server faulted on is the fault, not the timeout: the fault is the cause.',
    report: { kind: 'harness-error', code: 'timeout', message: 'no answer within 10000 ms' },
    ledger: [preflight()],
    faults: [{ at: 15, code: 'unparseable-request', message: 'the server could not parse a request (HPE_INVALID_METHOD: Parse Error: Invalid method encountered)' }],
    expected: {
      verdict: 'harness-error',
      preflight: putPreflight,
      reachedServer: false,
      handlerRan: false,
      readable: false,
      readableHeaders: {},
      cookiesReceived: [],
    },
    problem: { code: 'unparseable-request', words: ['HPE_INVALID_METHOD'] },
  },
];

for (const row of rows) {
  test(row.title, () => {
    const { harnessProblem, harnessCode, block, recorded, ...rest } = classify(row.report, row.ledger, row.faults ?? [], row.context ?? context());
    // toStrictEqual, so that a key present with an undefined value (say, an absent ACRH) counts as a difference.
    expect(rest).toStrictEqual(row.expected);
    if (row.problem === undefined) {
      expect(harnessProblem).toBeUndefined();
      expect(harnessCode).toBeUndefined();
    } else {
      expect(harnessCode).toBe(row.problem.code);
      for (const word of row.problem.words) expect(harnessProblem).toContain(word);
    }
    if (row.block === undefined) {
      expect(block).toBeUndefined();
    } else {
      expect(block?.status).toBe(row.block.status);
      expect(block?.confirmedBy).toEqual(row.block.confirmedBy);
      // The judgement the block rests on is kept whole, for every later stage to read instead of judging again.
      if (row.block.confirmedBy.includes('oracle')) expect(recorded?.judged === true && recorded.verdict).toBe(rest.verdict);
      if (row.block.errorWords === undefined) expect(block?.errorResponse).toBeUndefined();
      for (const word of row.block.errorWords ?? []) expect(block?.errorResponse).toContain(word);
    }
  });
}
