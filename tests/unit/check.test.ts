import { test, expect } from '@playwright/test';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { existsSync } from 'node:fs';

// Bad input, refused: each row runs the real CLI (`node bin/cors-matrix.mjs …`) as a child process from the
// repository root and expects exit code 2, a message naming the file, the field and the rule, and no stack trace.
// The CLI starts no server and no engine, so every refusal comes before any engine could start.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'cors-matrix.mjs');
const F = 'tests/fixtures/check';

interface Row {
  readonly input: string;
  readonly args: readonly string[];
  /** Fragments the error output must hold: the file, the field and the rule (or, for arguments, the rule). */
  readonly says: readonly string[];
}

const scenario = (name: string, field: string, rule: string): Row => {
  const file = `${F}/scenarios/${name}.ts`;
  return { input: `scenario row: ${name}`, args: ['check', file], says: [file, `field ${field}`, rule] };
};
const config = (name: string, field: string, rule: string): Row => {
  const file = `${F}/configs/${name}/cors-matrix.config.ts`;
  return { input: `config: ${name}`, args: ['check', file], says: [file, `field ${field}`, rule] };
};
const suite = (name: string, field: string, rule: string): Row => {
  const file = `${F}/suites/${name}.ts`;
  return { input: `middleware suite: ${name}`, args: ['check', file], says: [file, `field ${field}`, rule] };
};
const json = (command: 'check' | 'explain', name: string, says: readonly string[]): Row => {
  const file = `${F}/json/${name}.json`;
  return { input: `${command} ${name}.json`, args: [command, file], says: [file, ...says] };
};
const args = (input: string, argv: readonly string[], rule: string): Row => ({ input: `arguments: ${input}`, args: argv, says: [rule] });

