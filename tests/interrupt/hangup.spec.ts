import { test, expect } from '@playwright/test';
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readProcess } from './process-table.ts';

// A SIGHUP sent to the whole process group reaches Playwright's workers too. A worker must not die of it: the main
// process stops it, and only a worker that ends that way runs the 'exit' handlers that remove its temporary
// directories (an engine profile, varnishd's work directory). Outside a worker the registry still kills the children
// and the process dies of the signal, as before.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
// An ended child whose parent died first may stay a zombie here (nothing reaps it): that is ended.
const alive = (pid: number): boolean => {
  const p = readProcess(pid);
  return p !== undefined && p.state !== 'Z';
};

for (const inWorker of [true, false]) {
  test(`SIGHUP ${inWorker ? 'to a Playwright worker leaves it running until it is stopped, which removes its directory' : 'to a script that is no worker kills its children and the script'}`, async () => {
    const env = { ...process.env };
    if (inWorker) env['TEST_WORKER_INDEX'] = '0';
    else delete env['TEST_WORKER_INDEX'];
    const script = spawn(process.execPath, ['--import', 'tsx', 'tests/interrupt/fixtures/hangup-in-worker.ts'], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    script.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    script.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<void>((resolve) => script.on('exit', () => resolve()));
    for (let i = 0; i < 100 && !output.includes('ready'); i++) await sleep(100);
    const [, dir = '', childPid = ''] = /ready (\S+) (\d+)/.exec(output) ?? [];
    expect(existsSync(dir), `the script made its directory (output: ${output})`).toBe(true);
    script.kill('SIGHUP');
    await sleep(500);
    // Either way the registered child is ended at once.
    expect(alive(Number(childPid)), 'the registered child was ended').toBe(false);
    if (inWorker) {
      expect(script.exitCode === null && script.signalCode === null, 'the worker is still running').toBe(true);
      script.stdin?.write('exit\n');
      await Promise.race([exited, sleep(5_000)]);
      expect(script.exitCode).toBe(0);
      expect(existsSync(dir), 'the stopped worker removed its directory').toBe(false);
    } else {
      await Promise.race([exited, sleep(5_000)]);
      expect(script.signalCode).toBe('SIGHUP');
    }
    if (script.exitCode === null && script.signalCode === null) script.kill('SIGKILL');
    // A script that died of the signal ran no 'exit' handler: its directory is this test's to remove.
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
}
