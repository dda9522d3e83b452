// `npm run soak -- --runs N [-- playwright test arguments]`: runs the whole matrix N times (default 3), keeps each
// run's results.json, and prints every case × engine whose observable outcome differed between runs, with each
// outcome. Exit code 0 when none did, 1 when some did, 2 on bad arguments or a run that wrote no results.
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { findFlakes, renderFlakes, type SoakRun } from './soak-diff.ts';


function usage(message: string): never {
  process.stderr.write(`soak: ${message}\nUsage: npm run soak -- [--runs N] [-- <playwright test arguments, e.g. --project=chromium -g preflight>]\n`);
  process.exit(2);
}

let parsed: ReturnType<typeof parseArgs<{ options: { runs: { type: 'string' } }; allowPositionals: true; strict: true }>>;
try {
  parsed = parseArgs({ options: { runs: { type: 'string' } }, allowPositionals: true, strict: true });
} catch (error) {
  usage(error instanceof Error ? error.message : String(error));
}
const runs = Number(parsed.values.runs ?? '3');
if (!Number.isInteger(runs) || runs < 1) usage(`--runs must be a whole number of at least 1, got "${parsed.values.runs}"`);
const playwrightArgs = parsed.positionals;

const kept = mkdtempSync(join(tmpdir(), 'cors-matrix-soak-'));
const CONFIG = fileURLToPath(new URL('./soak.config.ts', import.meta.url));
// Each run reports into the soak's own folder (scripts/soak.config.ts), never into the shared cors-matrix-report/.
const REPORT = join(kept, 'report');
const RESULTS = join(REPORT, 'results.json');

let current: ReturnType<typeof spawn> | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    current?.kill(signal);
    process.stderr.write(`\nsoak: ${signal}, stopping after the current run ends; results so far in ${kept}\n`);
    process.exitCode = 130;
  });
}

/** One whole run of the matrix; its output goes to a log beside its results, one summary line to the terminal. */
function runMatrix(index: number): Promise<{ code: number | null; seconds: number }> {
  const started = performance.now();
  return new Promise((done) => {
    const log = join(kept, `run-${index}.log`);
    const child = spawn('npx', ['playwright', 'test', '-c', CONFIG, ...playwrightArgs], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CORS_MATRIX_SOAK_REPORT: REPORT } });
    current = child;
    const chunks: Buffer[] = [];
    child.stdout?.on('data', (c: Buffer) => chunks.push(c));
    child.stderr?.on('data', (c: Buffer) => chunks.push(c));
    child.on('close', (code) => {
      current = undefined;
      writeFileSync(log, Buffer.concat(chunks));
      done({ code, seconds: (performance.now() - started) / 1000 });
    });
  });
}

/** The checkout a run measured: its commit, and a digest of what is changed but not committed. */
function checkoutState(): string {
  const git = (...args: string[]): string => {
    try {
      return execFileSync('git', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).trim();
    } catch {
      return '?';
    }
  };
  const changes = git('diff', 'HEAD');
  let digest = 0;
  for (let i = 0; i < changes.length; i++) digest = (digest * 31 + changes.charCodeAt(i)) | 0;
  return `${git('rev-parse', '--short', 'HEAD')}${changes ? `+changes:${(digest >>> 0).toString(16)}` : ''}`;
}

const results: SoakRun[] = [];
const states: string[] = [];
for (let i = 1; i <= runs && process.exitCode !== 130; i++) {
  const before = (() => {
    try {
      return statSync(RESULTS).mtimeMs;
    } catch {
      return 0;
    }
  })();
  const state = checkoutState();
  const { code, seconds } = await runMatrix(i);
  const after = checkoutState();
  states.push(state === after ? state : `${state} → ${after}`);
  let written = 0;
  try {
    written = statSync(RESULTS).mtimeMs;
  } catch {
    // none
  }
  if (written <= before) {
    process.stderr.write(`soak: run ${i} (exit ${code}) wrote no new ${RESULTS}; its output is in ${join(kept, `run-${i}.log`)}\n`);
    process.exit(2);
  }
  const copy = join(kept, `run-${i}.json`);
  copyFileSync(RESULTS, copy);
  const run = JSON.parse(readFileSync(copy, 'utf8')) as SoakRun & { status?: string };
  results.push(run);
  process.stdout.write(`run ${i}/${runs}: ${run.records.length} records, matrix ${run.status ?? '?'} (exit ${code}) in ${seconds.toFixed(0)} s, checkout ${states.at(-1)}\n`);
}

if (results.length >= 1) {
  const { flakes, compared } = findFlakes(results);
  process.stdout.write(renderFlakes(flakes, compared, results.length));
  // Code that changed between runs makes differences that are changes, not flakes: say so rather than let them pass for flakes.
  if (new Set(states).size > 1) process.stdout.write(`warning: the checkout changed during the soak (${states.join(' | ')}): a difference may be a change, not a flake\n`);
  process.stdout.write(`each run's results.json and output: ${kept}\n`);
  if (process.exitCode !== 130) process.exitCode = flakes.length === 0 ? 0 : 1;
}
