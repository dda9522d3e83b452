// Per-answer CORS rules: a policy gives the preflight, the actual answer and error answers their own CORS headers
// (what an auth proxy, a CDN or nginx's add_header without `always` does in front of an app). The policy server, the
// oracle's case prediction and `explain` all build the answers from the same rules; bad input is refused at load
// time naming the field.
import { test, expect } from '@playwright/test';
import { explain, type ExplainIO } from '../../lib/cli/explain.ts';
import { predictCase } from '../../lib/model/case-oracle.ts';
import { ScenarioError, loadCases } from '../../lib/model/load-cases.ts';
import { originMap } from '../../lib/model/origins.ts';
import { answerRule, corsHeaders, type Policy } from '../../lib/model/policy.ts';
import type { CaseRow, ScenarioFamily } from '../../lib/model/scenario.ts';
import { policyAnswer } from '../../servers/policy-answers.ts';

const origins = originMap({ primary: 8001, secondary: 8002, tls: 8443, closed: 8009 });
const PAGE = 'http://a.localhost:8001';
const context = { requestOrigin: PAGE, origins };
const names = (lines: readonly { name: string; value: string }[]) => lines.map((l) => `${l.name}: ${l.value}`);

// nginx: CORS headers added with add_header (no `always`), so a 4xx/5xx carries none.
const WITHOUT_ALWAYS: Policy = { preflight: { allowOrigin: '*', allowMethods: ['PUT'] }, actual: { allowOrigin: '*' }, errors: { allowOrigin: 'none' }, status: 404 };

test('The errors rule decides a 4xx/5xx answer; the kind\'s own rule decides the others; the short form fills the rest.', () => {
  expect(names(corsHeaders(WITHOUT_ALWAYS, 'preflight', context))).toEqual(['Access-Control-Allow-Origin: *', 'Access-Control-Allow-Methods: PUT']);
  expect(names(corsHeaders(WITHOUT_ALWAYS, 'actual', context))).toEqual([]);
  expect(names(corsHeaders({ ...WITHOUT_ALWAYS, status: 200 }, 'actual', context))).toEqual(['Access-Control-Allow-Origin: *']);
  const stripped: Policy = { allowOrigin: 'reflect', allowMethods: ['PUT'], preflight: { allowCredentials: true } };
  expect(names(corsHeaders(stripped, 'preflight', context))).toEqual([`Access-Control-Allow-Origin: ${PAGE}`, 'Access-Control-Allow-Credentials: true', 'Access-Control-Allow-Methods: PUT']);
  expect(names(corsHeaders(stripped, 'actual', context))).toEqual([`Access-Control-Allow-Origin: ${PAGE}`]);
  expect(answerRule({ preflight: { allowOrigin: '*', vary: 'Origin' }, errors: { vary: false }, preflightStatus: 401 }, 'preflight')).toEqual({ allowOrigin: '*' });
});

test('The one-rule short form answers exactly as before: every answer gets the same Allow-Origin.', () => {
  const policy: Policy = { allowOrigin: { list: ['page'] }, allowCredentials: true, allowMethods: ['PUT'], status: 500 };
  expect(names(corsHeaders(policy, 'actual', context))).toEqual([`Access-Control-Allow-Origin: ${PAGE}`, 'Access-Control-Allow-Credentials: true']);
});

test('The policy server answers the preflight with its rule and the failing PUT with none, and the oracle predicts the block.', () => {
  const input = { key: 'k-1', hop: 0, origin: PAGE, ifNoneMatch: undefined };
  const preflight = policyAnswer(WITHOUT_ALWAYS, { ...input, kind: 'preflight' }, origins);
  const actual = policyAnswer(WITHOUT_ALWAYS, { ...input, kind: 'actual' }, origins);
  expect([preflight.status, names(preflight.lines)]).toEqual([204, ['Access-Control-Allow-Origin: *', 'Access-Control-Allow-Methods: PUT']]);
  expect([actual.status, names(actual.lines)]).toEqual([404, []]);
  const prediction = predictCase({ from: 'page', to: 'cross-site', request: { method: 'PUT' }, policy: WITHOUT_ALWAYS });
  expect(prediction).toMatchObject({ verdict: 'blocked-at-response', preflightSent: true, reachedServer: true });
});

function problemsOf(rows: readonly unknown[]): readonly string[] {
  const family: ScenarioFamily = { family: 'bad', proves: 'what the loader refuses', cases: rows as readonly CaseRow[] };
  try {
    loadCases([family]);
    return [];
  } catch (error) {
    if (error instanceof ScenarioError) return error.problems;
    throw error;
  }
}

const row = (policy: unknown, more: object = {}) => ({ server: 'answers per rule', to: 'cross-site', request: { method: 'PUT' }, policy, ...more });

