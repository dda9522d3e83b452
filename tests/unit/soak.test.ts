import { test, expect } from '@playwright/test';
import { findFlakes, outcomeLine, renderFlakes, type SoakRecord } from '../../scripts/soak-diff.ts';

// The soak's comparison, on records shaped like results.json's: what counts as the same outcome, and what is printed.
function record(project: string, caseId: string, verdict: string, extra: { readable?: string[]; cookies?: string[]; status?: string; sent?: boolean } = {}): SoakRecord {
  return {
    project,
    title: `title of ${caseId}`,
    status: extra.status ?? 'passed',
    case: {
      caseId,
      outcome: {
        verdict,
        preflight: { sent: extra.sent ?? false },
        status: 200,
        readableHeaders: Object.fromEntries((extra.readable ?? []).map((n) => [n, 'v'])),
        cookiesReceived: extra.cookies ?? [],
      },
    },
  };
}

test('the same outcomes in every run are no flake, whatever order the records come in', () => {
  const a = [record('chromium', 'c1', 'allowed', { readable: ['x-b', 'x-a'] }), record('firefox', 'c1', 'allowed')];
  const b = [record('firefox', 'c1', 'allowed'), record('chromium', 'c1', 'allowed', { readable: ['x-a', 'x-b'] })];
  const { flakes, compared } = findFlakes([{ records: a }, { records: b }, { records: a }]);
  expect(flakes).toEqual([]);
  expect(compared).toBe(2);
});

test('a verdict, a preflight, readable headers, cookies or a test status that changes is a flake, printed with both outcomes and their runs', () => {
  const base = [record('webkit', 'c1', 'allowed'), record('webkit', 'c2', 'allowed', { cookies: ['cm_lax'] }), record('webkit', 'c3', 'allowed')];
  const other = [record('webkit', 'c1', 'harness-error'), record('webkit', 'c2', 'allowed', { cookies: [] }), record('webkit', 'c3', 'allowed', { status: 'failed' })];
  const { flakes, compared } = findFlakes([{ records: base }, { records: other }, { records: base }]);
  expect(compared).toBe(3);
  expect(flakes.map((f) => f.key)).toEqual(['webkit|c1', 'webkit|c2', 'webkit|c3']);
  expect(flakes[0]?.outcomes).toEqual([
    { outcome: outcomeLine(base[0]), runs: [1, 3] },
    { outcome: outcomeLine(other[0]), runs: [2] },
  ]);
  const text = renderFlakes(flakes, compared, 3);
  expect(text).toContain('[webkit] title of c1\n      runs 1,3: verdict=allowed preflight=not sent status=200 readable=[] cookies=[] test=passed\n      run 2: verdict=harness-error preflight=not sent status=200 readable=[] cookies=[] test=passed problem=unnamed');
  expect(text).toContain('cookies=[cm_lax]');
  expect(text).toContain('test=failed');
  expect(text).toMatch(/flaky: 3 of 3 case × engine in 3 runs\n$/);
});

test('a case missing from one run is a flake too', () => {
  const { flakes } = findFlakes([{ records: [record('chromium', 'c1', 'allowed')] }, { records: [] }]);
  expect(flakes[0]?.outcomes.map((o) => o.outcome)).toContain('not in this run');
});

test('two harness errors of the same kind are one outcome, whatever their text names (keys, ports)', () => {
  const problem = (text: string): SoakRecord => {
    const r = record('chromium', 'c1', 'harness-error');
    return { ...r, case: { caseId: 'c1', outcome: { ...r.case!.outcome, harnessProblem: text, harnessCode: 'target-unreachable' } } };
  };
  expect(findFlakes([{ records: [problem('did not answer /api/c1-001 on :41234')] }, { records: [problem('did not answer /api/c1-002 on :39001')] }]).flakes).toEqual([]);
});
