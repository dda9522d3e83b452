import { judgeCase } from '../../lib/judge/judge-case.ts';
import { ownServerCases } from '../../lib/model/own-server-cases.ts';
import { defineConfig, type OwnServerConfig } from '../../lib/model/own-server-config.ts';
import { expect, test } from '../../lib/playwright/fixture.ts';
import { registerOwnServerCases } from '../../lib/playwright/worker-measurements.ts';
import { CASE_RECORD_ATTACHMENT } from '../../lib/report/results.ts';

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
  const cases = ownServerCases(config).filter((c) => c.from !== 'null');
  registerOwnServerCases(config, cases);
  for (const testCase of cases) {
    const pageOrigin = testCase.target.kind === 'external' ? testCase.target.pageOrigin : '';
    const mixed = pageOrigin.startsWith('https:');
    test(`loopback API: ${testCase.title}`, async ({ measurements }, testInfo) => {
      const record = judgeCase(testCase, await measurements.measurementFor(testCase, testInfo));
      await testInfo.attach(CASE_RECORD_ATTACHMENT, { body: JSON.stringify(record), contentType: 'application/json' });
      if (mixed && record.engine.name === 'webkit') {
        // Measured: WebKitGTK 2.50 sends nothing from an https page to http://localhost or http://127.0.0.1 (mixed
        // content; it does not count loopback as potentially trustworthy), where Chromium and Firefox do: the request
        // never leaves the engine (its console says only "Fetch API cannot load … due to access control checks").
        // The same https page reaches https://localhost, and an http page reaches http://localhost (measured).
        expect(record.ledger).toEqual([]);
        expect(record.outcome.harnessCode).toBe('no-arrival');
        expect(record.outcome.engineError).toBe('TypeError: Load failed');
        return;
      }
      expect(record.outcome.harnessProblem).toBeUndefined();
      expect(record.mismatches).toEqual([]);
      expect(record.ledger.length).toBeGreaterThan(0);
    });
  }
}
