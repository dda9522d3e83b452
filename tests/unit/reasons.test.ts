import { test, expect } from '@playwright/test';
import { readRecords, reasonShares, renderReasonShares, type ReasonRecord } from '../../scripts/reasons.ts';

// `npm run reasons`: per engine column, the share of blocked records whose engine named a CORS reason of its own.
function record(project: string, caseId: string, verdict: string, engineReasons: string[], unavailable?: string): ReasonRecord {
  return {
    project,
    title: `title of ${caseId}`,
    case: { caseId, outcome: { verdict }, engineReasons, ...(unavailable !== undefined && { engineReasonsUnavailable: unavailable }) },
  };
}

const FIXTURE: ReasonRecord[] = [
  record('chromium', 'c1', 'blocked-at-response', ['devtools: corsErrorStatus MissingAllowOriginHeader for http://b.localhost/api/c1-1']),
  record('chromium', 'c2', 'blocked-at-preflight', []),
  record('chromium', 'c3', 'allowed', []),
  record('chromium', 'c4', 'harness-error', []),
  { project: 'chromium', title: 'not measured' },
  // "CORS request did not succeed" is Firefox's network failure, not a failed CORS check.
  record('firefox', 'c1', 'blocked-at-response', ['console: Cross-Origin Request Blocked: … (Reason: CORS request did not succeed). Status code: (null).']),
  record('firefox', 'c2', 'blocked-at-preflight', ["console: Cross-Origin Request Blocked: … (Reason: CORS preflight response did not succeed). Status code: 500."]),
  record('webkit', 'c1', 'blocked-at-response', [
    'console: Fetch API cannot load http://b.localhost/api/c1-1 due to access control checks.',
    'console: Failed to load resource: Origin http://a.localhost is not allowed by Access-Control-Allow-Origin. Status code: 200',
  ]),
  record('webkit', 'c2', 'blocked-at-preflight', ['console: Failed to load resource: Preflight response is not successful. Status code: 500']),
  record('webkit-remote', 'c1', 'blocked-at-response', [], 'WebKitGTK gives no reason here: remote'),
  record('webkit-remote', 'c3', 'allowed', []),
];

test('counts only blocked records, and only reasons that name a failed CORS check, per project in order of appearance', () => {
  const shares = reasonShares(FIXTURE);
  expect(shares.map((s) => [s.project, s.blocked, s.withReason, s.percent])).toEqual([
    ['chromium', 2, 1, 50],
    ['firefox', 2, 1, 50],
    ['webkit', 2, 2, 100],
    ['webkit-remote', 1, 0, 0],
  ]);
  expect(shares[0]?.without).toEqual([{ caseId: 'c2', said: 'nothing' }]);
  expect(shares[1]?.without[0]?.caseId).toBe('c1');
  expect(shares[3]?.without).toEqual([{ caseId: 'c1', said: 'WebKitGTK gives no reason here: remote' }]);
});

test('a project without blocks has no share, and the table says so', () => {
  const shares = reasonShares([record('chromium', 'c3', 'allowed', [])]);
  expect(shares).toEqual([{ project: 'chromium', blocked: 0, withReason: 0, percent: undefined, without: [] }]);
  expect(renderReasonShares(shares)).toContain('no blocks');
});

test('the table prints each share and lists the blocks without a reason', () => {
  const text = renderReasonShares(reasonShares(FIXTURE), 1);
  expect(text).toMatch(/^webkit +2  2 \(100\.0 %\)$/m);
  expect(text).toMatch(/^chromium +2  1 \(50\.0 %\)$/m);
  expect(text).toContain('chromium: 1 blocked without a CORS reason from the engine\n  c2: nothing');
});

test('bad input names the file, the field and the rule', () => {
  expect(() => readRecords('r.json', '{')).toThrow(/^r\.json: the file must be JSON/);
  expect(() => readRecords('r.json', '{"schema":"other","records":[]}')).toThrow("r.json: `schema` must be 'cors-matrix/results'");
  expect(() => readRecords('r.json', '{"schema":"cors-matrix/results","records":[{"project":"x","case":{"outcome":{"verdict":"allowed"},"engineReasons":[1]}}]}')).toThrow(
    'r.json: records[0].case.engineReasons must be an array of strings',
  );
  expect(readRecords('r.json', JSON.stringify({ schema: 'cors-matrix/results', records: FIXTURE }))).toHaveLength(FIXTURE.length);
});
