// cors.replayIn's pure parts: a recorded request as the case the matrix measures, which records are not replayed and
// why, the headers a script set, and a measured replay judged back into a record the matchers read (harness errors
// never a block). One engine-layer launch that fails, with real servers, names the call and the rule.
import { test, expect } from '@playwright/test';
import type { EngineInfo } from '../../lib/measure/engines/engine.ts';
import type { Measurement } from '../../lib/measure/measurement.ts';
import type { LedgerEntry } from '../../lib/model/ledger.ts';
import type { PageReport } from '../../lib/model/page-report.ts';
import { judgeCase } from '../../lib/judge/judge-case.ts';
import { describeRequest } from '../../lib/e2e/describe.ts';
import { corsMatchers } from '../../lib/e2e/matchers.ts';
import { checkCorsOptions } from '../../lib/e2e/options.ts';
import { reportedRecord, scriptHeaders, type CorsRequestRecord } from '../../lib/e2e/record.ts';
import { checkReplayEngine, replayedRecord, ReplayedRequests, replayPlan, type ReplayCase } from '../../lib/e2e/replay.ts';
import { ReplayEngines } from '../../lib/e2e/replay-engine.ts';

const PAGE = 'http://127.0.0.1:5173';
const API = 'https://api.shop.example';
const WEBKIT: EngineInfo = { name: 'webkit', version: '2.50.6', build: 'system', executable: '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser', protocol: 'webdriver-classic', profile: 'as-shipped' };

function recorded(extra: Partial<CorsRequestRecord> = {}): CorsRequestRecord {
  return {
    url: `${API}/api/orders/7`,
    method: 'PUT',
    initiator: 'fetch',
    pageOrigin: PAGE,
    routed: true,
    preflight: { sent: true, requestMethod: 'PUT', requestHeaders: ['content-type'] },
    verdict: 'blocked-at-preflight',
    credentials: { mode: 'same-origin', from: 'not on the wire; assumed' },
    request: { headers: [{ name: 'content-type', value: 'application/json' }], body: { kind: 'text', text: '{"qty":2}' } },
    readableHeaders: [],
    at: 1,
    ...extra,
  };
}

