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

// Each test starts the CLI as a process of its own (1–7 s each, ~90 s in all): they may spread over both workers, each
// worker with its own scratch folder (beforeAll).
test.describe.configure({ mode: 'parallel' });

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

// Redirect chains: --json adds responseType, redirectCount and one record per hop; the reasons name the later hops.
interface ChainRow {
  readonly file: string;
  readonly verdict: string;
  readonly responseType: string;
  readonly redirectCount: number;
  /** Per hop: the Origin header and whether a preflight was sent. */
  readonly hops: readonly (readonly [origin: string | null, preflight: boolean])[];
  readonly reason: string | RegExp;
}

const chainRows: readonly ChainRow[] = [
  {
    file: 'redirect-cors-to-another-cors.json',
    verdict: 'blocked-at-response',
    responseType: 'error',
    redirectCount: 1,
    hops: [['https://app.example', false], ['null', false]],
    reason: 'response (hop 2): a redirect tainted the request\'s origin, so it serialises as "null" and only "null" (or "*" without credentials) matches, not "https://app.example" [Fetch §4.10 CORS check]',
  },
  {
    file: 'redirect-same-origin-to-cors-preflight.json',
    verdict: 'allowed',
    responseType: 'cors',
    redirectCount: 1,
    hops: [['https://app.example', false], ['https://app.example', true]],
    reason: /^preflight \(hop 2\): the browser sends OPTIONS to https:\/\/api\.example\/items\/1 with Access-Control-Request-Method: PUT/,
  },
  { file: 'redirect-303-post.json', verdict: 'allowed', responseType: 'cors', redirectCount: 1, hops: [['https://app.example', true], ['https://app.example', false]], reason: 'redirect: 303 turns "POST" into GET: the body is dropped, and with it Content-Type [Fetch §4.5 HTTP-redirect fetch]' },
  { file: 'redirect-manual.json', verdict: 'allowed', responseType: 'opaqueredirect', redirectCount: 0, hops: [['https://app.example', false]], reason: /redirect mode "manual" does not follow it/ },
  { file: 'redirect-credentials-in-location.json', verdict: 'blocked-at-response', responseType: 'error', redirectCount: 0, hops: [[null, false]], reason: /carries a user name or password and leads to another origin/ },
];

for (const row of chainRows) {
  test(`explain ${row.file} --json prints the chain hop by hop`, async () => {
    const run = await cli('explain', fixture(row.file), '--json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { verdict: string; responseType: string; redirectCount: number; reasons: string[]; hops: { originHeader: string | null; preflightSent: boolean }[] };
    expect(Object.keys(out)).toEqual(['preflightSent', 'verdict', 'readableHeaders', 'reasons', 'responseType', 'redirectCount', 'hops']);
    expect(out.verdict).toBe(row.verdict);
    expect(out.responseType).toBe(row.responseType);
    expect(out.redirectCount).toBe(row.redirectCount);
    expect(out.hops.map((h) => [h.originHeader, h.preflightSent])).toEqual(row.hops);
    if (typeof row.reason === 'string') expect(out.reasons).toContain(row.reason);
    else expect(out.reasons.some((r) => (row.reason as RegExp).test(r)), out.reasons.join('\n')).toBe(true);
  });
}

test('explain prints a redirect chain for a person: one line per hop, reasons grouped by hop', async () => {
  const run = await cli('explain', fixture('redirect-cors-to-another-cors.json'));
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/^verdict:\s+blocked-at-response$/m);
  expect(run.stdout).toMatch(/^redirects:\s+1$/m);
  expect(run.stdout).toMatch(/^ {2}1\. GET https:\/\/api\.example\/old · Origin: https:\/\/app\.example · preflight not sent · answered 302, followed$/m);
  expect(run.stdout).toMatch(/^ {2}2\. GET https:\/\/cdn\.example\/new · Origin: null · preflight not sent · answered 200$/m);
  expect(run.stdout).toMatch(/^ {2}hop 1 \(GET https:\/\/api\.example\/old\):\n {4}1\. no preflight: /m);
  expect(run.stdout).toMatch(/^ {2}hop 2 \(GET https:\/\/cdn\.example\/new\):\n {4}5\. redirect \(hop 2\): the chain went from https:\/\/api\.example/m);
});

// Error statuses: readable when the CORS headers allow it, masked by a CORS error when they are missing.
test('explain names the status a CORS error masks, and a preflight that got no 2xx', async () => {
  const masked = JSON.parse((await cli('explain', fixture('error-500-without-cors.json'), '--json')).stdout) as { verdict: string; reasons: string[] };
  expect(masked.verdict).toBe('blocked-at-response');
  expect(masked.reasons).toContain(
    'response: the server answered 500, and its error response carries no CORS headers (error handlers often answer before or without the CORS middleware): the script sees only a CORS error, so a CORS error masks a server error [Fetch §4.4 HTTP fetch]',
  );
  const readable = JSON.parse((await cli('explain', fixture('error-404-with-cors.json'), '--json')).stdout) as { verdict: string; readableHeaders: string[]; reasons: string[] };
  expect([readable.verdict, readable.readableHeaders]).toEqual(['allowed', ['content-type']]);
  expect(readable.reasons.some((r) => r.includes('the script reads status 404 and its body'))).toBe(true);
  const preflight = JSON.parse((await cli('explain', fixture('preflight-401.json'), '--json')).stdout) as { verdict: string; reasons: string[] };
  expect(preflight.verdict).toBe('blocked-at-preflight');
  expect(preflight.reasons.some((r) => r.startsWith('preflight: status 401 is not an ok status (200-299): a preflight must get an ok status (2xx)'))).toBe(true);
});

