import { test, expect } from '@playwright/test';
import type { LedgerEntry, ServerFault } from '../../lib/model/ledger.ts';
import type { CaseOutcome } from '../../lib/judge/outcome.ts';
import { classify } from '../../lib/judge/outcome.ts';
import type { PageReport } from '../../lib/model/page-report.ts';

const PAGE = 'http://a.localhost:8001';
const TARGET = 'http://b.localhost:8001';

function preflight(overrides: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    at: 10,
    kind: 'preflight',
    method: 'OPTIONS',
    target: TARGET,
    origin: PAGE,
    accessControlRequestMethod: 'PUT',
    accessControlRequestHeaders: 'x-custom',
    cookies: [],
    handlerRan: false,
    status: 204,
    responseHeaders: [],
    ...overrides,
  };
}

function actual(overrides: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    at: 20,
    kind: 'actual',
    method: 'PUT',
    target: TARGET,
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
const pageProblem: PageReport = { kind: 'harness-error', message: 'the in-page runner never loaded' };

const notSent = { sent: false } as const;
const putPreflight = { sent: true, accessControlRequestMethod: 'PUT', accessControlRequestHeaders: 'x-custom' } as const;

interface ClassifyRow {
  readonly title: string;
  readonly report: PageReport;
  readonly ledger: readonly LedgerEntry[];
  readonly faults?: readonly ServerFault[];
  /** The whole outcome except `harnessProblem`, which is checked by its words. */
  readonly expected: Omit<CaseOutcome, 'harnessProblem'>;
  /** Words the harness problem must contain; absent means the outcome must have no harness problem. */
  readonly problemWords?: readonly string[];
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
    problemWords: ['never saw the request'],
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
    problemWords: ['never saw the request'],
  },
  {
    title: 'A network error after the actual request reached the server is blocked at response.',
    report: networkError,
    ledger: [preflight(), actual()],
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
    ledger: [preflight({ accessControlRequestHeaders: undefined })],
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
    problemWords: ['no request reached the server'],
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
    problemWords: ['AbortError', 'not a network error'],
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
    problemWords: ['the in-page runner never loaded'],
  },
  {
    title: 'Server faults turn a resolved fetch into a harness error, naming every fault.',
    report: corsResponse,
    ledger: [actual()],
    faults: [
      { at: 15, message: 'malformed request line' },
      { at: 16, message: 'unknown case key' },
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
    problemWords: ['the server reported', 'malformed request line', 'unknown case key'],
  },
  {
    title: 'Server faults turn a network error into a harness error, never a CORS block.',
    report: networkError,
    ledger: [preflight(), actual()],
    faults: [{ at: 15, message: 'unknown case key' }],
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
    problemWords: ['unknown case key'],
  },
  {
    title: 'Server faults turn a network error after only a preflight into a harness error, not blocked at preflight.',
    report: networkError,
    ledger: [preflight()],
    faults: [{ at: 15, message: 'malformed request line' }],
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
    problemWords: ['malformed request line'],
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
    title: 'An actual request whose handler did not run is still counted as having reached the server.',
    report: networkError,
    ledger: [actual({ handlerRan: false, status: 500 })],
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
];

for (const row of rows) {
  test(row.title, () => {
    const { harnessProblem, ...rest } = classify(row.report, row.ledger, row.faults ?? []);
    // toStrictEqual, so that a key present with an undefined value (say, an absent ACRH) counts as a difference.
    expect(rest).toStrictEqual(row.expected);
    if (row.problemWords === undefined) {
      expect(harnessProblem).toBeUndefined();
    } else {
      expect(harnessProblem).toBeDefined();
      for (const word of row.problemWords) expect(harnessProblem).toContain(word);
    }
  });
}
