import { describeRecord } from '../../lib/format.ts';
import { expect, test as base } from '../../lib/fixture.ts';
import { CASE_RECORD_ATTACHMENT } from '../../lib/report/results.ts';
import { MIDDLEWARE_CASES_BY_SUITE, MIDDLEWARE_SUITES } from '../../scenarios/index.ts';

const test = base.extend({ middlewareSuites: [async ({}, use) => use(MIDDLEWARE_SUITES), { scope: 'worker' }] });

for (const [suite, cases] of MIDDLEWARE_CASES_BY_SUITE) {
  test.describe(`${cases[0]?.family === 'audit' ? 'audit' : 'middleware'} ${suite}`, () => {
    for (const testCase of cases) {
      test(testCase.title, async ({ caseRunner }, testInfo) => {
        const record = await caseRunner.run(testCase);
        testInfo.annotations.push(
          { type: 'engine', description: `${record.engine.name} ${record.engine.version} (${record.engine.build})` },
          { type: 'verdict', description: record.outcome.verdict },
          ...(record.finding ? [{ type: 'finding', description: record.finding }] : []),
        );
        await testInfo.attach(CASE_RECORD_ATTACHMENT, { body: JSON.stringify(record, null, 2), contentType: 'application/json' });
        expect(record.mismatches, describeRecord(record)).toEqual([]);
      });
    }
  });
}
