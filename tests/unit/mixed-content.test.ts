import { test, expect } from '@playwright/test';
import { causeOfRecord, diagnose } from '../../lib/diagnose/index.ts';
import { describeRecord } from '../../lib/judge/failure-text.ts';
import { mismatches } from '../../lib/judge/compare.ts';
import { expectationFor, judgeCase } from '../../lib/judge/judge-case.ts';
import { mixedContentRefusal, refusalOf } from '../../lib/judge/refusals.ts';
import type { CaseOutcome } from '../../lib/judge/outcome.ts';
import { classify } from './classify.ts';
import { beforeSending } from '../../lib/judge/recorded-oracle.ts';
import type { EngineInfo } from '../../lib/measure/engines/engine.ts';
import type { Measurement } from '../../lib/measure/measurement.ts';
import { enginePredictions, intentUnderMixedContent, predictCase, resolveExpectation } from '../../lib/model/case-oracle.ts';
import { declaredDeviationOf } from '../../lib/model/engine-deviations.ts';
import type { Expectation } from '../../lib/model/scenario.ts';
import type { LedgerEntry, ServerFault } from '../../lib/model/ledger.ts';
import { ownServerCases } from '../../lib/model/own-server-cases.ts';
import { defineConfig } from '../../lib/model/own-server-config.ts';
import type { PageReport } from '../../lib/model/page-report.ts';
import type { Policy } from '../../lib/model/policy.ts';
import { mixedContentCheck, OracleInputError, potentiallyTrustworthy, predict, type OracleRequest } from '../../lib/oracle/index.ts';
import type { EngineName } from '../../lib/oracle/vocabulary.ts';

// Mixed content: the oracle's rule (an https page may not fetch an http URL that is not potentially trustworthy), the
// judge's refusal (the evidence that the engine sent nothing), and WebKit's declared deviation for loopback.

test.describe('potentially trustworthy URLs (Secure Contexts)', () => {
  const ROWS: readonly (readonly [string, ReturnType<typeof potentiallyTrustworthy>])[] = [
    ['https://api.example.com/x', 'secure-scheme'],
    ['wss://api.example.com/x', 'secure-scheme'],
    ['http://127.0.0.1:5174/x', 'loopback-address'],
    ['http://127.255.3.4/x', 'loopback-address'],
    ['http://127.1/x', 'loopback-address'],
    ['http://[::1]:8080/x', 'loopback-address'],
    ['http://localhost:5173/x', 'localhost-name'],
    ['http://LOCALHOST/x', 'localhost-name'],
    ['http://localhost./x', 'localhost-name'],
    ['http://api.a.localhost:1/x', 'localhost-name'],
    ['http://128.0.0.1/x', undefined],
    ['http://0.0.0.0/x', undefined],
    ['http://[::2]/x', undefined],
    ['http://localhost.example.com/x', undefined],
    ['http://mylocalhost/x', undefined],
    ['http://api.example.com/x', undefined],
  ];
  for (const [url, because] of ROWS) {
    test(`${url} → ${because ?? 'not potentially trustworthy'}`, () => expect(potentiallyTrustworthy(url)).toBe(because));
  }
});

test.describe('the mixed-content check of one request', () => {
  const ROWS: readonly (readonly [string, string, 'none' | 'blocked' | 'trustworthy'])[] = [
    ['http://app.example.com', 'http://api.example.com/x', 'none'],
    ['http://localhost:3000', 'http://api.example.com/x', 'none'],
    ['https://app.example.com', 'https://api.example.com/x', 'none'],
    ['https://app.example.com', 'http://api.example.com/x', 'blocked'],
    ['https://app.example.com', 'http://localhost:5173/x', 'trustworthy'],
    ['https://app.example.com', 'http://127.0.0.1:5174/x', 'trustworthy'],
    // An opaque origin says nothing of the document's scheme: not judged.
    ['null', 'http://api.example.com/x', 'none'],
  ];
  for (const [page, url, kind] of ROWS) {
    test(`from ${page} to ${url}: ${kind}`, () => {
      const check = mixedContentCheck(page, url);
      expect(check.kind).toBe(kind);
      if (check.kind === 'blocked') expect(check.step).toMatchObject({ stage: 'mixed content', rule: 'mixed-content-blocked', outcome: 'fail' });
      if (check.kind === 'trustworthy') expect(check.step).toMatchObject({ stage: 'mixed content', rule: 'mixed-content-loopback-trustworthy', outcome: 'pass' });
    });
  }
});