const refusals: readonly { readonly title: string; readonly rows: readonly unknown[]; readonly problem: RegExp }[] = [
  {
    title: 'Allow-Origin given in the short form and for the actual answer',
    rows: [row({ allowOrigin: '*', actual: { allowOrigin: 'none' } })],
    problem: /field policy\.actual\.allowOrigin: is also given in the short form \(policy\.allowOrigin\)/,
  },
  {
    title: 'Allow-Credentials given in the short form and for error answers',
    rows: [row({ allowOrigin: '*', allowCredentials: true, errors: { allowCredentials: false } })],
    problem: /field policy\.errors\.allowCredentials: is also given in the short form/,
  },
  { title: 'no Allow-Origin anywhere', rows: [row({ allowMethods: ['PUT'] })], problem: /field policy\.allowOrigin: is required: give allowOrigin for every answer, or per answer/ },
  { title: 'Expose-Headers for a preflight', rows: [row({ allowOrigin: '*', preflight: { exposeHeaders: ['X-A'] } })], problem: /field policy\.preflight\.exposeHeaders: is never sent on a preflight answer/ },
  { title: 'an unknown per-answer field', rows: [row({ allowOrigin: '*', actual: { allowOrigins: '*' } })], problem: /field policy\.actual/ },
  {
    title: 'a request to the shared cache outside any sequence',
    rows: [{ server: 'echoes the origin', to: 'shared-cache', request: { method: 'GET' }, policy: { allowOrigin: 'reflect' } }],
    problem: /field cases\[0\]\.sequence: is required for a request to the shared cache/,
  },
  {
    title: 'a shared-cache sequence read from one origin only',
    rows: [
      { server: 'echoes the origin, first', to: 'shared-cache', request: { method: 'GET' }, policy: { allowOrigin: 'reflect' }, sequence: { id: 'one' } },
      { server: 'echoes the origin, second', to: 'shared-cache', request: { method: 'GET' }, policy: { allowOrigin: 'reflect' }, sequence: { id: 'one' } },
    ],
    problem: /field cases\[1\]\.from: sequence "one" reads the shared cache from one origin only \(page\): it needs a second origin/,
  },
];

for (const refusal of refusals) {
  test(`Refused at load time, naming the field: ${refusal.title}.`, () => {
    const problems = problemsOf(refusal.rows);
    expect(problems.some((p) => refusal.problem.test(p)), problems.join('\n')).toBe(true);
  });
}

test('A shared-cache sequence from two origins loads, and the oracle predicts the second origin served what the first stored.', () => {
  const cached = { allowOrigin: 'reflect', responseHeaders: { 'Cache-Control': 's-maxage=60' } };
  const cases = loadCases([
    {
      family: 'good',
      proves: 'what the loader accepts',
      cases: [
        { server: 'echoes the origin, first', to: 'shared-cache', request: { method: 'GET' }, policy: cached, sequence: { id: 'two' } },
        { server: 'echoes the origin, second', from: 'evil', to: 'shared-cache', request: { method: 'GET' }, policy: cached, sequence: { id: 'two' } },
      ] as readonly CaseRow[],
    },
  ]);
  expect(cases.map((c) => c.expect.verdict)).toEqual(['allowed', 'blocked-at-response']);
  expect(cases[1]?.expect.why).toMatch(/^shared cache: the cache serves the answer it stored for origin page/);
});

function io(files: Record<string, string>): ExplainIO & { out: string; err: string } {
  const sink = { out: '', err: '' };
  return Object.assign(sink, {
    stdout: (t: string) => void (sink.out += t),
    stderr: (t: string) => void (sink.err += t),
    readFile: async (path: string) => {
      const text = files[path];
      if (text === undefined) throw new Error('ENOENT');
      return text;
    },
  });
}

test('explain takes a policy with per-answer rules, shows the answers it built and which rule gave each, and explains the block.', async () => {
  const file = JSON.stringify({ request: { origin: 'https://app.example', url: 'https://api.example/items/7', method: 'PUT' }, policy: WITHOUT_ALWAYS });
  const run = io({ 'p.json': file });
  expect(await explain('p.json', { json: false }, run)).toBe(0);
  expect(run.out).toContain('preflight 204  Access-Control-Allow-Origin: * | Access-Control-Allow-Methods: PUT   (from policy.preflight, then short form)');
  expect(run.out).toContain('actual    404  no CORS headers   (from policy.errors, then policy.actual, then short form)');
  expect(run.out).toMatch(/blocked/i);
  const json = io({ 'p.json': file });
  expect(await explain('p.json', { json: true }, json)).toBe(0);
  expect(JSON.parse(json.out)).toMatchObject({ verdict: 'blocked-at-response', preflightSent: true, answers: [{ kind: 'preflight', status: 204 }, { kind: 'actual', status: 404, headers: [] }] });
});

test('explain refuses a policy that gives a field both ways, naming the field.', async () => {
  const file = JSON.stringify({ request: { origin: 'https://app.example', url: 'https://api.example/', method: 'PUT' }, policy: { allowOrigin: '*', actual: { allowOrigin: 'none' } } });
  const run = io({ 'p.json': file });
  expect(await explain('p.json', { json: false }, run)).toBe(2);
  expect(run.err).toContain('policy.actual.allowOrigin: is also given in the short form (policy.allowOrigin)');
});
