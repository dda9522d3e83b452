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
// the intended origin is clean (exit 0); a port nothing listens on is unreachable (exit 3, one named reason). The
// folder the command runs in stays empty: scan writes nothing into the project.

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
async function startServer(mode: 'reflect' | 'clean'): Promise<{ url: string; child: ChildProcess }> {
  const port = await getPort({ host: '127.0.0.1' });
  const child = spawn(process.execPath, [SERVER, '--port', String(port), '--mode', mode, '--allow', APP], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`cors-server exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}/api/me`, child };
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
  started.push(server.child);
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

test('the same flags against a local command target: the command starts the server on the port the harness picks', async () => {
  const run = await scan(['http://127.0.0.1:{port}/api/me', '--command', `node ${JSON.stringify(SERVER)} --port {port} --mode reflect`, '--origin', APP, '--credentials', '--engines', 'chromium', '--json'], project);
  expect(run.code, run.stdout + run.stderr).toBe(1);
  const report = JSON.parse(run.stdout) as { exitCode: number; unreachable: string | null; diagnosis: { kind: string; summary: string }[]; engines: { project: string }[] };
  expect(report.exitCode).toBe(1);
  expect(report.unreachable).toBeNull();
  expect(report.engines.map((e) => e.project)).toEqual(['chromium']);
  expect(report.diagnosis.map((c) => c.kind)).toEqual(['origin-accepted']);
  expect(report.diagnosis[0]?.summary).toMatch(/reflects any origin/);
});

test('a server that allows only the intended origin: exit 0, no root cause, and SARIF with no results', async () => {
  const server = await startServer('clean');
  started.push(server.child);
  const sarif = join(out, 'clean.sarif');
  const run = await scan([server.url, '--origin', APP, '--credentials', '--engines', 'chromium', '--sarif', sarif], project);
  expect(run.code, run.stdout + run.stderr).toBe(0);
  expect(run.stdout).toMatch(/^chromium +[1-9]\d* passed, 0 failed/m);
  expect(run.stdout).not.toContain('diagnosis:');
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
