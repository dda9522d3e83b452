import { test, expect } from '@playwright/test';
import type { CacheStorage, HeaderPairs, OracleRequest, OracleResponse, Prediction, SequenceOptions, SequenceStep } from '../../lib/oracle/index.ts';
import { DEFAULT_MAX_AGE, ENGINE_MAX_AGE_CAPS, ENGINE_PREFLIGHT_CACHES, OracleInputError, engineCacheModel, predictSequence } from '../../lib/oracle/index.ts';
import { ENGINE_NAMES } from '../../lib/oracle/vocabulary.ts';

// The preflight cache over time: each row is a sequence of fetches at given seconds, and says for each one whether
// a preflight went on the wire (P), the cache answered for it (C), or none was needed at all (-).
const PREFLIGHT_FETCH = 'Fetch §4.8 CORS-preflight fetch';
const PREFLIGHT_CACHE = 'Fetch §4.9 CORS-preflight cache';
const HTTP_FETCH = 'Fetch §4.4 HTTP fetch';
const MAIN_FETCH = 'Fetch §4.1 Main fetch';
const WPT_CACHE = 'WPT cors/preflight-cache.htm';
const WPT_CACHE_FETCH = 'WPT fetch/api/cors/cors-preflight-cache.any.js';
const ENGINE_SOURCE = 'engine sources (ENGINE_PREFLIGHT_CACHES)';

const PAGE = 'https://app.example';
const URL_ = 'https://api.example/items';
type Pairs = HeaderPairs;
const ANY: Pairs = [['Access-Control-Allow-Origin', '*']];
const CRED: Pairs = [['Access-Control-Allow-Origin', PAGE], ['Access-Control-Allow-Credentials', 'true']];

function req(overrides: Partial<OracleRequest> = {}): OracleRequest {
  return { origin: PAGE, url: URL_, method: 'PUT', headers: [['X-A', '1']], credentials: 'omit', mode: 'cors', ...overrides };
}

/** A preflight answer allowing these methods and headers, with this Max-Age line (undefined: none). */
function allow(maxAge: string | undefined, methods = 'PUT', headers = 'X-A', origin: Pairs = ANY, status = 204): OracleResponse {
  return {
    status,
    headers: [...origin, ['Access-Control-Allow-Methods', methods], ['Access-Control-Allow-Headers', headers], ...(maxAge === undefined ? [] : [['Access-Control-Max-Age', maxAge] as const])],
  };
}

const server = (maxAge: string | undefined, origin: Pairs = ANY): SequenceOptions['server'] => ({ preflight: allow(maxAge, 'PUT', 'X-A', origin), response: { status: 200, headers: origin } });

/** The same PUT with X-A at each of these times. */
const at = (...times: number[]): SequenceStep[] => times.map((t) => ({ at: t, request: req() }));

type Mark = 'P' | 'C' | '-';
function marks(predictions: readonly Prediction[]): Mark[] {
  return predictions.map((p) => (p.preflightSent ? 'P' : p.servedFromPreflightCache ? 'C' : '-'));
}

interface Row {
  readonly title: string;
  readonly source: string;
  readonly steps: readonly SequenceStep[];
  readonly options: SequenceOptions;
  readonly expect: readonly Mark[];
  /** A reason of the last step matches this. */
  readonly because?: RegExp;
}

