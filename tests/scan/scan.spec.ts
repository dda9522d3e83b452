import { test, expect } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import getPort from 'get-port';
import { sarifProblems } from './sarif-schema.ts';

// `npx cors-matrix scan` as a user runs it: the built command, real engines, a real server on 127.0.0.1. A server
// that reflects any origin with credentials is found (exit 1, the cause named, valid SARIF); one that allows only
// the intended origin, started by --command, is clean (exit 0); a port nothing listens on is unreachable (exit 3, one
// named reason); a deployed target (a name pinned to 127.0.0.1) gets its limits printed first and its budget kept.
// The folder the command runs in stays empty: scan writes nothing into the project.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin/cors-matrix.mjs');
const SERVER = fileURLToPath(new URL('./cors-server.mjs', import.meta.url));
const APP = 'https://app.example.com';

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function scan(args: readonly string[], cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'scan', ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** One of the fixture servers on a free port; stopped by pid after the test. */
async function startServer(mode: 'reflect' | 'clean', allow = APP): Promise<{ url: string; port: number; child: ChildProcess; arrived: string[] }> {
  const port = await getPort({ host: '127.0.0.1' });
  const child = spawn(process.execPath, [SERVER, '--port', String(port), '--mode', mode, '--allow', allow], { stdio: ['ignore', 'pipe', 'inherit'] });
  const arrived: string[] = [];
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      arrived.push(...chunk.toString().split('\n').filter((l) => l.startsWith('request ')));
      resolve();
    });
    child.once('exit', (code) => reject(new Error(`cors-server exited with ${code}`)));
  });
  started.push(child);
  return { url: `http://127.0.0.1:${port}/api/me`, port, child, arrived };
}

const scanFolders = (): string[] => readdirSync(tmpdir()).filter((name) => name.startsWith('cors-matrix-scan-'));

let project: string;
let out: string;
const started: ChildProcess[] = [];

test.beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/lib/cli/main.js'))) throw new Error('dist/ is missing: run `npm run build` first (the command runs the built CLI)');
});

test.beforeEach(() => {
  project = mkdtempSync(join(tmpdir(), 'scan-project-'));
  out = mkdtempSync(join(tmpdir(), 'scan-out-'));
});

