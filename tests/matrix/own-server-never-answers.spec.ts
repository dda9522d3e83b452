import { judgeCase } from '../../lib/judge/judge-case.ts';
import { ownServerCases } from '../../lib/model/own-server-cases.ts';
import { defineConfig } from '../../lib/model/own-server-config.ts';
import { expect, test } from '../../lib/playwright/fixture.ts';
import { registerOwnServerCases } from '../../lib/playwright/worker-measurements.ts';

// A server command that runs but never answers (a dev server stuck compiling): the run waits one ready timeout, not
// one per test, and says once why — the command, the URL it waited for and what the server last wrote — while every
// other case is reported as not measured for that reason. Never a CORS block.
const READY_MS = 3_000;
const stuck = defineConfig({
  target: {
    command: `node -e "console.log('dev server: compiling…'); setInterval(() => {}, 1000)" -- --port {port}`,
    url: 'http://127.0.0.1:{port}/health',
    readyTimeoutMs: READY_MS,
  },
  apiOrigin: 'http://localhost:5199',
  routes: [{ path: '/api/orders', methods: ['GET', 'PUT'] }],
  intent: { origins: ['https://app.example.com'], methods: ['PUT'] },
  attackers: ['https://evil.test'],
});
const cases = ownServerCases(stuck);
registerOwnServerCases(stuck, cases);

test(`a server command that never answers ends the run's ${cases.length} cases within one ready timeout, with one named error`, async ({ measurements }, testInfo) => {
  const started = Date.now();
  const records = [];
  for (const testCase of cases) records.push(judgeCase(testCase, await measurements.measurementFor(testCase, testInfo)));
  // One wait of READY_MS, plus starting the harness's own servers: not one wait per case.
  expect(Date.now() - started).toBeLessThan(READY_MS + 10_000);
  for (const record of records) {
    expect(record.outcome.verdict).toBe('harness-error');
    expect(record.outcome.harnessCode).toBe('target-unreachable');
    expect(record.ledger).toEqual([]);
  }
  const named = records.filter((r) => !r.outcome.harnessProblem?.startsWith('not measured'));
  expect(named).toHaveLength(1);
  const problem = named[0]?.outcome.harnessProblem ?? '';
  expect(problem).toMatch(/did not answer at http:\/\/127\.0\.0\.1:\d+\/health within 3000 ms/);
  expect(problem).toMatch(/the command: node -e .* -- --port \d+/);
  expect(problem).toContain('dev server: compiling…');
  for (const record of records.filter((r) => r !== named[0])) expect(record.outcome.harnessProblem).toContain(`"${named[0]?.title}" gives the command and its last output`);
});
