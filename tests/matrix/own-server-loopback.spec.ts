import { judgeCase } from '../../lib/judge/judge-case.ts';
import { ownServerCases } from '../../lib/model/own-server-cases.ts';
import { defineConfig, type OwnServerConfig } from '../../lib/model/own-server-config.ts';
import { expect, test } from '../../lib/playwright/fixture.ts';
import { registerOwnServerCases } from '../../lib/playwright/worker-measurements.ts';
import { CASE_RECORD_ATTACHMENT } from '../../lib/report/results.ts';
import { CASE_ANNOTATION } from '../../lib/playwright/run-selection.ts';

// A dev server's API on loopback, the way developers run one: a real server bound to `localhost` (and one bound to
// 127.0.0.1) on a port the harness picks, with `{port}` in its command. Browsers call it as http://localhost:5173 and
// http://127.0.0.1:5174, from an https site, from another port of localhost and from an attacker. Every engine goes
// through the front proxy for loopback too (Firefox needs network.proxy.allow_hijacking_localhost), and the proxy
// tells the API from a page on the same host name by its port.
const devApi = (host: string, apiOrigin: string, pages: readonly string[]): OwnServerConfig =>
  defineConfig({
    target: {
      command: 'node tests/fixtures/loopback/dev-api.mjs --port {port}',
      url: `http://${host}:{port}/health`,
      env: { HOST: host, ALLOW_ORIGINS: pages.join(',') },
    },
    apiOrigin,
    routes: [{ path: '/api/source', methods: ['GET', 'PUT'] }],
    intent: { origins: [...pages], methods: ['PUT'], credentials: true },
    attackers: ['https://evil.test'],
  });

const configs = [
  devApi('localhost', 'http://localhost:5173', ['https://app.example.com', 'http://localhost:3000']),
  devApi('127.0.0.1', 'http://127.0.0.1:5174', ['https://app.example.com', 'http://127.0.0.1:3000']),
];

for (const config of configs) {
  // The sandboxed (null-origin) frame is hosted by the first page origin, the https one: judged by that page.
  const cases = ownServerCases(config);
  registerOwnServerCases(config, cases);
  for (const testCase of cases) {
    const pageOrigin = testCase.target.kind === 'external' ? testCase.target.pageOrigin : '';
    const mixed = pageOrigin.startsWith('https:');
    // The case annotation puts the case in the run's selection, so the worker measures all of them in one batch.
    test(`loopback API: ${testCase.title}`, { annotation: { type: CASE_ANNOTATION, description: testCase.id } }, async ({ measurements }, testInfo) => {
      const record = judgeCase(testCase, await measurements.measurementFor(testCase, testInfo));
      await testInfo.attach(CASE_RECORD_ATTACHMENT, { body: JSON.stringify(record), contentType: 'application/json' });
      if (mixed && record.engine.name === 'webkit') {
        // Measured: WebKitGTK 2.50 sends nothing from an https page to http://localhost or http://127.0.0.1, where
        // Chromium and Firefox do (loopback is potentially trustworthy, so not mixed content): WebKit's own refusal
        // (WebKit bug 171934), recorded as what the engine does and held to its declared deviation. The same https page
        // reaches https://localhost, and an http page reaches http://localhost (the cases from http://…:3000 below).
        expect(record.ledger).toEqual([]);
        expect(record.outcome.verdict).toBe('blocked-before-sending');
        expect(record.outcome.harnessCode).toBeUndefined();
        const { engineReason, ...refusal } = record.outcome.refusal ?? {};
        expect(refusal).toEqual({ kind: 'mixed-content', pageOrigin, requestUrl: record.url, standard: 'potentially-trustworthy' });
        if (testCase.from === 'null') {
          // A sandboxed (null-origin) frame of the https page is refused the same way, judged by the page that made it.
          // WebKit's words there, when it says any in time (not always from the frame), are only that the fetch
          // "cannot load … due to access control checks".
          if (engineReason !== undefined) expect(engineReason).toMatch(/^console: Fetch API cannot load http:\/\/(localhost|127\.0\.0\.1):\d+\/api\/source\?\S+ due to access control checks\.$/);
        } else {
          expect(engineReason).toMatch(/^console: \[blocked\] The page at https:\/\/\S+ requested insecure content from http:\/\/(localhost|127\.0\.0\.1):\d+\/api\/source\?/);
        }
        expect(record.expected).toMatchObject({ verdict: 'blocked-before-sending', preflight: false, source: 'known-engine-deviation' });
        expect(record.expected.because).toContain('WebKit bug 171934');
        expect(record.oracleNote).toMatch(/^measured blocked-before-sending where the standard sends the request \(mixed content rule "mixed-content-loopback-trustworthy"\): a known engine deviation, WebKit bug 171934/);
        expect(record.mismatches).toEqual([]);
        return;
      }
      expect(record.outcome.harnessProblem).toBeUndefined();
      expect(record.outcome.refusal).toBeUndefined();
      expect(record.mismatches).toEqual([]);
      expect(record.ledger.length).toBeGreaterThan(0);
    });
  }
}
