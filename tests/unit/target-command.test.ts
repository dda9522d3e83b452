import { test, expect } from '@playwright/test';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTarget, TargetStartError } from '../../lib/measure/target-process.ts';
import { ownServerCases } from '../../lib/model/own-server-cases.ts';
import { defineConfig } from '../../lib/model/own-server-config.ts';

// Your server's command: `{port}` filled in everywhere it may be written, both output streams kept for the error, and
// a placeholder the harness does not know refused by `cors-matrix check`, naming the field.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DEV_API = join(ROOT, 'tests/fixtures/loopback/dev-api.mjs');

test('{port} is filled in in target.command and in target.env values, and PORT is still set', async () => {
  const running = await startTarget({
    // PORT is set too, but the fixture takes --port first: only a filled-in command brings it up on the picked port.
    command: `node ${DEV_API} --port {port}`,
    url: 'http://127.0.0.1:{port}/health',
    env: { PUBLIC_URL: 'http://localhost:{port}/' },
  });
  try {
    const port = running.url.port;
    const health = (await (await fetch(running.url)).json()) as { port: number; publicUrl: string };
    expect(health).toEqual({ port: Number(port), publicUrl: `http://localhost:${port}/` });
  } finally {
    await running.stop();
  }
});

test('a command that never answers fails once, within the ready timeout, naming the command, the URL and its last output on stdout and stderr', async () => {
  const started = Date.now();
  const error = await startTarget({
    command: `node -e "console.log('dev server: compiling on port ' + process.argv[1]); console.error('warning: slow disk'); setInterval(() => {}, 1000)" {port}`,
    url: 'http://127.0.0.1:{port}/',
    readyTimeoutMs: 2_000,
  }).catch((e: unknown) => e);
  expect(Date.now() - started).toBeLessThan(2_000 + 3_000);
  expect(error).toBeInstanceOf(TargetStartError);
  const failed = error as TargetStartError;
  const port = new URL(failed.url).port;
  expect(failed.ended).toBeUndefined();
  expect(failed.command).toContain(`setInterval(() => {}, 1000)" ${port}`);
  expect(failed.lastOutput).toEqual([`dev server: compiling on port ${port}`, 'warning: slow disk']);
  expect(failed.message).toContain(`did not answer at http://127.0.0.1:${port}/ within 2000 ms`);
  expect(failed.message).toContain('dev server: compiling on port');
});

test('a command that ends before answering says how it ended, with what it wrote on stdout', async () => {
  const error = await startTarget({ command: `node -e "console.log('Error: Cannot find module vite'); process.exit(3)"`, url: 'http://127.0.0.1:{port}/' }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(TargetStartError);
  expect((error as TargetStartError).ended).toMatch(/exited with code 3/);
  expect((error as TargetStartError).message).toContain('Error: Cannot find module vite');
});

function check(file: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'bin', 'cors-matrix.mjs'), 'check', file], { cwd: ROOT }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, output: stdout + stderr }),
    );
  });
}

test('cors-matrix check refuses an unknown placeholder in target.command, naming the field and the one it knows', async () => {
  const file = 'tests/fixtures/check/configs/command-unknown-placeholder/cors-matrix.config.ts';
  const { code, output } = await check(file);
  expect(code).toBe(2);
  expect(output).toContain(file);
  expect(output).toContain('field target.command');
  expect(output).toContain('holds {prot}, a placeholder the harness does not know: the only one is {port}');
});

test('cors-matrix check refuses {port} in target.command when target.url has a fixed port', async () => {
  const file = 'tests/fixtures/check/configs/command-port-without-url-port/cors-matrix.config.ts';
  const { code, output } = await check(file);
  expect(code).toBe(2);
  expect(output).toContain('field target.command: holds {port}, but target.url has none');
});

test('two APIs on one loopback host name, told apart by port, get cases of their own; a default port is not written in the ids', () => {
  const on = (apiOrigin: string) =>
    ownServerCases(defineConfig({ target: { url: 'http://127.0.0.1:9/' }, apiOrigin, routes: [{ path: '/api' }], intent: { origins: ['http://localhost:3000'] } })).map((c) => c.id);
  const first = on('http://localhost:5173');
  const second = on('http://localhost:5174');
  expect(first.filter((id) => second.includes(id))).toEqual([]);
  expect(on('https://api.example.com')[0]).toMatch(/^own-server-api-example-com-api-/);
});
