import { describeRecord } from '../../lib/format.ts';
import { CASE_RECORD_ATTACHMENT } from '../../lib/report/results.ts';
import { expect, test } from '../../lib/fixture.ts';
import { CASES_BY_FAMILY } from '../../scenarios/index.ts';

for (const [family, cases] of CASES_BY_FAMILY) {
  test.describe(family, () => {
    for (const testCase of cases) {
      test(testCase.title, async ({ caseRunner }, testInfo) => {
        const record = await caseRunner.run(testCase);
        const { engine, outcome } = record;
        testInfo.annotations.push(
          { type: 'engine', description: `${engine.name} ${engine.version} (${engine.build})` },
          { type: 'verdict', description: outcome.verdict },
        );
        await testInfo.attach(CASE_RECORD_ATTACHMENT, { body: JSON.stringify(record, null, 2), contentType: 'application/json' });
        expect(record.mismatches, describeRecord(record)).toEqual([]);
      });
    }
  });
}
