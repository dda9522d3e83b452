import { test, expect } from '@playwright/test';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { descendants, stillRunning, tempPathsOf, type ProcessSeen } from './process-table.ts';

// Ctrl-C (SIGINT to the terminal's whole process group) or SIGTERM (to the run's own process, as `kill` or a CI
// runner's cancel sends it) in the middle of a real run must leave no browser, driver, Xvfb, proxy or server process
// and no temporary directory of the run's behind. Each test starts `npx playwright test` on one family in one engine,
// waits until the engine runs, interrupts, and then reads the process table for every descendant it ever saw.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TMP = tmpdir();
const ENGINE_PROCESS = { chromium: /^(chromium|chrome)$/, firefox: /^firefox/, webkit: /^MiniBrowser$/ } as const;

interface Interruption {
  readonly engine: keyof typeof ENGINE_PROCESS;
  /** SIGHUP: the terminal the run was typed in was closed (to the group), or a supervisor hung up on it. */
  readonly signal: 'SIGINT' | 'SIGTERM' | 'SIGHUP';
  /**
   * `group`: every process of the run's group, as a terminal's Ctrl-C does; `playwright`: Playwright's own main
   * process only (`kill <pid>`); `npx`: the npx that launched it only (a CI runner cancelling the step it started).
   */
  readonly to: 'group' | 'playwright' | 'npx';
  /** Which tests run (`-g`): a family, or the API origin of the own-server sample (cors-matrix.config.ts). */
  readonly family: string;
  /** How long the engine has been up when the run is interrupted; default two seconds (it is measuring). */
  readonly engineUpMs?: number;
}

const OWN_SERVER = 'https://api.example.com';