const ROWS: readonly Row[] = [
  scenario('row-unknown-origin', 'to', 'must be a hosted origin'),
  scenario('row-invalid-method', 'request.method', 'must be an HTTP token (RFC 9110 §9.1)'),
  scenario('row-forbidden-method', 'request.method', 'is a forbidden method (Fetch Standard §2.2.1)'),
  scenario('row-forbidden-header', 'request.headers.Cookie', 'is a forbidden request-header (Fetch Standard §2.2.2)'),
  scenario('row-invalid-header-name', 'request.headers.X Bad', 'must be an HTTP token (RFC 9110 §5.6.2)'),
  scenario('row-header-value-crlf', 'request.headers.X-Custom', 'must not contain CR, LF or NUL'),
  scenario('row-get-with-body', 'request.body', 'a GET request cannot have a body'),
  scenario('row-none-with-credentials', 'policy.allowCredentials', 'contradicts allowOrigin "none"'),
  scenario('row-response-header-contradiction', 'policy.responseHeaders.Access-Control-Allow-Origin', "contradicts the policy's own fields"),
  scenario('row-deviation-without-reason', 'expect.engines.firefox.because', 'must give the reason the engine differs'),
  scenario('row-bad-pattern', 'policy.allowOrigin.pattern', 'must be a valid JavaScript RegExp source'),
  scenario('row-unknown-placeholder', 'policy.allowOrigin.raw[0]', 'placeholder {origin:nowhere} names no origin'),
  scenario('row-misspelt-field', '(the row itself)', 'Unrecognized key: "polcy"'),
  scenario('row-to-itself', 'to', 'is the requesting origin itself'),
  scenario('row-status-out-of-range', 'policy.status', '<=599'),
  scenario('row-sequence-too-long', 'sequence.afterMs', 'must be at most 30000'),
  scenario('row-unknown-verdict', 'expect', 'must be a verdict (allowed, blocked-at-preflight'),
  scenario('family-not-kebab', 'family', 'must be kebab-case'),
  scenario('family-no-cases', 'cases', 'must hold at least one case'),
  scenario('duplicate-title', 'server', 'is already used by'),
  { input: 'scenario file: does not compile', args: ['check', `${F}/scenarios/syntax-error.mjs`], says: [`${F}/scenarios/syntax-error.mjs`, 'cannot load the module', `(at ${F}/scenarios/syntax-error.mjs:2)`] },
  { input: 'scenario file: throws while loading', args: ['check', `${F}/scenarios/throws-at-load.ts`], says: [`${F}/scenarios/throws-at-load.ts`, 'cannot load the module: the scenario module failed while loading'] },
  { input: 'scenario file: exports nothing to check', args: ['check', `${F}/scenarios/no-export.ts`], says: [`${F}/scenarios/no-export.ts`, 'field default export', 'is missing'] },
  config('target-off-loopback', 'target.url', 'must be an http:// URL on this machine'),
  config('target-https', 'target.url', 'the harness sends traffic only to loopback'),
  config('no-routes', 'routes', 'must name at least one route'),
  config('route-without-slash', 'routes[0].path', 'must be a path starting with "/"'),
  config('api-origin-with-path', 'apiOrigin', 'must be a serialised http(s) origin'),
  config('api-origin-is-page', 'apiOrigin', 'is also a page origin'),
  config('intent-bad-method', 'intent.methods[0]', 'must be an HTTP token'),
  config('command-empty', 'target.command', 'must be the command that starts your server'),
  config('unknown-field', '(the config)', 'Unrecognized key: "origins"'),
  config('not-an-object', 'default export', 'must be a cors-matrix config object'),
  suite('unknown-middleware', 'middleware', 'must be one of: express-cors'),
  suite('label-not-kebab', 'label', 'must be kebab-case'),
  suite('options-not-function', 'options', 'must be a function of the harness origins'),
  suite('intent-no-origins', 'intent.origins', 'names no origin'),
  suite('intent-own-origin', 'intent.origins', "names the API's own origin"),
  suite('finding-unknown-probe', 'findings[0].probe', 'expected one of "simple-read"'),
  suite('finding-too-short', 'findings[0].finding', 'must say what the middleware does'),
  json('check', 'explain-no-response', ['field response', 'is required']),
  json('check', 'explain-status-42', ['field response.status', 'must be from 100 to 599']),
  json('check', 'explain-bad-url', ['field request.url', 'must be an http: or https: URL']),
  json('check', 'explain-header-not-string', ['field request.headers["X-Custom"]', 'a header value must be a string']),
  json('check', 'family-bad-row', ['field request.method', 'is a forbidden method']),
  json('check', 'unknown-shape', ['field (the file)', 'must be a scenario family']),
  json('check', 'empty', ['not valid JSON', 'Unexpected end of JSON input']),
  json('check', 'truncated', ['not valid JSON']),
  json('explain', 'explain-no-response', ['response: is required']),
  json('explain', 'explain-status-42', ['response.status: must be from 100 to 599']),
  json('explain', 'truncated', ['not valid JSON']),
  { input: 'explain a missing file', args: ['explain', `${F}/json/nothing-here.json`], says: [`${F}/json/nothing-here.json`, 'cannot read the file'] },
  { input: 'check a missing file', args: ['check', `${F}/scenarios/nothing-here.ts`], says: [`${F}/scenarios/nothing-here.ts`, 'cannot read the file: no such file'] },
  { input: 'check a directory', args: ['check', `${F}/scenarios`], says: [`${F}/scenarios`, 'is not a file'] },
  { input: 'check a YAML file', args: ['check', `${F}/notes.yaml`], says: [`${F}/notes.yaml`, 'cannot check a ".yaml" file'] },
  args('no command', [], 'no command given'),
  args('unknown command', ['chek'], 'unknown command "chek"'),
  args('explain without a file', ['explain'], 'explain takes exactly one FILE.json, got 0'),
  args('explain with two files', ['explain', 'a.json', 'b.json'], 'explain takes exactly one FILE.json, got 2'),
  args('unknown option', ['explain', '--jsn', 'a.json'], "Unknown option '--jsn'"),
  args('check with --json', ['check', '--json'], 'check takes no --json'),
];

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(argv: readonly string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...argv], { cwd: ROOT, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

/** Runs every row's CLI once, a few at a time: each is a Node start plus a TypeScript load. */
async function runAll(rows: readonly Row[], concurrency: number): Promise<Map<Row, Run>> {
  const runs = new Map<Row, Run>();
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < rows.length) {
      const row = rows[next++];
      if (row) runs.set(row, await cli(row.args));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return runs;
}

let runs = new Map<Row, Run>();
test.beforeAll(async () => {
  test.setTimeout(360_000);
  runs = await runAll(ROWS, 3);
});

test('the table holds at least 30 bad inputs, each named once', () => {
  expect(ROWS.length).toBeGreaterThanOrEqual(30);
  expect(new Set(ROWS.map((r) => r.input)).size).toBe(ROWS.length);
});

for (const row of ROWS) {
  test(`refuses ${row.input}`, () => {
    const run = runs.get(row);
    expect(run, 'the CLI ran').toBeDefined();
    if (!run) return;
    expect(run.code, run.stderr).toBe(2);
    for (const fragment of row.says) expect(run.stderr).toContain(fragment);
    expect(run.stderr, 'no stack trace').not.toMatch(/^\s+at /m);
    expect(run.stderr).not.toContain('internal error');
  });
}

test("accepts the repository's own config, scenario families and middleware suites", async () => {
  const run = await cli(['check']);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('cors-matrix.config.ts: ok (default export: cors-matrix config)');
  expect(run.stdout).toMatch(/scenarios\/preflight\.ts: ok \(default export: 1 scenario family, \d+ cases\)/);
  expect(run.stdout).toMatch(/scenarios\/middleware\.ts: ok \(default export: \d+ middleware suites, \d+ cases\)/);
});

test('lists every problem of every file in one run', async () => {
  const files = [`${F}/scenarios/row-invalid-method.ts`, `${F}/configs/no-routes/cors-matrix.config.ts`, `${F}/json/empty.json`];
  const run = await cli(['check', ...files]);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('3 problems');
  for (const file of files) expect(run.stderr).toContain(file);
});

test('a Playwright run with bad inputs ends with exit code 2 and the problems, before any test starts', async () => {
  const mark = join(ROOT, 'test-results', `check-run-mark-${process.pid}`);
  const env: NodeJS.ProcessEnv = { ...process.env, CHECK_RUN_MARK: mark };
  // A worker's own index would make the nested run think it is a worker too.
  delete env['TEST_WORKER_INDEX'];
  const run = await new Promise<Run>((resolve) => {
    execFile(process.execPath, [join(ROOT, 'node_modules', '@playwright', 'test', 'cli.js'), 'test', '-c', `${F}/run/playwright.config.ts`], { cwd: ROOT, env, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
  expect(run.code, run.stdout + run.stderr).toBe(2);
  expect(run.stderr).toContain(`${F}/configs/target-off-loopback/cors-matrix.config.ts: field target.url: must be an http:// URL on this machine`);
  expect(run.stderr).toContain(`${F}/scenarios/row-get-with-body.ts: scenario "bad-input" case 1 ("allows any origin"): field request.body: a GET request cannot have a body`);
  expect(run.stderr).not.toMatch(/^\s+at /m);
  expect(run.stdout).not.toContain('never runs');
  expect(existsSync(mark), 'the spec never ran').toBe(false);
});
