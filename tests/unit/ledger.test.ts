import { test, expect } from '@playwright/test';
import type { LedgerEntry } from '../../lib/model/ledger.ts';
import { Ledger, cookieNames } from '../../lib/model/ledger.ts';

function entry(overrides: Partial<LedgerEntry>): LedgerEntry {
  return {
    at: 1_000,
    kind: 'actual',
    method: 'GET',
    target: 'http://b.localhost:8001',
    path: '/api/case-1',
    origin: 'http://a.localhost:8001',
    accessControlRequestMethod: undefined,
    accessControlRequestHeaders: undefined,
    cookies: [],
    handlerRan: true,
    answered: true,
    status: 200,
    responseHeaders: [],
    ...overrides,
  };
}

const preflightOfOne = entry({ at: 1, kind: 'preflight', method: 'OPTIONS', accessControlRequestMethod: 'PUT', handlerRan: false, status: 204 });
const actualOfOne = entry({ at: 2, method: 'PUT' });
const actualOfTwo = entry({ at: 3, method: 'DELETE' });
const actualOfTen = entry({ at: 4, method: 'POST' });

interface EntriesRow {
  readonly title: string;
  readonly recorded: readonly (readonly [string, LedgerEntry])[];
  readonly caseKey: string;
  readonly expected: readonly LedgerEntry[];
}

const entriesRows: readonly EntriesRow[] = [
  { title: 'An empty ledger has no entries for any case.', recorded: [], caseKey: 'case-1', expected: [] },
  {
    title: 'A case gets back the entries recorded under its key, in arrival order.',
    recorded: [
      ['case-1', preflightOfOne],
      ['case-1', actualOfOne],
    ],
    caseKey: 'case-1',
    expected: [preflightOfOne, actualOfOne],
  },
  {
    title: 'A case does not see entries recorded under another case key, even interleaved with its own.',
    recorded: [
      ['case-1', preflightOfOne],
      ['case-2', actualOfTwo],
      ['case-1', actualOfOne],
    ],
    caseKey: 'case-1',
    expected: [preflightOfOne, actualOfOne],
  },
  {
    title: 'A case key that is a prefix of another key does not pick up that key’s entries.',
    recorded: [
      ['case-1', actualOfOne],
      ['case-10', actualOfTen],
    ],
    caseKey: 'case-1',
    expected: [actualOfOne],
  },
  {
    title: 'A key that was never recorded has no entries, even when other keys have some.',
    recorded: [
      ['case-1', actualOfOne],
      ['case-2', actualOfTwo],
    ],
    caseKey: 'case-3',
    expected: [],
  },
];

for (const row of entriesRows) {
  test(row.title, () => {
    const ledger = new Ledger();
    for (const [caseKey, recorded] of row.recorded) ledger.record(caseKey, recorded);
    expect(ledger.entriesFor(row.caseKey)).toEqual(row.expected);
  });
}

test('Entries already handed out for one case do not change when another case records more.', () => {
  const ledger = new Ledger();
  ledger.record('case-1', actualOfOne);
  const before = [...ledger.entriesFor('case-1')];
  ledger.record('case-2', actualOfTwo);
  expect(ledger.entriesFor('case-1')).toEqual(before);
  expect(ledger.entriesFor('case-2')).toEqual([actualOfTwo]);
});

interface FaultRow {
  readonly title: string;
  readonly faults: readonly (readonly [string, number])[];
  readonly from: number;
  readonly to: number;
  readonly expected: readonly string[];
}

const faultRows: readonly FaultRow[] = [
  { title: 'A ledger without faults has none in any window.', faults: [], from: 0, to: Number.MAX_SAFE_INTEGER, expected: [] },
  {
    title: 'Only the faults inside the window are returned, in the order they were recorded.',
    faults: [
      ['before', 99],
      ['first', 100],
      ['second', 150],
      ['last', 200],
      ['after', 201],
    ],
    from: 100,
    to: 200,
    expected: ['first', 'second', 'last'],
  },
  {
    title: 'A window of a single instant holds the faults recorded at exactly that instant.',
    faults: [
      ['earlier', 499],
      ['exact', 500],
      ['later', 501],
    ],
    from: 500,
    to: 500,
    expected: ['exact'],
  },
  {
    title: 'A window that ends before the first fault holds none.',
    faults: [['late', 1_000]],
    from: 0,
    to: 999,
    expected: [],
  },
];

for (const row of faultRows) {
  test(row.title, () => {
    const ledger = new Ledger();
    for (const [message, at] of row.faults) ledger.fault('server-fault', message, undefined, at);
    expect(ledger.faultsBetween(row.from, row.to).map((f) => f.message)).toEqual(row.expected);
  });
}

test('A fault recorded without a time is stamped with the current time.', () => {
  const ledger = new Ledger();
  const before = Date.now();
  ledger.fault('server-fault', 'unknown case key');
  const after = Date.now();
  const faults = ledger.faultsBetween(before, after);
  expect(faults.map((f) => f.message)).toEqual(['unknown case key']);
  expect(ledger.faultsBetween(0, before - 1)).toEqual([]);
});

test('Faults are independent of case entries: recording a fault adds no entry, and entries add no fault.', () => {
  const ledger = new Ledger();
  ledger.record('case-1', actualOfOne);
  ledger.fault('unparseable-request', 'malformed request', undefined, 5);
  expect(ledger.entriesFor('case-1')).toEqual([actualOfOne]);
  expect(ledger.faultsBetween(0, 10)).toEqual([{ at: 5, code: 'unparseable-request', message: 'malformed request' }]);
});