const maxAgeRows: Row[] = [
  { title: 'no Max-Age: the default 5 seconds (t=4 cached, t=5 preflights again)', source: PREFLIGHT_FETCH, steps: at(0, 4, 5), options: { server: server(undefined) }, expect: ['P', 'C', 'P'], because: /expired \(stored at t=0s with max-age 5s, now t=5s\)/ },
  { title: 'Max-Age 0: never cached, even at the same instant', source: WPT_CACHE, steps: at(0, 0, 1), options: { server: server('0') }, expect: ['P', 'P', 'P'] },
  { title: 'Max-Age -1: not cached (WPT and the engines; read literally the standard would give 5 s)', source: WPT_CACHE, steps: at(0, 1), options: { server: server('-1') }, expect: ['P', 'P'] },
  { title: 'Max-Age "ten" is not delta-seconds: the default 5 seconds', source: PREFLIGHT_FETCH, steps: at(0, 1, 6), options: { server: server('ten') }, expect: ['P', 'C', 'P'] },
  { title: 'Max-Age "1.5" is not delta-seconds: the default 5 seconds', source: PREFLIGHT_FETCH, steps: at(0, 4, 5), options: { server: server('1.5') }, expect: ['P', 'C', 'P'] },
  { title: 'an empty Max-Age is not delta-seconds: the default 5 seconds', source: PREFLIGHT_FETCH, steps: at(0, 3), options: { server: server('') }, expect: ['P', 'C'] },
  { title: 'Max-Age 1: cached for half a second, gone after one and a half', source: WPT_CACHE, steps: at(0, 0.5, 1.5), options: { server: server('1') }, expect: ['P', 'C', 'P'] },
  { title: 'Max-Age 600: cached at 599 s, expired at 600 s', source: WPT_CACHE_FETCH, steps: at(0, 10, 599, 600), options: { server: server('600') }, expect: ['P', 'C', 'C', 'P'] },
  { title: 'Max-Age 12000 without a cap: still cached after 2 hours', source: WPT_CACHE_FETCH, steps: at(0, 7300), options: { server: server('12000') }, expect: ['P', 'C'] },
  { title: 'a re-sent preflight restarts the clock of its entries', source: PREFLIGHT_FETCH, steps: [...at(0, 6, 10)], options: { server: server(undefined) }, expect: ['P', 'P', 'C'] },
];

const capRows: Row[] = ENGINE_NAMES.flatMap((engine): Row[] => {
  const cap = ENGINE_MAX_AGE_CAPS[engine];
  return [
    { title: `${engine}: Max-Age 86400 is cut to ${cap} s, cached just before`, source: ENGINE_SOURCE, steps: at(0, cap - 1), options: { server: server('86400'), maxAgeCap: cap }, expect: ['P', 'C'] },
    { title: `${engine}: Max-Age 86400 is cut to ${cap} s, expired at ${cap} s`, source: ENGINE_SOURCE, steps: at(0, cap), options: { server: server('86400'), maxAgeCap: cap }, expect: ['P', 'P'], because: /expired/ },
    { title: `${engine}: Max-Age 1 is under the cap and kept as it is`, source: ENGINE_SOURCE, steps: at(0, 0.5, 1), options: { server: server('1'), maxAgeCap: cap }, expect: ['P', 'C', 'P'] },
  ];
});