test.describe('the oracle with the mixed-content check', () => {
  const request = (origin: string, url: string, method = 'GET'): OracleRequest => ({ origin, url, method, headers: [], credentials: 'omit', mode: 'cors' });
  const allowAny = { status: 200, headers: [['Access-Control-Allow-Origin', '*']] as [string, string][] };

  test('an https page to a public http URL is blocked before sending: no preflight, nothing reaches the server', () => {
    const p = predict({ request: request('https://app.example.com', 'http://api.example.com/x', 'PUT'), response: allowAny, checkMixedContent: true });
    expect([p.verdict, p.preflightSent, p.reachedServer, p.readable, p.responseType]).toEqual(['blocked-before-sending', false, false, false, 'error']);
    expect(p.reasons[0]).toMatch(/^mixed content: the page is on https \(https:\/\/app\.example\.com\) and the URL is http on api\.example\.com, which is not potentially trustworthy: .* \[Mixed Content, "Should fetching request be blocked as mixed content\?"\]$/);
  });

  test('an https page to a loopback http URL goes on to the CORS steps, with the step a deviation can name', () => {
    const p = predict({ request: request('https://app.example.com', 'http://localhost:5173/x'), response: allowAny, checkMixedContent: true });
    expect(p.verdict).toBe('allowed');
    expect(p.steps.filter((s) => s.stage === 'mixed content').map((s) => s.rule)).toEqual(['mixed-content-loopback-trustworthy']);
  });

  test('without the check (the default, as on recorded answers) the same request is judged by the CORS steps alone', () => {
    const p = predict({ request: request('https://app.example.com', 'http://api.example.com/x'), response: { status: 200, headers: [] } });
    expect(p.verdict).toBe('blocked-at-response');
    expect(p.steps.some((s) => s.stage === 'mixed content')).toBe(false);
  });

  test('a redirect from https to a public http URL fails after the first answer, not before sending', () => {
    const p = predict({
      request: request('https://app.example.com', 'https://api.example.com/x'),
      redirects: [{ response: { status: 302, headers: [['Access-Control-Allow-Origin', '*'], ['Location', 'http://cdn.example.com/x']] } }],
      response: allowAny,
      checkMixedContent: true,
    });
    expect([p.verdict, p.hops?.map((h) => h.reachedServer)]).toEqual(['blocked-at-response', [true, false]]);
  });

  test('the input is still checked first: a bad origin is an input error, not a block', () => {
    expect(() => predict({ request: request('https://app.example.com/', 'http://api.example.com/x'), response: allowAny, checkMixedContent: true })).toThrow(OracleInputError);
  });
});

const REJECTED: PageReport = { kind: 'rejected', name: 'TypeError', message: 'Load failed' };
const WEBKIT_SAID = 'console: [blocked] The page at https://app.example.com/__cm/page requested insecure content from http://localhost:5173/api/source?cm_case=k-1. This content was blocked and must';
const ARRIVED = { kind: 'actual', method: 'GET', status: 200, answered: true } as LedgerEntry;
const FAULT: ServerFault = { at: 1, message: 'your server at http://localhost:5173 did not answer', key: 'k-1', code: 'target-unreachable' };