test.afterEach(() => {
  for (const child of started.splice(0)) child.kill();
  // Nothing was written where the command ran, and its temporary folder is gone.
  expect(readdirSync(project)).toEqual([]);
  rmSync(project, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
});

test('a server that reflects any origin with credentials: exit 1, the cause named in three engines, valid SARIF', async () => {
  const server = await startServer('reflect');
  const before = scanFolders();
  const sarif = join(out, 'scan.sarif');
  const run = await scan([server.url, '--origin', APP, '--credentials', '--sarif', sarif], project);
  expect(run.code, run.stdout + run.stderr).toBe(1);
  expect(run.stdout).toMatch(/^chromium +\d+ passed, [1-9]\d* failed/m);
  expect(run.stdout).toMatch(/^firefox +\d+ passed, [1-9]\d* failed/m);
  expect(run.stdout).toMatch(/^webkit +\d+ passed, [1-9]\d* failed/m);
  expect(run.stdout).toContain('diagnosis: 1 root cause');
  expect(run.stdout).toMatch(/1\. .*reflects any origin/);
  expect(run.stdout).toContain("severity: an outside origin reads with the user's credentials");
  expect(run.stdout).toMatch(/impact: .*https:\/\/evil\.test reads \/api\/me with the user's session/);
  expect(scanFolders()).toEqual(before);

  const log = JSON.parse(readFileSync(sarif, 'utf8')) as { runs: { results: { ruleId: string; level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
  expect(sarifProblems(log)).toBe('');
  const results = log.runs[0]?.results ?? [];
  expect(results.map((r) => [r.ruleId, r.level])).toEqual([['origin-accepted', 'error']]);
  expect(results[0]?.message.text).toMatch(/reflects any origin.*Fix: /);
  expect(results[0]?.locations[0]?.physicalLocation.artifactLocation.uri).toBe(server.url);
});

test('the same flags against a local command target that allows only the intended origin: exit 0, no cause, SARIF with no results', async () => {
  // The command starts the server on the port the harness picks ({port}), in the folder scan runs in.
  const sarif = join(out, 'clean.sarif');
  const command = `node ${JSON.stringify(SERVER)} --port {port} --mode clean --allow ${APP}`;
  const run = await scan(['http://127.0.0.1:{port}/api/me', '--command', command, '--origin', APP, '--credentials', '--engines', 'chromium', '--json', '--sarif', sarif], project);
  expect(run.code, run.stdout + run.stderr).toBe(0);
  const report = JSON.parse(run.stdout) as { exitCode: number; unreachable: string | null; notMeasured: string[]; diagnosis: unknown[]; engines: { project: string; passed: number; failed: number }[] };
  expect(report).toMatchObject({ exitCode: 0, unreachable: null, notMeasured: [], testErrors: [], diagnosis: [] });
  expect(report.engines.map((e) => [e.project, e.failed])).toEqual([['chromium', 0]]);
  expect(report.engines[0]?.passed).toBeGreaterThan(0);
  const log = JSON.parse(readFileSync(sarif, 'utf8')) as { runs: { results: unknown[] }[] };
  expect(sarifProblems(log)).toBe('');
  expect(log.runs[0]?.results).toEqual([]);
});

test('a port nothing listens on: exit 3 with one named reason, before any engine starts', async () => {
  const port = await getPort({ host: '127.0.0.1' });
  const run = await scan([`http://127.0.0.1:${port}/api/me`, '--origin', APP, '--engines', 'chromium'], project);
  expect(run.code, run.stdout + run.stderr).toBe(3);
  const reasons = run.stderr.split('\n').filter((line) => line.includes('target unreachable'));
  expect(reasons).toEqual([`cors-matrix scan: target unreachable: 127.0.0.1:${port}: connection refused (nothing listens on port ${port})`]);
  expect(run.stdout).not.toMatch(/passed|diagnosis/);
});

test('a deployed target (a name pinned by --resolve): limits printed first, the spent budget named once, no write forwarded', async () => {
  // http page origins, so that an http API is no mixed content; the host name is not loopback, so the target is
  // deployed: writes held back and at most --budget requests forwarded.
  const server = await startServer('reflect', 'http://app.example.com');
  const url = `http://api.scan.test:${server.port}/api/me`;
  const run = await scan([url, '--resolve', 'api.scan.test=127.0.0.1', '--origin', 'http://app.example.com', '--attacker', 'http://evil.test', '--credentials', '--method', 'PUT', '--budget', '6', '--rate', '20', '--engines', 'chromium'], project);
  expect(run.code, run.stdout + run.stderr).toBe(1);
  const lines = run.stdout.split('\n');
  expect(lines[0]).toBe(`cors-matrix scan: at most 6 requests to api.scan.test:${server.port} per engine, 20 per second (budget: target.budget / --budget, rate: target.rate / --rate); writes held back`);
  expect(run.stdout.match(/the request budget for api\.scan\.test:\d+ is spent: 6 requests forwarded/g)).toHaveLength(1);
  expect(run.stdout).toMatch(/not measured, because the request budget for api\.scan\.test:\d+ \(6\) was spent \(\d+ cases?\)/);
  // Two reachability checks (the command's, before the engines; the worker's, before its proxy), then exactly the
  // budget through the proxy, though more cases asked; never a PUT (a preflight is OPTIONS).
  expect(server.arrived.slice(0, 2), server.arrived.join('\n')).toEqual(['request GET /api/me', 'request GET /api/me']);
  expect(server.arrived.slice(2), server.arrived.join('\n')).toHaveLength(6);
  expect(server.arrived.filter((l) => l.startsWith('request PUT'))).toEqual([]);
});