const putDelete = (storage?: CacheStorage): Row['options'] => ({
  server: { response: { status: 200, headers: ANY } },
  ...(storage && { cacheStorage: storage }),
});
const keyRows: Row[] = [
  { title: 'a second identical request inside the window sends no preflight', source: WPT_CACHE_FETCH, steps: at(0, 1), options: { server: server('600') }, expect: ['P', 'C'] },
  {
    title: 'a header outside the cached entry needs a new preflight',
    source: HTTP_FETCH,
    steps: [{ at: 0, request: req() }, { at: 1, request: req({ headers: [['X-A', '1'], ['X-B', '2']] }), preflight: allow('600', 'PUT', 'X-A, X-B') }],
    options: { server: server('600') },
    expect: ['P', 'P'],
    because: /does not cover the header "x-b"/,
  },
  {
    title: 'a method outside the cached entry needs a new preflight',
    source: HTTP_FETCH,
    steps: [{ at: 0, request: req() }, { at: 1, request: req({ method: 'DELETE' }), preflight: allow('600', 'DELETE') }],
    options: { server: server('600') },
    expect: ['P', 'P'],
    because: /does not cover the method "DELETE"/,
  },
  {
    title: 'the standard keeps both answers: PUT, DELETE, then PUT again from the cache',
    source: PREFLIGHT_CACHE,
    steps: [
      { at: 0, request: req(), preflight: allow('600', 'PUT') },
      { at: 1, request: req({ method: 'DELETE' }), preflight: allow('600', 'DELETE') },
      { at: 2, request: req() },
    ],
    options: putDelete(),
    expect: ['P', 'P', 'C'],
  },
  {
    title: 'one result per URL (Chromium, WebKit): the DELETE answer replaces the PUT one, so PUT is preflighted again',
    source: ENGINE_SOURCE,
    steps: [
      { at: 0, request: req(), preflight: allow('600', 'PUT') },
      { at: 1, request: req({ method: 'DELETE' }), preflight: allow('600', 'DELETE') },
      { at: 2, request: req(), preflight: allow('600', 'PUT') },
    ],
    options: putDelete('one-result-per-url'),
    expect: ['P', 'P', 'P'],
  },
  { title: 'a safelisted method needs no method entry: GET with X-A after PUT with X-A is cached', source: HTTP_FETCH, steps: [{ at: 0, request: req() }, { at: 1, request: req({ method: 'GET' }) }], options: { server: server('600') }, expect: ['P', 'C'] },
  { title: 'a simple GET needs no preflight and leaves the cache as it was', source: MAIN_FETCH, steps: [{ at: 0, request: req() }, { at: 1, request: req({ method: 'GET', headers: [] }) }, { at: 2, request: req() }], options: { server: server('600') }, expect: ['P', '-', 'C'] },
  { title: 'another URL has its own entries', source: PREFLIGHT_CACHE, steps: [{ at: 0, request: req() }, { at: 1, request: req({ url: `${URL_}/2` }) }], options: { server: server('600') }, expect: ['P', 'P'] },
  { title: 'another requesting origin has its own entries', source: PREFLIGHT_CACHE, steps: [{ at: 0, request: req() }, { at: 1, request: req({ origin: 'https://other.example' }) }], options: { server: server('600') }, expect: ['P', 'P'] },
  {
    title: 'credentials mode is part of the key: an entry without credentials does not serve "include"',
    source: PREFLIGHT_CACHE,
    steps: [{ at: 0, request: req(), preflight: allow('600') }, { at: 1, request: req({ credentials: 'include' }) }],
    options: { server: { preflight: allow('600', 'PUT', 'X-A', CRED), response: { status: 200, headers: CRED } } },
    expect: ['P', 'P'],
    because: /stored by a request without credentials/,
  },
  {
    title: 'an entry stored with credentials serves a request without them',
    source: PREFLIGHT_CACHE,
    steps: [{ at: 0, request: req({ credentials: 'include' }) }, { at: 1, request: req({ credentials: 'omit' }) }],
    options: { server: { preflight: allow('600', 'PUT', 'X-A', CRED), response: { status: 200, headers: CRED } } },
    expect: ['P', 'C'],
  },
  {
    title: 'a fetch that fails after a cache hit clears the entries, so the next one preflights',
    source: MAIN_FETCH,
    steps: [{ at: 0, request: req() }, { at: 1, request: req(), response: { status: 500, headers: [] } }, { at: 2, request: req() }],
    options: { server: server('600') },
    expect: ['P', 'C', 'P'],
  },
  {
    title: 'a refused preflight for a new header clears what the first one cached',
    source: MAIN_FETCH,
    steps: [{ at: 0, request: req() }, { at: 1, request: req({ headers: [['X-A', '1'], ['X-B', '2']] }) }, { at: 2, request: req() }],
    options: { server: server('600') },
    expect: ['P', 'P', 'P'],
  },
  {
    title: 'a cached "*" method serves any method without credentials',
    source: PREFLIGHT_CACHE,
    steps: [{ at: 0, request: req() }, { at: 1, request: req({ method: 'PATCH' }) }],
    options: { server: { preflight: allow('600', '*'), response: { status: 200, headers: ANY } } },
    expect: ['P', 'C'],
  },
];

const rows: readonly Row[] = [...maxAgeRows, ...capRows, ...keyRows];

for (const row of rows) {
  test(`${row.title} [${row.source}]`, () => {
    const predictions = predictSequence(row.steps, row.options);
    const last = predictions[predictions.length - 1];
    const why = predictions.map((p, i) => `\nstep ${i + 1}:\n  ${p.reasons.join('\n  ')}`).join('');
    expect(marks(predictions), why).toEqual(row.expect);
    if (row.because !== undefined) expect(last?.reasons.some((r) => row.because?.test(r)), `no reason of the last step matches ${String(row.because)}:${why}`).toBe(true);
    expect(predictions).toHaveLength(row.steps.length);
  });
}

