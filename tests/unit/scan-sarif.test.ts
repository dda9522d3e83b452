import { test, expect } from '@playwright/test';
import type { Cause } from '../../lib/diagnose/index.ts';
import { toSarif } from '../../lib/report/sarif.ts';
import { sarifProblems, validateSarif as validate } from '../scan/sarif-schema.ts';

// `scan --sarif`: one SARIF 2.1.0 result per root cause, validated against the SARIF 2.1.0 JSON schema as published
// (tests/scan/sarif-schema.ts).

function expectValidSarif(log: unknown): void {
  expect(sarifProblems(log)).toBe('');
}

const TOOL = { name: 'cors-matrix', version: '0.1.0', informationUri: 'https://www.npmjs.com/package/cors-matrix' };

function cause(overrides: Partial<Cause> & Pick<Cause, 'id' | 'kind' | 'severity' | 'summary'>): Cause {
  return { detail: '', declared: false, server: 'https://api.example.com', routes: ['/v1/me'], engines: ['chromium', 'firefox'], cases: [], ...overrides };
}

const causes: Cause[] = [
  cause({ id: 'a', kind: 'origin-accepted', severity: 'outsider-reads-with-credentials', summary: 'the origin check reflects any origin', impact: 'https://evil.test reads /v1/me with the user\'s session', fix: 'answer only https://app.example.com' }),
  cause({ id: 'b', kind: 'origin-accepted', severity: 'outsider-reads', summary: 'Access-Control-Allow-Origin is *', routes: ['/v1/me', '/v1/orders'], fix: 'name the origin' }),
  cause({ id: 'c', kind: 'missing-vary-origin', severity: 'cache-hygiene', summary: 'no Vary: Origin', routes: [] }),
  cause({ id: 'd', kind: 'error-response-without-cors', severity: 'intended-blocked', summary: 'a 500 carries no CORS headers.' }),
];

test('one result per root cause, its severity as the level, and one rule per cause kind; the log is valid SARIF 2.1.0', () => {
  const log = toSarif(causes, 'https://api.example.com/v1/me', TOOL);
  expectValidSarif(log);
  const [run] = log.runs;
  expect(run?.results.map((r) => r.level)).toEqual(['error', 'error', 'note', 'warning']);
  expect(run?.tool.driver.rules.map((r) => r.id)).toEqual(['origin-accepted', 'missing-vary-origin', 'error-response-without-cors']);
  expect(run?.results.map((r) => run.tool.driver.rules[r.ruleIndex]?.id)).toEqual(run?.results.map((r) => r.ruleId));
  expect(run?.tool.driver).toMatchObject(TOOL);
});

test('the message is the cause, its impact and its fix; the location is the full URL and the route', () => {
  const [run] = toSarif(causes, 'https://api.example.com/v1/me?x=1', TOOL).runs;
  const [first, second, third, fourth] = run?.results ?? [];
  expect(first?.message.text).toBe("the origin check reflects any origin. Impact: https://evil.test reads /v1/me with the user's session. Fix: answer only https://app.example.com.");
  expect(third?.message.text).toBe('no Vary: Origin. No header fix was found.');
  expect(fourth?.message.text).toMatch(/^a 500 carries no CORS headers\. No header fix/);
  expect(first?.locations).toEqual([{ physicalLocation: { artifactLocation: { uri: 'https://api.example.com/v1/me' } }, logicalLocations: [{ name: '/v1/me', fullyQualifiedName: 'https://api.example.com/v1/me', kind: 'resource' }] }]);
  // A cause on two routes is one result with two locations; one without a route is located at the scanned path.
  expect(second?.locations.map((l) => l.physicalLocation.artifactLocation.uri)).toEqual(['https://api.example.com/v1/me', 'https://api.example.com/v1/orders']);
  expect(third?.locations.map((l) => l.logicalLocations[0]?.name)).toEqual(['/v1/me']);
  for (const result of run?.results ?? []) for (const l of result.locations) expect(() => new URL(l.physicalLocation.artifactLocation.uri)).not.toThrow();
});

test('a clean scan is a valid log with no results', () => {
  const log = toSarif([], 'http://127.0.0.1/api', TOOL);
  expectValidSarif(log);
  expect(log.runs[0]?.results).toEqual([]);
});

test('the validator is not a rubber stamp: a wrong level or version is refused', () => {
  const log = toSarif(causes.slice(0, 1), 'https://api.example.com/v1/me', TOOL);
  expect(validate({ ...log, version: '2.0.0' })).toBe(false);
  const [run] = log.runs;
  const badLevel = { ...log, runs: [{ ...run, results: run?.results.map((r) => ({ ...r, level: 'critical' })) }] };
  expect(validate(badLevel)).toBe(false);
});