test.describe('a refusal needs all of its evidence', () => {
  const HTTPS_TO_LOOPBACK = { origin: 'https://app.example.com', url: 'http://localhost:5173/api/source?cm_case=k-1' };
  const ROWS: readonly { name: string; report?: PageReport; ledger?: readonly LedgerEntry[]; faults?: readonly ServerFault[]; request?: { origin: string; url: string }; reasons?: readonly string[]; refusal: object | undefined }[] = [
    { name: 'https page, http loopback URL, TypeError, nothing arrived, the engine named it', reasons: [WEBKIT_SAID], refusal: { kind: 'mixed-content', pageOrigin: HTTPS_TO_LOOPBACK.origin, requestUrl: HTTPS_TO_LOOPBACK.url, standard: 'potentially-trustworthy', engineReason: WEBKIT_SAID } },
    // From a sandboxed frame WebKit says only this of the URL: its words about that URL are kept as the refusal's.
    { name: 'the same when the engine only names the URL', reasons: ['console: Fetch API cannot load http://localhost:5173/api/source?cm_case=k-1 due to access control checks.'], refusal: { kind: 'mixed-content', pageOrigin: HTTPS_TO_LOOPBACK.origin, requestUrl: HTTPS_TO_LOOPBACK.url, standard: 'potentially-trustworthy', engineReason: 'console: Fetch API cannot load http://localhost:5173/api/source?cm_case=k-1 due to access control checks.' } },
    { name: 'the same without the engine\'s words (only words about another URL)', reasons: ['console: Fetch API cannot load http://localhost:9999/other due to access control checks.'], refusal: { kind: 'mixed-content', pageOrigin: HTTPS_TO_LOOPBACK.origin, requestUrl: HTTPS_TO_LOOPBACK.url, standard: 'potentially-trustworthy' } },
    { name: 'a public http URL: the standard blocks it too', request: { origin: 'https://app.example.com', url: 'http://api.example.test/x' }, reasons: ["console: Mixed Content: The page at 'https://app.example.com/' was loaded over HTTPS, but requested an insecure resource 'http://api.example.test/x'. This request has been blocked; the content must be served over HTTPS."], refusal: { kind: 'mixed-content', pageOrigin: 'https://app.example.com', requestUrl: 'http://api.example.test/x', standard: 'mixed-content', engineReason: "console: Mixed Content: The page at 'https://app.example.com/' was loaded over HTTPS, but requested an insecure resource 'http://api.example.test/x'. This request has been blocked; the content must be served over HTTPS." } },
    { name: 'Firefox\'s words are read too', request: { origin: 'https://app.example.com', url: 'http://api.example.test/x' }, reasons: ['console: Blocked loading mixed active content “http://api.example.test/x”'], refusal: { kind: 'mixed-content', pageOrigin: 'https://app.example.com', requestUrl: 'http://api.example.test/x', standard: 'mixed-content', engineReason: 'console: Blocked loading mixed active content “http://api.example.test/x”' } },
    { name: 'something arrived', ledger: [ARRIVED], refusal: undefined },
    { name: 'the front proxy saw it (a fault for the case)', faults: [FAULT], refusal: undefined },
    { name: 'the fetch resolved', report: { kind: 'resolved', status: 200, type: 'cors', headers: [], body: '' }, refusal: undefined },
    { name: 'the fetch failed with something else than a network error', report: { kind: 'rejected', name: 'AbortError', message: 'aborted' }, refusal: undefined },
    { name: 'an http page', request: { origin: 'http://localhost:3000', url: HTTPS_TO_LOOPBACK.url }, refusal: undefined },
    { name: 'an https URL', request: { origin: 'https://app.example.com', url: 'https://localhost:5173/x' }, refusal: undefined },
    { name: 'an opaque origin', request: { origin: 'null', url: HTTPS_TO_LOOPBACK.url }, refusal: undefined },
  ];
  for (const row of ROWS) {
    test(row.name, () => {
      // The evidence that nothing was sent is refusalOf's to hold; what makes it mixed content is mixedContentRefusal's.
      const request = row.request ?? HTTPS_TO_LOOPBACK;
      // What the standard says of the request before sending is the oracle's, asked once by the caller (judgeCase, classify).
      const standard = beforeSending(request.origin, request.url);
      expect(refusalOf(row.report ?? REJECTED, row.ledger ?? [], row.faults ?? [], standard, row.reasons ?? [])).toEqual(row.refusal);
      if (row.report === undefined && row.ledger === undefined && row.faults === undefined) expect(mixedContentRefusal(standard, row.reasons ?? [])).toEqual(row.refusal);
    });
  }

  test('classify: the refusal is blocked-before-sending, and the same failure from an http page stays a harness error', () => {
    const context = (origin: string) => ({ request: { origin, url: HTTPS_TO_LOOPBACK.url, method: 'GET', headers: [], credentials: 'omit', mode: 'cors' } as OracleRequest, engineReasons: [WEBKIT_SAID] });
    const refused = classify(REJECTED, [], [], context('https://app.example.com'));
    expect([refused.verdict, refused.harnessCode, refused.refusal?.standard, refused.refusal?.engineReason, refused.reachedServer, refused.preflight.sent]).toEqual(['blocked-before-sending', undefined, 'potentially-trustworthy', WEBKIT_SAID, false, false]);
    const unreached = classify(REJECTED, [], [], context('http://localhost:3000'));
    expect([unreached.verdict, unreached.harnessCode, unreached.refusal]).toEqual(['harness-error', 'no-arrival', undefined]);
    // A fault the front proxy recorded (your server down) is the harness's, whatever the page's scheme.
    expect(classify(REJECTED, [], [FAULT], context('https://app.example.com')).harnessCode).toBe('target-unreachable');
  });
});