test('each step starts from the cache the step before left behind', () => {
  const [first, second] = predictSequence(at(0, 1), { server: server('600') });
  expect(first?.cache.entries.length).toBe(2);
  expect(second?.cache).toEqual(first?.cache);
});

test('a step may override the server answers; the defaults fill in the rest', () => {
  const [a, b] = predictSequence([{ at: 0, request: req() }, { at: 0, request: req({ url: `${URL_}/x` }), response: { status: 404, headers: [] } }], { server: server('600') });
  expect(a?.verdict).toBe('allowed');
  expect(b?.verdict).toBe('blocked-at-response');
});

test('the engines\' caps are data with a source, not rules of the standard', () => {
  for (const engine of ENGINE_NAMES) {
    const data = ENGINE_PREFLIGHT_CACHES[engine];
    expect(data.maxAgeCap).toBe(ENGINE_MAX_AGE_CAPS[engine]);
    expect(data.defaultMaxAge).toBe(DEFAULT_MAX_AGE);
    expect(data.source).toMatch(/\.(cc|cpp)\b/);
  }
  expect(ENGINE_MAX_AGE_CAPS).toEqual({ chromium: 7200, firefox: 86400, webkit: 600 });
  expect(engineCacheModel('webkit')).toEqual({ maxAgeCap: 600, cacheStorage: 'one-result-per-url' });
  expect(engineCacheModel('firefox')).toEqual({ maxAgeCap: 86400, cacheStorage: 'per-entry' });
});

test('an engine model changes the answer only where the engine departs from the standard', () => {
  const steps: SequenceStep[] = [
    { at: 0, request: req(), preflight: allow('86400', 'PUT') },
    { at: 1, request: req({ method: 'DELETE' }), preflight: allow('86400', 'DELETE') },
    { at: 700, request: req(), preflight: allow('86400', 'PUT') },
  ];
  const options = { server: { response: { status: 200, headers: ANY } } };
  expect(marks(predictSequence(steps, options))).toEqual(['P', 'P', 'C']);
  expect(marks(predictSequence(steps, { ...options, ...engineCacheModel('firefox') }))).toEqual(['P', 'P', 'C']);
  expect(marks(predictSequence(steps, { ...options, ...engineCacheModel('chromium') }))).toEqual(['P', 'P', 'P']);
  const webkit = predictSequence(steps, { ...options, ...engineCacheModel('webkit') });
  expect(marks(webkit)).toEqual(['P', 'P', 'P']);
  expect(webkit[1]?.steps.map((s) => s.rule)).toContain('cache-replaced');
});

interface ErrorRow {
  readonly title: string;
  readonly run: () => unknown;
  readonly field: string;
  readonly problem: RegExp;
}

const errorRows: readonly ErrorRow[] = [
  { title: 'an empty sequence', run: () => predictSequence([]), field: 'steps', problem: /non-empty list/ },
  { title: 'a time that goes back', run: () => predictSequence(at(5, 4), { server: server('600') }), field: 'steps[1].at', problem: /must not be earlier than the step before \(t=5s\)/ },
  { title: 'a negative time', run: () => predictSequence(at(-1), { server: server('600') }), field: 'steps[0].at', problem: /0 or more/ },
  { title: 'no response anywhere', run: () => predictSequence(at(0), { server: { preflight: allow('600') } }), field: 'steps[0].response', problem: /is required/ },
  { title: 'no preflight answer where one is sent', run: () => predictSequence(at(0, 10), { server: { ...server('5'), preflight: undefined } as SequenceOptions['server'] }), field: 'steps[0].preflight', problem: /a preflight is sent/ },
  { title: 'a bad field of a later step', run: () => predictSequence([...at(0), { at: 1, request: req({ origin: 'app.example' }) }], { server: server('600') }), field: 'steps[1].request.origin', problem: /serialised origin/ },
];

for (const row of errorRows) {
  test(`sequence input error: ${row.title}`, () => {
    let caught: unknown;
    try {
      row.run();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(OracleInputError);
    expect((caught as OracleInputError).field).toBe(row.field);
    expect((caught as OracleInputError).problem).toMatch(row.problem);
  });
}
