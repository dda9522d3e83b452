import { test, expect } from '@playwright/test';
import { readRecords, reasonShares, renderReasonShares, type ReasonRecord } from '../../scripts/reasons.ts';

// `npm run reasons`: per engine column, the share of blocked records whose engine named a CORS reason of its own.
function record(project: string, caseId: string, verdict: string, engineReasons: string[], unavailable?: string, block?: NonNullable<ReasonRecord['case']>['outcome']['block']): ReasonRecord {
  return {
    project,
    title: `title of ${caseId}`,
    case: { caseId, outcome: { verdict, ...(block && { block }) }, engineReasons, ...(unavailable !== undefined && { engineReasonsUnavailable: unavailable }) },
  };
}

const DID_NOT_SUCCEED = 'console: Cross-Origin Request Blocked: … (Reason: CORS request did not succeed). Status code: (null).';

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
  // The same words where the wire shows the engine refused a redirect the server answered in full: the engine's own
  // confirmation, counted apart. And a block by redirect mode "error", which is no CORS check: out of the share.
  record('firefox', 'c5', 'blocked-at-response', [DID_NOT_SUCCEED], undefined, { oracleRule: 'redirect-location-credentials', engineRefusal: { kind: 'redirect-not-followed' } }),
  record('firefox', 'c6', 'blocked-at-response', [], undefined, { oracleRule: 'redirect-mode-error' }),
];

test('counts only CORS blocks, confirmed by a reason that names a failed CORS check or by a refusal the wire shows, per project in order of appearance', () => {
  const shares = reasonShares(FIXTURE);
  expect(shares.map((s) => [s.project, s.blocked, s.withReason, s.percent])).toEqual([
    ['chromium', 2, 1, 50],
    ['firefox', 3, 2, (100 * 2) / 3],
    ['webkit', 2, 2, 100],
    ['webkit-remote', 1, 0, 0],
  ]);
  expect(shares[0]?.without).toEqual([{ caseId: 'c2', said: 'nothing' }]);
  expect(shares[1]?.without.map((w) => w.caseId)).toEqual(['c1']);
  expect(shares[1]?.byWire).toBe(1);
  expect(shares[1]?.notCors).toEqual([{ caseId: 'c6', rule: 'redirect-mode-error' }]);
  expect(shares[3]?.without).toEqual([{ caseId: 'c1', said: 'WebKitGTK gives no reason here: remote' }]);
});

test('a project without blocks has no share, and the table says so', () => {
  const shares = reasonShares([record('chromium', 'c3', 'allowed', [])]);
  expect(shares).toEqual([{ project: 'chromium', blocked: 0, withReason: 0, byWire: 0, percent: undefined, without: [], notCors: [] }]);
  expect(renderReasonShares(shares)).toContain('no blocks');
});

test('the table prints each share and lists the blocks without a reason', () => {
  const text = renderReasonShares(reasonShares(FIXTURE), 1);
  expect(text).toMatch(/^webkit +2  2 \(100\.0 %\)$/m);
  expect(text).toMatch(/^chromium +2  1 \(50\.0 %\)$/m);
  expect(text).toContain('chromium: 1 blocked without a CORS reason from the engine\n  c2: nothing');
  expect(text).toMatch(/^firefox +3  2 \(66\.7 %\), 1 of them a refusal the wire tells from a network failure$/m);
  expect(text).toContain('left out of the share:\n  firefox: c6 (redirect-mode-error)');
});

test('bad input names the file, the field and the rule', () => {
  expect(() => readRecords('r.json', '{')).toThrow(/^r\.json: the file must be JSON/);
  expect(() => readRecords('r.json', '{"schema":"other","records":[]}')).toThrow("r.json: `schema` must be 'cors-matrix/results'");
  expect(() => readRecords('r.json', '{"schema":"cors-matrix/results","records":[{"project":"x","case":{"outcome":{"verdict":"allowed"},"engineReasons":[1]}}]}')).toThrow(
    'r.json: records[0].case.engineReasons must be an array of strings',
  );
  expect(readRecords('r.json', JSON.stringify({ schema: 'cors-matrix/results', records: FIXTURE }))).toHaveLength(FIXTURE.length);
});