// Sequences: the preflight cache carried from one request to the next.
interface SequenceRow {
  readonly file: string;
  /** Per step: preflight sent (P), served from the cache (C) or not needed (-). */
  readonly marks: string;
  readonly reason: RegExp;
}

const sequenceRows: readonly SequenceRow[] = [
  { file: 'sequence-default-max-age.json', marks: 'PCPP', reason: /does not cover the header "x-trace"/ },
  { file: 'sequence-webkit-cap.json', marks: 'PCP', reason: /expired \(stored at t=0s with max-age 600s, now t=600s\)/ },
  { file: 'sequence-from-cache-entries.json', marks: 'CP', reason: /stored by a request without credentials/ },
];

for (const row of sequenceRows) {
  test(`explain ${row.file} --json prints one record per step with the cache it leaves`, async () => {
    const run = await cli('explain', fixture(row.file), '--json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { steps: { at: number; preflightSent: boolean; servedFromPreflightCache: boolean; reasons: string[]; cacheAfter: string[] }[] };
    expect(Object.keys(out)).toEqual(['steps']);
    expect(out.steps.map((s) => (s.preflightSent ? 'P' : s.servedFromPreflightCache ? 'C' : '-')).join('')).toBe(row.marks);
    const last = out.steps[out.steps.length - 1];
    expect(last?.reasons.some((r) => row.reason.test(r)), last?.reasons.join('\n')).toBe(true);
    for (const s of out.steps) expect(Object.keys(s)).toEqual(['at', 'preflightSent', 'verdict', 'readableHeaders', 'reasons', 'servedFromPreflightCache', 'cacheAfter']);
  });
}

test('explain prints a sequence for a person: each step with its time, reasons and the cache after it', async () => {
  const run = await cli('explain', fixture('sequence-webkit-cap.json'));
  expect(run.code).toBe(0);
  expect(run.stderr).toBe('');
  expect(run.stdout).toMatch(/^step 1 at t=0s: DELETE https:\/\/api\.example\/items\/1$/m);
  expect(run.stdout).toMatch(/^step 2 at t=599s: DELETE/m);
  expect(run.stdout).toMatch(/^ {2}preflight:\s+not sent: served from the preflight cache$/m);
  expect(run.stdout).toContain('capped at the user agent\'s limit of 600 seconds');
  expect(run.stdout).toMatch(/^ {2}cache after:\n {4}https:\/\/app\.example → https:\/\/api\.example\/items\/1: method DELETE, stored at t=0s with max-age 600s$/m);
});

const newErrorRows: readonly ErrorRow[] = [
  {
    title: 'a sequence with bad fields, all named at once',
    args: () => ['explain', fixture('bad-sequence.json')],
    stderr: [
      'invalid input (4 problems)',
      '  - steps[0].at: is required: must be the time of this request, a number of seconds',
      '  - steps[1].at: must be the time of this request, a number of seconds of 0 or more',
      '  - cache[0]: must name exactly one of "method" and "headerName": a cache entry holds one method or one header name (Fetch §4.9)',
      '  - engine: must be one of "chromium", "firefox", "webkit"',
    ],
  },
  {
    title: 'bad redirects, all named at once',
    args: () => ['explain', fixture('bad-redirects.json')],
    stderr: ['  - request.redirect: must be "follow", "error" or "manual"', '  - redirects[0]: unknown field "answer"', '  - redirects[1].response: is required: must be an object'],
  },
  { title: 'a sequence whose clock goes back', args: () => ['explain', fixture('sequence-time-backwards.json')], stderr: ['  - steps[1].at: must not be earlier than the step before (t=10s): the cache\'s clock only moves forward'] },
  {
    title: 'a followed redirect without the next answer',
    args: () => ['explain', fixture('redirect-missing-next-answer.json')],
    stderr: ['  - response.status: 301 with a Location header is a redirect, which fetch() follows (redirect mode "follow") to https://api.example/new: put this answer in "redirects"'],
  },
  {
    title: 'a later hop\'s preflight left out',
    args: () => [
      'explain',
      inputFile('hop-preflight.json', {
        request: { origin: 'https://app.example', url: 'https://app.example/a', method: 'PUT' },
        redirects: [{ response: { status: 307, headers: { Location: 'https://api.example/b' } } }],
        response: { status: 200, headers: { 'Access-Control-Allow-Origin': '*' } },
      }),
    ],
    stderr: ['  - preflight: is required: a preflight is sent to https://api.example/b (OPTIONS with Access-Control-Request-Method: PUT)'],
  },
  {
    title: 'a sequence step with no response and no server default',
    args: () => ['explain', inputFile('no-answer.json', { steps: [{ at: 0, request: { origin: 'https://app.example', url: 'https://api.example/' } }] })],
    stderr: ['  - steps[0].response: is required'],
  },
];

for (const row of newErrorRows) {
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
