import { test, expect } from '@playwright/test';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { descendants, stillRunning, type ProcessSeen } from './process-table.ts';

// A script that launches an engine through the library and then ends without closing it (a signal, or
// process.exit()) must not leave the engine's processes behind: Playwright's launcher kills its browsers, and the
// child-process registry kills WebKitWebDriver and Xvfb (and MiniBrowser goes with its driver).

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const engine of ['webkit', 'chromium'] as const) {
  for (const ending of ['SIGTERM', 'SIGINT', 'process.exit()'] as const) {
    test(`${engine}: a script ended by ${ending} without closing the engine leaves no engine process`, async () => {
      const script = spawn(process.execPath, ['--import', 'tsx', 'tests/interrupt/fixtures/launch-and-wait.ts', engine], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
      let output = '';
      script.stdout?.on('data', (c: Buffer) => (output += c.toString()));
      script.stderr?.on('data', (c: Buffer) => (output += c.toString()));
      const exited = new Promise<void>((resolve) => script.on('exit', () => resolve()));
      for (let i = 0; i < 600 && !output.includes('ready'); i++) await sleep(100);
      expect(output, 'the engine launched').toContain(`ready ${engine}`);
      const seen: ProcessSeen[] = descendants(script.pid as number);
      expect(seen.length).toBeGreaterThan(0);
      if (ending === 'process.exit()') script.stdin?.write('exit\n');
      else script.kill(ending);
      // Playwright's own SIGTERM handler closes its browsers and leaves the exit to the script: wait a while, no more.
      await Promise.race([exited, sleep(15_000)]);
      let left = seen.filter(stillRunning);
      for (let i = 0; i < 100 && left.length > 0; i++) {
        await sleep(100);
        left = left.filter(stillRunning);
      }
      for (const p of left) process.kill(p.pid, 'SIGKILL');
      if (script.exitCode === null && script.signalCode === null) script.kill('SIGKILL');
      expect(left.map((p) => `${p.pid} ${p.comm}`), `left behind by a script ended by ${ending}`).toEqual([]);
    });
  }
}
