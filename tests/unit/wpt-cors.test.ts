import { expect, test } from '@playwright/test';
import { loadCases } from '../../lib/model/load-cases.ts';
import wptCors from '../../scenarios/wpt-cors.ts';

// The wpt-cors family leaves each verdict to the oracle: here the oracle is held to WPT's outcome on every row, so a
// row whose default expectation is not what WPT asserts fails here, not silently in the matrix.
const cases = loadCases([wptCors]);

test('every wpt-cors row names its WPT file and subtest, once', () => {
  const names = cases.map((c) => `${c.wpt?.file ?? ''} ${c.wpt?.subtest ?? ''}`);
  expect(cases.every((c) => c.wpt !== undefined)).toBe(true);
  expect(new Set(names).size).toBe(names.length);
  expect(cases.length).toBeLessThanOrEqual(120);
});

test("the oracle's verdict is WPT's outcome on every wpt-cors row", () => {
  const disagreeing = cases
    .filter((c) => (c.expect.verdict === 'allowed') !== (c.wpt?.outcome === 'resolves') || !/^(allowed|blocked-at-preflight|blocked-at-response)$/.test(c.expect.verdict))
    .map((c) => `${c.wpt?.file}: ${c.wpt?.subtest} — WPT ${c.wpt?.outcome}, oracle ${c.expect.verdict}`);
  expect(disagreeing).toEqual([]);
});
