import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PROCESS_ROLES, treeMemory, type ProcessRole } from './process-tree.ts';

export interface WholeRun {
  readonly cases: number;
  /** Playwright workers: 1 runs the engines one after another (the bench config's own), 2 runs two at once. */
  readonly workers: number;
  readonly failHalf: boolean;
  readonly seconds: number;
  /** The highest memory of the whole process tree (PSS), sampled every 250 ms. */
  readonly peakBytes: number;
  /** How that peak divided between the runner, the workers, the browsers and the launcher. */
  readonly atPeak: Readonly<Record<ProcessRole, number>>;
  /** Each role's own highest memory over the run (they need not peak at the same moment). */
  readonly peakByRole: Readonly<Record<ProcessRole, number>>;
  readonly passed: number;
  readonly failed: number;
  readonly exitCode: number | null;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** One whole `npx playwright test` run of the generated matrix, every engine, timed from the outside with its peak memory. */
export function wholeRun(cases: number, failHalf: boolean, engines: readonly string[], workers = 1): Promise<WholeRun> {
  const args = ['playwright', 'test', '-c', 'tests/bench/playwright.config.ts', `--workers=${workers}`, ...engines.map((e) => `--project=${e}`)];
  const child = spawn('npx', args, {
    cwd: ROOT,
    env: { ...process.env, CORS_MATRIX_GENERATED: String(cases), CORS_MATRIX_FAIL_HALF: failHalf ? '1' : '0', CI: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const started = performance.now();
  let peakBytes = 0;
  let atPeak: Record<ProcessRole, number> = { runner: 0, workers: 0, browsers: 0, launcher: 0 };
  const peakByRole: Record<ProcessRole, number> = { runner: 0, workers: 0, browsers: 0, launcher: 0 };
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const sampler = setInterval(() => {
    if (child.pid === undefined) return;
    const now = treeMemory(child.pid);
    if (now.totalBytes > peakBytes) {
      peakBytes = now.totalBytes;
      atPeak = { ...now.byRole };
    }
    for (const role of PROCESS_ROLES) peakByRole[role] = Math.max(peakByRole[role], now.byRole[role]);
  }, 250);
  return new Promise((resolve) => {
    child.once('exit', (exitCode) => {
      clearInterval(sampler);
      const seconds = (performance.now() - started) / 1000;
      const count = (word: string) => Number(new RegExp(`(\\d+) ${word}`).exec(output)?.[1] ?? 0);
      resolve({ cases, workers, failHalf, seconds, peakBytes, atPeak, peakByRole, passed: count('passed'), failed: count('failed'), exitCode });
    });
  });
}