const INTERRUPTIONS: readonly Interruption[] = [
  { engine: 'webkit', signal: 'SIGINT', to: 'group', family: 'preflight' },
  { engine: 'chromium', signal: 'SIGINT', to: 'group', family: 'preflight' },
  { engine: 'webkit', signal: 'SIGTERM', to: 'playwright', family: 'preflight' },
  { engine: 'chromium', signal: 'SIGTERM', to: 'playwright', family: 'preflight' },
  { engine: 'chromium', signal: 'SIGTERM', to: 'npx', family: 'preflight' },
  { engine: 'webkit', signal: 'SIGTERM', to: 'group', family: 'preflight' },
  { engine: 'firefox', signal: 'SIGINT', to: 'group', family: 'preflight' },
  { engine: 'firefox', signal: 'SIGTERM', to: 'playwright', family: 'preflight' },
  { engine: 'chromium', signal: 'SIGHUP', to: 'group', family: 'preflight' },
  { engine: 'webkit', signal: 'SIGHUP', to: 'playwright', family: 'preflight' },
  { engine: 'firefox', signal: 'SIGHUP', to: 'group', family: 'preflight' },
  // Your server, started by its command (npx tsx …) in its own process group, must end with the run too.
  { engine: 'chromium', signal: 'SIGINT', to: 'group', family: OWN_SERVER, engineUpMs: 300 },
  { engine: 'chromium', signal: 'SIGTERM', to: 'playwright', family: OWN_SERVER, engineUpMs: 300 },
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const TO = { group: 'the whole process group', playwright: "Playwright's main process", npx: 'the npx that started the run' } as const;
const describe = (p: ProcessSeen): string => `${p.pid} ${p.comm}: ${p.cmdline.slice(0, 160)}`;

/** X servers' lock files (/tmp/.X<n>-lock) naming one of these pids: left behind when an Xvfb is not let to clean up. */
function xLocksOf(pids: ReadonlySet<number>): string[] {
  return readdirSync(TMP)
    .filter((name) => /^\.X\d+-lock$/.test(name))
    .filter((name) => {
      try {
        return pids.has(Number(readFileSync(join(TMP, name), 'utf8').trim()));
      } catch {
        return false;
      }
    })
    .map((name) => join(TMP, name));
}

for (const { engine, signal, to, family, engineUpMs = 2_000 } of INTERRUPTIONS) {
  test(`${signal} to ${TO[to]} in the middle of a ${engine} run${family === OWN_SERVER ? ' of your server' : ''} leaves no process and no temporary directory`, async ({}, testInfo) => {
    const tmpBefore = new Set(readdirSync(TMP));
    const env: NodeJS.ProcessEnv = { ...process.env };
    // This test's own worker index would make the run's main process think it is a worker.
    delete env['TEST_WORKER_INDEX'];
    delete env['TEST_PARALLEL_INDEX'];
    const run = spawn('npx', ['playwright', 'test', '-c', 'tests/interrupt/run.config.ts', `--project=${engine}`, '-g', family], {
      cwd: ROOT,
      env,
      detached: true, // its own process group, like a command typed at a terminal
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    run.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    run.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => run.on('exit', (code, sig) => resolve({ code, signal: sig })));
    let ended: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    void exited.then((e) => (ended = e));

    const seen = new Map<string, ProcessSeen>();
    const tempPaths = new Set<string>();
    const look = (): ProcessSeen[] => {
      const now = run.pid === undefined ? [] : descendants(run.pid);
      for (const p of now) {
        seen.set(`${p.pid}/${p.startTime}`, p);
        for (const path of tempPathsOf(p.pid, TMP)) if (!tmpBefore.has(path.slice(TMP.length + 1))) tempPaths.add(path);
      }
      return now;
    };

    // Mid-run: the engine has been up a while (it is measuring), and the run has not ended.
    let engineSince: number | undefined;
    const deadline = Date.now() + 120_000;
    while (ended === undefined && Date.now() < deadline) {
      const now = look();
      if (now.some((p) => ENGINE_PROCESS[engine].test(p.comm))) engineSince ??= Date.now();
      if (engineSince !== undefined && Date.now() - engineSince >= engineUpMs) break;
      await sleep(100);
    }
    expect(ended, `the run ended before it could be interrupted:\n${output.slice(-2_000)}`).toBeUndefined();
    expect(engineSince, `no ${engine} process appeared within two minutes:\n${output.slice(-2_000)}`).toBeDefined();
    const main = look().find((p) => p.comm === 'node' && /playwright test /.test(p.cmdline));
    expect(main, "Playwright's main process").toBeDefined();
    const interruptedAt = Date.now();
    if (to === 'group') process.kill(-(run.pid as number), signal);
    else if (to === 'npx') run.kill(signal);
    else process.kill((main as ProcessSeen).pid, signal);

    // Keep watching while it winds down: processes started during shutdown count too.
    while (ended === undefined && Date.now() - interruptedAt < 60_000) {
      look();
      await sleep(100);
    }
    expect(ended, `the run did not exit within 60 s of ${signal}`).toBeDefined();
    // What exits with it may take a moment to go; a leak is what is still there after ten seconds.
    let left: ProcessSeen[] = [...seen.values()].filter(stillRunning);
    for (let i = 0; i < 100 && left.length > 0; i++) {
      await sleep(100);
      left = left.filter(stillRunning);
    }
    const xvfbPids = new Set([...seen.values()].filter((p) => p.comm === 'Xvfb').map((p) => p.pid));
    const leftPaths = [...tempPaths].filter((path) => existsSync(path));
    const leftLocks = xLocksOf(xvfbPids);

    await testInfo.attach('run-output.txt', { body: output, contentType: 'text/plain' });
    await testInfo.attach('processes-seen.txt', { body: [...seen.values()].map(describe).join('\n'), contentType: 'text/plain' });
    testInfo.annotations.push({ type: 'interrupt', description: `${seen.size} descendants seen, ${tempPaths.size} temporary paths; exit ${JSON.stringify(ended)} ${Date.now() - interruptedAt} ms after ${signal}` });

    // Leave the machine clean whatever the verdict: these are this test's own processes and paths.
    for (const p of left) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    for (const path of [...leftPaths, ...leftLocks]) rmSync(path, { recursive: true, force: true });

    if (family === OWN_SERVER) expect([...seen.values()].some((p) => /sample-api/.test(p.cmdline)), 'your server was seen running before the interruption').toBe(true);
    expect(left.map(describe), 'processes left behind').toEqual([]);
    expect(leftPaths, 'temporary paths left behind').toEqual([]);
    expect(leftLocks, "Xvfb lock files left behind").toEqual([]);
    expect([...seen.values()].some((p) => ENGINE_PROCESS[engine].test(p.comm))).toBe(true);
  });
}
