import { test, expect } from '@playwright/test';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The real CLI, as a child process: `node bin/cors-matrix.mjs explain …`, from the repository root.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'cors-matrix.mjs');
const FIXTURES = join(ROOT, 'tests', 'fixtures', 'explain');

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

const fixture = (name: string): string => join(FIXTURES, name);

let scratch = '';
test.beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'cors-matrix-cli-'));
});
test.afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

function inputFile(name: string, content: unknown): string {
  const path = join(scratch, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

interface JsonRow {
  readonly file: string;
  readonly preflightSent: boolean;
  readonly verdict: string;
  readonly readableHeaders: readonly string[];
  /** A reason line that must be present, verbatim. */
  readonly reason: string;
}

const jsonRows: readonly JsonRow[] = [
  {
    file: 'authorization-wildcard.json',
    preflightSent: true,
    verdict: 'blocked-at-preflight',
    readableHeaders: [],
    reason: 'preflight: Access-Control-Allow-Headers "*" does not list "authorization" (a wildcard never covers Authorization) [Fetch §4.8 CORS-preflight fetch]',
  },
  {
    file: 'put-allowed-credentials.json',
    preflightSent: true,
    verdict: 'allowed',
    readableHeaders: ['content-type', 'etag'],
    reason: 'request: fetch() normalises the method "put" to "PUT" [Fetch §2.2.1 Methods]',
  },
  {
    file: 'simple-get.json',
    preflightSent: false,
    verdict: 'allowed',
    readableHeaders: ['content-type'],
    reason: 'no preflight: GET is a CORS-safelisted method and the request sets no headers [Fetch §2.2.2 Headers]',
  },
  {
    file: 'two-allow-origin-lines.json',
    preflightSent: false,
    verdict: 'blocked-at-response',
    readableHeaders: [],
    reason: 'response: the response has 2 Access-Control-Allow-Origin lines, which combine into "https://app.example, *": the header must be sent once, with one value [Fetch §4.10 CORS check]',
  },
  {
    file: 'no-cors.json',
    preflightSent: false,
    verdict: 'allowed',
    readableHeaders: [],
    reason: 'readable headers: an opaque response shows no headers [Fetch §2.2.6 Responses]',
  },
];

for (const row of jsonRows) {
  test(`explain ${row.file} --json prints exactly the four promised fields`, async () => {
    const run = await cli('explain', fixture(row.file), '--json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['preflightSent', 'verdict', 'readableHeaders', 'reasons']);
    expect(out['preflightSent']).toBe(row.preflightSent);
    expect(out['verdict']).toBe(row.verdict);
    expect(out['readableHeaders']).toEqual(row.readableHeaders);
    expect(out['reasons']).toContain(row.reason);
  });
}

test('explain prints the verdict, the preflight with ACRM/ACRH, the readable headers and numbered reasons for a person', async () => {
  const run = await cli('explain', fixture('put-allowed-credentials.json'));
  expect(run.code).toBe(0);
  expect(run.stderr).toBe('');
  expect(run.stdout).toMatch(/^verdict:\s+allowed$/m);
  expect(run.stdout).toMatch(/^preflight:\s+sent \(OPTIONS, Access-Control-Request-Method: PUT, Access-Control-Request-Headers: content-type,x-request-id\)$/m);
  expect(run.stdout).toMatch(/^reached server:\s+yes$/m);
  expect(run.stdout).toMatch(/^readable headers:\s+content-type, etag$/m);
  expect(run.stdout).toMatch(/^why:$/m);
  expect(run.stdout).toMatch(/^\s+1\. request: fetch\(\) normalises the method "put" to "PUT" \[Fetch §2\.2\.1 Methods\]$/m);
  expect(run.stdout).toMatch(/^\s+2\. preflight: /m);
});

test('explain says when no preflight is sent and nothing is readable', async () => {
  const run = await cli('explain', fixture('two-allow-origin-lines.json'));
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/^verdict:\s+blocked-at-response$/m);
  expect(run.stdout).toMatch(/^preflight:\s+not sent$/m);
  expect(run.stdout).toMatch(/^readable headers:\s+\(none\)$/m);
});

interface ErrorRow {
  readonly title: string;
  readonly args: () => string[];
  /** Lines stderr must contain. */
  readonly stderr: readonly (string | RegExp)[];
  readonly stdoutEmpty?: boolean;
}

const errorRows: readonly ErrorRow[] = [
  {
    title: 'a needed preflight left out',
    args: () => ['explain', fixture('missing-preflight.json')],
    stderr: ['  - preflight: is required: a preflight is sent (OPTIONS with Access-Control-Request-Method: DELETE), so the input must say how the server answers it (status and headers)'],
  },
  {
    title: 'several bad fields, all named at once',
    args: () => ['explain', fixture('bad-origin.json')],
    stderr: [
      'invalid input (3 problems)',
      '  - request.origin: must be a serialised origin like "https://app.example" or "null" (did you mean "https://app.example"?)',
      '  - request.credentials: must be "omit", "same-origin" or "include"',
      '  - response.status: must be an HTTP status code such as 200',
    ],
  },
  { title: 'a file that is not JSON', args: () => ['explain', fixture('not-json.json')], stderr: [/not-json\.json: not valid JSON: /] },
  { title: 'a file that does not exist', args: () => ['explain', fixture('no-such-file.json')], stderr: [/no-such-file\.json: cannot read the file: ENOENT/] },
  { title: 'a missing request.origin', args: () => ['explain', inputFile('no-origin.json', { request: { url: 'https://api.example/' }, response: { status: 200 } })], stderr: ['  - request.origin: is required: must be a serialised origin like "https://app.example" or "null"'] },
  { title: 'a missing response', args: () => ['explain', inputFile('no-response.json', { request: { origin: 'https://app.example', url: 'https://api.example/' } })], stderr: [/ {2}- response: is required: must be an object/] },
  { title: 'an unknown field', args: () => ['explain', inputFile('unknown.json', { request: { origin: 'https://app.example', url: 'https://api.example/', metod: 'PUT' }, response: { status: 200 } })], stderr: ['  - request: unknown field "metod"'] },
  { title: 'a header pair with one element', args: () => ['explain', inputFile('pair.json', { request: { origin: 'https://app.example', url: 'https://api.example/', headers: [['X-A']] }, response: { status: 200 } })], stderr: [/ {2}- request\.headers\[0\]/] },
  { title: 'a header value that is not a string', args: () => ['explain', inputFile('value.json', { request: { origin: 'https://app.example', url: 'https://api.example/', headers: { 'X-A': 1 } }, response: { status: 200 } })], stderr: ['  - request.headers["X-A"]: a header value must be a string'] },
  { title: 'a header name the oracle refuses', args: () => ['explain', inputFile('name.json', { request: { origin: 'https://app.example', url: 'https://api.example/', headers: { 'X A': '1' } }, response: { status: 200 } })], stderr: [/ {2}- request\.headers: "X A" is not a header name/] },
  { title: 'a JSON array instead of an object', args: () => ['explain', inputFile('array.json', [])], stderr: [/ {2}- \(the file\): must be a JSON object/] },
  { title: 'no command', args: () => [], stderr: ['cors-matrix: no command given', 'Usage: cors-matrix explain FILE.json [--json]'], stdoutEmpty: true },
  { title: 'an unknown command', args: () => ['explane', 'x.json'], stderr: ['cors-matrix: unknown command "explane"', 'Usage: cors-matrix explain FILE.json [--json]'] },
  { title: 'explain without a file', args: () => ['explain'], stderr: ['cors-matrix: explain takes exactly one FILE.json, got 0'] },
  { title: 'explain with two files', args: () => ['explain', 'a.json', 'b.json'], stderr: ['cors-matrix: explain takes exactly one FILE.json, got 2'] },
  { title: 'an unknown option', args: () => ['explain', 'a.json', '--jsn'], stderr: [/Unknown option '--jsn'/, 'Usage: cors-matrix explain FILE.json [--json]'] },
];

for (const row of errorRows) {
  test(`exit code 2 and a clear message on stderr: ${row.title}`, async () => {
    const run = await cli(...row.args());
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    for (const line of row.stderr) {
      if (typeof line === 'string') expect(run.stderr).toContain(line);
      else expect(run.stderr).toMatch(line);
    }
  });
}

test('--help prints the usage on stdout and exits 0', async () => {
  const run = await cli('--help');
  expect(run.code).toBe(0);
  expect(run.stderr).toBe('');
  expect(run.stdout).toContain('Usage: cors-matrix explain FILE.json [--json]');
});