interface CookieRow {
  readonly title: string;
  readonly header: string | undefined;
  readonly expected: readonly string[];
}

const cookieRows: readonly CookieRow[] = [
  { title: 'No Cookie header means no cookie names.', header: undefined, expected: [] },
  { title: 'An empty Cookie header means no cookie names.', header: '', expected: [] },
  { title: 'A single cookie gives its name without its value.', header: 'cm_lax=abc', expected: ['cm_lax'] },
  { title: 'Several cookies give their names in header order.', header: 'cm_lax=1; cm_none=2; session=xyz', expected: ['cm_lax', 'cm_none', 'session'] },
  { title: 'Whitespace around names and separators is trimmed.', header: '  cm_lax=1 ;cm_none=2  ', expected: ['cm_lax', 'cm_none'] },
  { title: 'A value containing = does not leak into the name.', header: 'token=a=b=c', expected: ['token'] },
  { title: 'A cookie without = is kept as a name.', header: 'flag; cm_lax=1', expected: ['flag', 'cm_lax'] },
  { title: 'Empty pairs between separators are dropped.', header: 'cm_lax=1;; ;cm_none=2;', expected: ['cm_lax', 'cm_none'] },
  { title: 'A pair with an empty name is dropped.', header: '=orphan; cm_lax=1', expected: ['cm_lax'] },
];

for (const row of cookieRows) {
  test(row.title, () => {
    expect(cookieNames(row.header)).toEqual(row.expected);
  });
}

test('A fault that names its case is returned for that case only, whenever it happened.', () => {
  const ledger = new Ledger();
  ledger.fault('server-fault', 'case-1 target answered 502', 'case-1', 100);
  ledger.fault('server-fault', 'case-10 target answered 502', 'case-10', 101);
  ledger.fault('unparseable-request', 'unparsable request', undefined, 102);
  expect(ledger.faultsFor('case-1').map((f) => f.message)).toEqual(['case-1 target answered 502']);
  expect(ledger.faultsFor('case-2')).toEqual([]);
  expect(ledger.faultsWithoutCase().map((f) => f.message)).toEqual(['unparsable request']);
  expect(ledger.faultsBetween(0, 1_000)).toHaveLength(3);
});

test('An arrival is in the ledger before it is answered, unanswered with status 0, and is completed in place.', () => {
  const ledger = new Ledger();
  const { handlerRan: _h, answered: _a, status: _s, responseHeaders: _r, ...arrived } = preflightOfOne;
  const complete = ledger.arrive('case-1', arrived);
  expect(ledger.entriesFor('case-1')).toEqual([{ ...arrived, handlerRan: false, answered: false, status: 0, responseHeaders: [] }]);
  ledger.record('case-1', actualOfOne);
  complete({ answered: true, handlerRan: false, status: 204, responseHeaders: [{ name: 'Access-Control-Allow-Origin', value: '*' }] });
  expect(ledger.entriesFor('case-1')).toEqual([
    { ...preflightOfOne, responseHeaders: [{ name: 'Access-Control-Allow-Origin', value: '*' }] },
    actualOfOne,
  ]);
});

test('An arrival whose connection closed unanswered stays in the ledger as arrived, with no answer.', () => {
  const ledger = new Ledger();
  const { handlerRan: _h, answered: _a, status: _s, responseHeaders: _r, ...arrived } = preflightOfOne;
  ledger.arrive('case-1', arrived)({ answered: false, handlerRan: false, status: 0, responseHeaders: [], cutOff: true });
  expect(ledger.entriesFor('case-1')).toEqual([{ ...arrived, handlerRan: false, answered: false, status: 0, responseHeaders: [], cutOff: true }]);
});

test('the last handshake with a host up to a moment says whether the engine stands refusing its certificate then', () => {
  const ledger = new Ledger();
  ledger.handshake({ at: 10, host: 'b.localhost', refused: 'ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN' });
  ledger.handshake({ at: 12, host: 'b.localhost' });
  ledger.handshake({ at: 20, host: 'a.localhost', refused: 'ECONNRESET' });
  expect(ledger.lastHandshakeWith('b.localhost', 11)?.refused).toBe('ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN');
  // Refused, then connected (Chromium told to ignore certificate errors does this): no refusal stands.
  expect(ledger.lastHandshakeWith('b.localhost', 30)?.refused).toBeUndefined();
  expect(ledger.lastHandshakeWith('a.localhost', 30)?.refused).toBe('ECONNRESET');
  expect(ledger.lastHandshakeWith('a.localhost', 19)).toBeUndefined();
});

test('A sequence step whose own mark, or whose next step\'s mark, never arrived is named, never given its neighbour\'s arrivals.', () => {
  const ledger = new Ledger();
  ledger.markStep('seq-1', 0);
  ledger.record('seq-1', actualOfOne);
  // step 1's mark is lost: its arrival would otherwise count for step 0
  ledger.record('seq-1', actualOfOne);
  ledger.markStep('seq-1', 2);
  ledger.record('seq-1', actualOfOne);
  expect(ledger.entriesOfStep('seq-1', 0, false)).toEqual({ missingMark: 1 });
  expect(ledger.entriesOfStep('seq-1', 1, false)).toEqual({ missingMark: 1 });
  expect(ledger.entriesOfStep('seq-1', 2, true)).toEqual({ entries: [actualOfOne] });
});