test.describe("an intent's expectation under mixed content", () => {
  const ALLOWED: Expectation = { verdict: 'allowed', readable: ['X-Total'], hidden: ['X-Internal'] };
  const REFUSED: Expectation = { verdict: 'blocked-at-preflight', preflight: true };
  const loopback = { pageOrigin: 'https://app.example.com', url: 'http://127.0.0.1:5174/api' };
  const publicHttp = { pageOrigin: 'https://app.example.com', url: 'http://api.example.test/api' };
  const laid = (expect: Expectation, where: typeof loopback, engine: EngineName) => expectationFor(intentUnderMixedContent(expect, where), engine);
  const outcome = (verdict: CaseOutcome['verdict'], extra: Partial<CaseOutcome> = {}): CaseOutcome => ({ verdict, preflight: { sent: false }, reachedServer: false, handlerRan: false, readable: false, readableHeaders: {}, cookiesReceived: [], ...extra });

  test('WebKit, loopback: the declared deviation expects blocked-before-sending, with its source and evidence', () => {
    const expected = laid(ALLOWED, loopback, 'webkit');
    expect(expected).toEqual({ verdict: 'blocked-before-sending', preflight: false, hidden: ['X-Internal'], source: 'known-engine-deviation', because: expect.stringContaining('WebKit bug 171934') });
    expect(declaredDeviationOf('webkit', expected.because)?.rule).toBe('mixed-content-loopback-trustworthy');
    expect(mismatches(expected, outcome('blocked-before-sending'))).toEqual([]);
    // Red: a WebKit that sends it (the deviation fixed) fails, and says how.
    expect(mismatches(expected, outcome('allowed', { readable: true }))).toEqual(['verdict: expected blocked-before-sending, got allowed']);
  });

  for (const engine of ['chromium', 'firefox'] satisfies EngineName[]) {
    test(`${engine}, loopback: the intent stands, and a refusal would fail`, () => {
      const expected = laid(ALLOWED, loopback, engine);
      expect([expected, declaredDeviationOf(engine, expected.because)]).toEqual([ALLOWED, undefined]);
      expect(mismatches(expected, outcome('blocked-before-sending'))).toContain('verdict: expected allowed, got blocked-before-sending');
    });
  }

  test('a verdict the case states for the engine wins over the deviation', () => {
    const stated: Expectation = { ...ALLOWED, engines: { webkit: { verdict: 'allowed', because: 'finding: stated' } } };
    expect(laid(stated, loopback, 'webkit')).toEqual({ ...ALLOWED, because: 'finding: stated' });
  });

  test('a public http URL: what the intent refuses is refused before sending in every engine; what it lets read still fails', () => {
    for (const engine of ['chromium', 'firefox', 'webkit'] satisfies EngineName[]) {
      const refused = laid(REFUSED, publicHttp, engine);
      expect(refused).toEqual({ verdict: 'blocked-before-sending', preflight: false, because: expect.stringMatching(/^mixed content|^the page is on https/) });
      expect(declaredDeviationOf(engine, refused.because)).toBeUndefined();
      expect(laid(ALLOWED, publicHttp, engine)).toEqual(ALLOWED);
    }
  });

  test('the oracle path: a scenario case from the https page to an http localhost origin expects the deviation in WebKit only', () => {
    const policy: Policy = { allowOrigin: { list: ['https'] }, allowMethods: ['PUT'] };
    const prediction = predictCase({ from: 'https', to: 'cross-site', request: { method: 'PUT' }, policy });
    if (prediction instanceof Error) throw prediction;
    expect([prediction.verdict, prediction.preflightSent]).toEqual(['allowed', true]);
    expect(prediction.steps.some((s) => s.rule === 'mixed-content-loopback-trustworthy')).toBe(true);
    const input = { from: 'https', to: 'cross-site', request: { method: 'PUT' }, policy } as const;
    const resolved = resolveExpectation({}, prediction, policy, enginePredictions(input, prediction));
    expect(resolved.engines?.webkit).toMatchObject({ verdict: 'blocked-before-sending', preflight: false, source: 'known-engine-deviation' });
    expect([resolved.engines?.chromium, resolved.engines?.firefox]).toEqual([undefined, undefined]);
  });
});

