import { judgeCase } from '../../lib/judge/judge-case.ts';
import { ownServerCases } from '../../lib/model/own-server-cases.ts';
import { defineConfig } from '../../lib/model/own-server-config.ts';
import { expect, test } from '../../lib/playwright/fixture.ts';
import { registerOwnServerCases } from '../../lib/playwright/worker-measurements.ts';
import { CASE_RECORD_ATTACHMENT } from '../../lib/report/results.ts';
import { CASE_ANNOTATION } from '../../lib/playwright/run-selection.ts';

// Nothing listens on the discard port: a server that does not answer must come out as a harness error that says
// so, never as a CORS block.
const down = defineConfig({
  target: { url: 'http://127.0.0.1:9/' },
  routes: [{ path: '/api/orders', methods: ['GET', 'PUT'] }],
  intent: { origins: ['https://app.example.com'], methods: ['PUT'] },
});
const cases = ownServerCases(down).filter((c) => c.from !== 'null').slice(0, 3);
registerOwnServerCases(down, cases);

for (const testCase of cases) {
  test(`own server down: ${testCase.title} → harness error`, { annotation: { type: CASE_ANNOTATION, description: testCase.id } }, async ({ measurements }, testInfo) => {
    const record = judgeCase(testCase, await measurements.measurementFor(testCase, testInfo));
    await testInfo.attach(CASE_RECORD_ATTACHMENT, { body: JSON.stringify(record), contentType: 'application/json' });
    expect(record.outcome.verdict).toBe('harness-error');
    expect(record.outcome.harnessProblem).toContain('did not answer');
  });
}