test.describe('a recorded request as a case', () => {
  test('a fetch keeps its method, the headers the script set, its body and credentials, from the same page to the same URL', () => {
    const { cases, skipped } = replayPlan([recorded({ credentials: { mode: 'include', from: 'the request carried cookies' } })], 'chromium');
    expect(skipped).toEqual([]);
    const [replay] = cases;
    expect(replay?.kind).toBe('fetch');
    expect(replay?.testCase).toMatchObject({
      id: 'e2e-replay-001-put-api-orders-7',
      family: 'e2e-replay',
      request: { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"qty":2}', credentials: 'include', mode: 'cors', redirect: 'follow' },
      target: { kind: 'external', pageOrigin: PAGE, url: `${API}/api/orders/7` },
      expect: { verdict: 'allowed' },
      verdictFrom: 'intent',
    });
    expect(replay?.testCase.request.kind).toBeUndefined();
    expect(replay?.bodyStandIn).toBeUndefined();
  });

  const kinds: [CorsRequestRecord['initiator'], string | undefined, string | null][] = [
    ['xhr', 'xhr', '{"qty":2}'],
    // EventSource: always GET, no script headers, no body.
    ['eventsource', 'event-source', null],
  ];
  for (const [initiator, kind, body] of kinds) {
    test(`an ${initiator} request is made by the runner's ${kind} kind`, () => {
      const [replay] = replayPlan([recorded({ initiator })], 'chromium').cases;
      expect(replay?.testCase.request.kind).toBe(kind);
      expect(replay?.testCase.request.body).toBe(body);
      if (initiator === 'eventsource') expect(replay?.testCase.request.headers).toEqual({});
    });
  }

  const notReplayed: [string, Partial<CorsRequestRecord>, string][] = [
    ['an <img> without crossorigin', { initiator: 'image', verdict: 'not-cors', note: 'sent without an Origin header' }, 'no CORS check to replay: sent without an Origin header'],
    ['a <script> with crossorigin', { initiator: 'script', verdict: 'allowed' }, "the record does not hold the element's crossorigin value"],
    ['a stylesheet', { initiator: 'stylesheet', verdict: 'allowed' }, 'a stylesheet —'],
    ['a request of an unknown kind', { initiator: 'other', verdict: 'allowed' }, 'resource type "other"'],
    ['a request still in flight', { verdict: 'pending' }, 'still in flight when the replay started'],
    ['a request to an origin not routed', { url: 'https://cdn.example/x.json', routed: false, verdict: 'blocked' }, 'https://cdn.example is not one of corsOptions.apiOrigins'],
    ['a request from an opaque origin', { pageOrigin: 'null' }, "the requesting page's origin (null) is not an http(s) origin"],
    ['a replay itself', { replayed: { from: 'chromium', engine: WEBKIT, kind: 'fetch' } }, 'it is itself a replay (in webkit)'],
  ];
  for (const [name, extra, why] of notReplayed) {
    test(`is not replayed, with why: ${name}`, () => {
      const { cases, skipped } = replayPlan([recorded(extra)], 'chromium');
      expect(cases).toEqual([]);
      expect(skipped[0]?.why).toContain(why);
    });
  }

  test('a body Firefox did not give is replaced by a stand-in of the same kind, and the case says so', () => {
    const [replay] = replayPlan([recorded({ request: { headers: [{ name: 'content-type', value: 'application/json' }], body: { kind: 'unknown', bytes: 9, why: 'the engine did not give the body to Playwright' } } })], 'firefox').cases;
    expect(replay?.testCase.request.body).toBe('{}');
    expect(replay?.bodyStandIn).toEqual({ sent: '{}', why: 'the body was not recorded (the engine did not give the body to Playwright, 9 bytes)' });
    const [binary] = replayPlan([recorded({ request: { headers: [], body: { kind: 'binary', bytes: 3 } } })], 'chromium').cases;
    expect(binary?.testCase.request.body).toBe('');
    expect(binary?.bodyStandIn?.why).toContain('binary (3 bytes)');
  });

  test('cases are numbered in record order, skipped ones left out of the count', () => {
    const { cases } = replayPlan([recorded({ method: 'GET', url: `${API}/api/orders` }), recorded({ initiator: 'image', verdict: 'not-cors' }), recorded()], 'chromium');
    expect(cases.map((c) => c.testCase.id)).toEqual(['e2e-replay-001-get-api-orders', 'e2e-replay-002-put-api-orders-7']);
  });
});

test.describe('the headers a script set', () => {
  test("Chromium's report keeps the script's headers and drops the engine's own", () => {
    const reported = { 'sec-ch-ua-platform': '"Linux"', referer: `${PAGE}/`, 'user-agent': 'Mozilla/5.0 HeadlessChrome', 'sec-ch-ua': '"Chromium";v="156"', 'x-token': 'abc', 'content-type': 'application/json', accept: 'application/json' };
    expect(scriptHeaders(reported, 'chromium')).toEqual([
      { name: 'x-token', value: 'abc' },
      { name: 'content-type', value: 'application/json' },
      { name: 'accept', value: 'application/json' },
    ]);
  });

  test("Firefox's whole wire request loses its host, origin, defaults and fetch metadata", () => {
    const reported = { host: 'api.shop.example', 'user-agent': 'Firefox/153.0', accept: '*/*', 'accept-language': 'en-US,en;q=0.9', 'accept-encoding': 'gzip', referer: `${PAGE}/`, 'content-type': 'application/json', 'x-token': 'abc', 'content-length': '7', origin: PAGE, connection: 'keep-alive', 'sec-fetch-mode': 'cors' };
    expect(scriptHeaders(reported, 'firefox')).toEqual([
      { name: 'content-type', value: 'application/json' },
      { name: 'x-token', value: 'abc' },
    ]);
    // An Accept the script set survives.
    expect(scriptHeaders({ accept: 'application/json' }, 'firefox')).toEqual([{ name: 'accept', value: 'application/json' }]);
  });
});