test.describe('judged end to end, with the diagnosis', () => {
  const engine = (name: EngineName): EngineInfo => ({ name, version: '1', build: 'system', executable: '/bin/x', protocol: 'playwright', profile: 'as-shipped' });
  const casesFor = (apiOrigin: string) =>
    ownServerCases(
      defineConfig({
        target: { command: 'node api.mjs --port {port}', url: 'http://127.0.0.1:{port}/health' },
        apiOrigin,
        routes: [{ path: '/api/source', methods: ['GET'] }],
        intent: { origins: ['https://app.example.com'] },
        attackers: ['https://evil.test'],
      }),
    );
  const measure = (c: ReturnType<typeof casesFor>[number], name: EngineName, reasons: readonly string[] = []): Measurement => {
    const target = c.target.kind === 'external' ? c.target : undefined;
    if (!target) throw new Error('an own-server case has an external target');
    return { caseId: c.id, key: 'k-1', url: `${target.url}?cm_case=k-1`, pageUrl: `${target.pageOrigin}/__cm/page`, requestOrigin: target.pageOrigin, engine: engine(name), report: REJECTED, ledger: [], faults: [], engineReasons: reasons, startedAt: 0, durationMs: 5 };
  };

  test('WebKit refusing a loopback API passes with the deviation noted; Chromium refusing it fails', () => {
    const [read] = casesFor('http://localhost:5173').filter((c) => c.probe === 'simple-read' && c.target.kind === 'external' && c.target.pageOrigin === 'https://app.example.com');
    if (!read) throw new Error('no simple-read case');
    const webkit = judgeCase(read, measure(read, 'webkit', [WEBKIT_SAID]));
    expect([webkit.outcome.verdict, webkit.mismatches, webkit.expected.source]).toEqual(['blocked-before-sending', [], 'known-engine-deviation']);
    expect(webkit.oracleNote).toBe('measured blocked-before-sending where the standard sends the request (mixed content rule "mixed-content-loopback-trustworthy"): a known engine deviation, WebKit bug 171934, https://bugs.webkit.org/show_bug.cgi?id=171934');
    expect(causeOfRecord(webkit)).toBeUndefined();
    const chromium = judgeCase(read, measure(read, 'chromium'));
    expect(chromium.mismatches).toEqual(['verdict: expected allowed, got blocked-before-sending']);
    expect(causeOfRecord(chromium)).toMatchObject({ kind: 'blocked-as-mixed-content', detail: expect.stringContaining('this engine refuses it anyway') });
    // The failure text says what the engine did, and where a refusal's own words are, they are the reason shown.
    const text = describeRecord(chromium, causeOfRecord(chromium)).split('\n');
    expect(text).toContain("actual:   blocked-before-sending — the engine refused to send it as mixed content (https page https://app.example.com, http URL); nothing reached the server; the standard counts the URL potentially trustworthy and sends it: the engine's own refusal");
    expect(text).toContain('ledger:   (nothing arrived)');
    expect(describeRecord(webkit, causeOfRecord(webkit)).split('\n')).toContain(`engine's reason: ${WEBKIT_SAID}`);
  });

  test('a public http API from the https page: the intended read fails with the mixed-content cause, the attacker passes refused', () => {
    const cases = casesFor('http://api.example.test');
    const intended = cases.find((c) => c.probe === 'simple-read' && c.target.kind === 'external' && c.target.pageOrigin === 'https://app.example.com');
    const attacker = cases.find((c) => c.probe === 'simple-read' && c.target.kind === 'external' && c.target.pageOrigin === 'https://evil.test');
    if (!intended || !attacker) throw new Error('cases missing');
    for (const name of ['chromium', 'firefox', 'webkit'] satisfies EngineName[]) {
      const record = judgeCase(intended, measure(intended, name));
      expect(record.outcome.refusal?.standard).toBe('mixed-content');
      expect(record.mismatches).toEqual(['verdict: expected allowed, got blocked-before-sending']);
      expect(causeOfRecord(record)?.summary).toBe('blocked as mixed content before sending: the https page https://app.example.com may not fetch http://api.example.test over http; serve the API over https, or reach it from an http page');
      expect(judgeCase(attacker, measure(attacker, name)).mismatches).toEqual([]);
    }
  });

  test("a fix's check does not count a request the engine never sent as one the fix would open", () => {
    const attacker = casesFor('http://localhost:5173').find((c) => c.probe === 'simple-read' && c.target.kind === 'external' && c.target.pageOrigin === 'https://evil.test');
    if (!attacker) throw new Error('no attacker case');
    const read: LedgerEntry = {
      at: 1, kind: 'actual', method: 'GET', target: 'http://localhost:5173', path: '/api/source?cm_case=k-1', origin: 'https://evil.test',
      accessControlRequestMethod: undefined, accessControlRequestHeaders: undefined, cookies: [], handlerRan: true, answered: true, status: 200,
      responseHeaders: [{ name: 'Access-Control-Allow-Origin', value: '*' }],
    };
    const chromium = judgeCase(attacker, { ...measure(attacker, 'chromium'), report: { kind: 'resolved', status: 200, type: 'cors', headers: [], body: '' }, ledger: [read] });
    const webkit = judgeCase(attacker, measure(attacker, 'webkit', [WEBKIT_SAID]));
    expect([chromium.outcome.verdict, chromium.mismatches.length, webkit.outcome.verdict, webkit.mismatches]).toEqual(['allowed', 1, 'blocked-before-sending', []]);
    const [cause, ...others] = diagnose([{ project: 'chromium', case: chromium }, { project: 'webkit', case: webkit }]);
    expect(others).toEqual([]);
    expect(cause).toMatchObject({ kind: 'origin-accepted', check: { passed: true, outsidersChecked: 1 } });
  });
});
