import { expect, test } from '@playwright/test';
import type { WptSubtest } from '../../lib/model/scenario.ts';
import { wptCounts, wptSummaryLines, type WptCountable } from '../../lib/report/wpt-summary.ts';

const SUBTESTS: Readonly<Record<string, WptSubtest>> = {
  a: { file: 'cors-basic.any.js', subtest: 'A', outcome: 'resolves' },
  b: { file: 'cors-basic.any.js', subtest: 'B', outcome: 'TypeError' },
  c: { file: 'cors-preflight.any.js', subtest: 'C', outcome: 'TypeError' },
};
const record = (project: string, caseId: string, status: WptCountable['status'], deviated = false): WptCountable => ({
  project,
  status,
  case: { caseId, expected: deviated ? { source: 'known-engine-deviation' } : {} },
});

test('a row passed through a declared deviation is a WPT failure; a failed row too; skipped and non-WPT rows are not counted', () => {
  const records = [
    record('chromium', 'a', 'passed'),
    record('chromium', 'b', 'failed'),
    record('chromium', 'c', 'passed', true),
    record('firefox', 'a', 'passed'),
    record('firefox', 'b', 'skipped'),
    record('firefox', 'other-family-case', 'passed'),
  ];
  const counts = wptCounts(records, (id) => SUBTESTS[id]);
  expect(counts).toEqual([
    { project: 'chromium', file: 'cors-basic.any.js', passed: 1, total: 2 },
    { project: 'chromium', file: 'cors-preflight.any.js', passed: 0, total: 1 },
    { project: 'firefox', file: 'cors-basic.any.js', passed: 1, total: 1 },
  ]);
  expect(wptSummaryLines(counts)).toEqual([
    'WPT fetch/api/cors: chromium cors-basic.any.js 1/2, chromium cors-preflight.any.js 0/1',
    'WPT fetch/api/cors: firefox cors-basic.any.js 1/1',
  ]);
});