test('the report attachment shows a body by its size and hides credential-like header values; the replay keeps them', () => {
  const record = recorded({ request: { headers: [{ name: 'authorization', value: 'Bearer s3cret' }, { name: 'x-api-key', value: 'k' }, { name: 'content-type', value: 'application/json' }], body: { kind: 'text', text: '{"password":"p"}' } } });
  expect(reportedRecord(record).request).toEqual({
    headers: [
      { name: 'authorization', value: '(hidden in the report)' },
      { name: 'x-api-key', value: '(hidden in the report)' },
      { name: 'content-type', value: 'application/json' },
    ],
    body: { kind: 'text', bytes: 16 },
  });
  expect(JSON.stringify(reportedRecord(record))).not.toContain('s3cret');
  expect(replayPlan([record], 'chromium').cases[0]?.testCase.request).toMatchObject({ headers: { authorization: 'Bearer s3cret' }, body: '{"password":"p"}' });
});

test.describe('the engine a test names', () => {
  test('is one of the matrix engines; anything else names the call and the rule', () => {
    expect(checkReplayEngine('webkit')).toBe('webkit');
    expect(() => checkReplayEngine('safari')).toThrow(`cors.replayIn("safari"): the engine must be one of 'chromium', 'firefox', 'webkit'; Safari's engine is 'webkit' (here WebKitGTK's MiniBrowser)`);
    expect(() => checkReplayEngine(undefined)).toThrow("cors.replayIn(undefined): the engine must be one of 'chromium', 'firefox', 'webkit'");
  });
});

function wire(kind: 'preflight' | 'actual', method: string, status: number, headers: [string, string][], key: string): LedgerEntry {
  return {
    at: 10,
    kind,
    method: kind === 'preflight' ? 'OPTIONS' : method,
    target: API,
    path: `/api/orders/7?cm_case=${key}`,
    origin: PAGE,
    accessControlRequestMethod: kind === 'preflight' ? method : undefined,
    accessControlRequestHeaders: kind === 'preflight' ? 'content-type' : undefined,
    cookies: [],
    handlerRan: kind === 'actual',
    answered: status > 0,
    status,
    responseHeaders: headers.map(([name, value]) => ({ name, value })),
  };
}

/** The replay of `record` measured as given, and judged as the matrix judges its own cases. */
function measured(replay: ReplayCase, report: PageReport, ledger: LedgerEntry[], engineReasons: string[]): CorsRequestRecord {
  const key = `${replay.testCase.id}-1`;
  const measurement: Measurement = {
    caseId: replay.testCase.id,
    key,
    url: `${replay.testCase.target.kind === 'external' ? replay.testCase.target.url : ''}?cm_case=${key}`,
    pageUrl: `${PAGE}/__cm/page`,
    requestOrigin: PAGE,
    engine: WEBKIT,
    report,
    ledger: ledger.map((e) => ({ ...e, path: e.path.replace(/cm_case=.*/, `cm_case=${key}`) })),
    faults: [],
    engineReasons,
    startedAt: 100,
    durationMs: 5,
  };
  return replayedRecord(replay, judgeCase(replay.testCase, measurement), 'chromium', measurement.startedAt);
}

test.describe('a measured replay, judged back into a record', () => {
  const [put] = replayPlan([recorded()], 'chromium').cases;
  const [get] = replayPlan([recorded({ method: 'GET', url: `${API}/api/orders`, preflight: { sent: false }, verdict: 'allowed', request: { headers: [], body: { kind: 'none' } } })], 'chromium').cases;
  if (!put || !get) throw new Error('the plan lost a case');

  test("a preflight that does not list PUT: blocked at the preflight, WebKit's reason without the harness's key, the cause and checked fix", () => {
    const preflight = wire('preflight', 'PUT', 204, [['Access-Control-Allow-Origin', PAGE], ['Access-Control-Allow-Methods', 'GET,POST'], ['Access-Control-Allow-Headers', 'content-type']], 'k');
    const record = measured(put, { kind: 'rejected', name: 'TypeError', message: 'Load failed' }, [preflight], [`console: Method PUT is not allowed by Access-Control-Allow-Methods. (${API}/api/orders/7?cm_case=e2e-replay-001-put-api-orders-7-1)`]);
    expect(record.verdict).toBe('blocked-at-preflight');
    expect(record.replayed).toEqual({ from: 'chromium', engine: WEBKIT, kind: 'fetch' });
    expect(record.url).toBe(`${API}/api/orders/7`);
    expect(record.engineReason).toBe(`console: Method PUT is not allowed by Access-Control-Allow-Methods. (${API}/api/orders/7)`);
    expect(record.preflight).toMatchObject({ sent: true, requestMethod: 'PUT', answer: { status: 204 } });
    expect(record.cause?.fix).toContain('add PUT to Access-Control-Allow-Methods');
    expect(record.cause?.fixChecked).toBe(true);
    const text = describeRequest(record);
    expect(text).toContain(`PUT ${API}/api/orders/7 — fetch from ${PAGE} — in webkit (WebKitGTK 2.50.6, replayed)`);
    expect(text).toContain('replayed: the request chromium recorded, sent again by the matrix');
  });

  test('an allowed answer: the headers the script in WebKit could read', () => {
    const actual = wire('actual', 'GET', 200, [['Access-Control-Allow-Origin', PAGE], ['Access-Control-Expose-Headers', 'X-Total'], ['X-Total', '2'], ['Content-Type', 'application/json']], 'k');
    const record = measured(get, { kind: 'resolved', status: 200, type: 'cors', headers: [['content-type', 'application/json'], ['x-total', '2']], body: '[]' }, [actual], []);
    expect(record.verdict).toBe('allowed');
    expect(record.readableHeaders).toEqual(['content-type', 'x-total']);
    expect(record.preflight.sent).toBe(false);
  });

  test('an engine that died under the replay is a harness error, never a block, and a matcher refuses to judge it', async () => {
    const record = measured(put, { kind: 'harness-error', code: 'engine-crashed', message: 'the engine failed: MiniBrowser is gone (WebKitWebDriver still runs)' }, [], []);
    expect(record.verdict).toBe('harness-error');
    expect(record.harnessProblem).toBe('engine-crashed');
    expect(record.note).toContain('MiniBrowser is gone');
    expect(record.cause).toBeUndefined();
    const replayed = new ReplayedRequests(WEBKIT, 'chromium', [record], []);
    const quick = expect.extend(corsMatchers).configure({ timeout: 200 });
    await expect(quick(replayed.request('PUT', /orders/)).toBeBlockedByCors()).rejects.toThrow("toBeBlockedByCors: cors.replayIn('webkit').request(\"PUT\", /orders/) holds 1 request the harness could not measure (a harness error, never a CORS result)");
    await expect(quick(replayed.request('PUT', /orders/)).not.toBeBlockedByCors()).rejects.toThrow('a harness error, never a CORS result');
    await expect(quick(replayed).toHaveNoCorsErrors()).rejects.toThrow("toHaveNoCorsErrors: cors.replayIn('webkit') holds 1 request the harness could not measure");
  });

  test('a pattern that names only requests the replay did not send says why they were not sent', async () => {
    const image = recorded({ url: `${API}/img/teapot.svg`, method: 'GET', initiator: 'image', preflight: { sent: false }, verdict: 'not-cors', note: 'no crossorigin' });
    const replayed = new ReplayedRequests(WEBKIT, 'chromium', [], replayPlan([image], 'chromium').skipped);
    const quick = expect.extend(corsMatchers).configure({ timeout: 200 });
    await expect(quick(replayed.requests(/teapot/)).toBeAllowed()).rejects.toThrow(`toBeAllowed: cors.replayIn('webkit').requests(/teapot/) names only requests the replay did not send:\n  GET ${API}/img/teapot.svg (image) → not a CORS request: no CORS check to replay: no crossorigin`);
  });
});

test('an engine the engine layer cannot launch fails the replay naming the call and the rule', async () => {
  const engines = new ReplayEngines(checkCorsOptions({ apiOrigins: [API], target: 'http://127.0.0.1:9' }), () => Promise.reject(new Error('webkit is not installed: looked for /usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser')));
  const plan = replayPlan([recorded()], 'chromium');
  try {
    await expect(engines.replay('webkit', plan, 'chromium', "cors.replayIn('webkit')")).rejects.toThrow(
      "cors.replayIn('webkit'): webkit could not be launched through the matrix's engine layer, and a replay needs it running on this machine: webkit is not installed",
    );
  } finally {
    await engines.close();
  }
});
