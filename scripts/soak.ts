// `npm run soak -- --runs N [-- playwright test arguments]`: runs the whole matrix N times (default 3), keeps each
// run's results.json, and prints every case × engine whose observable outcome differed between runs, with each
// outcome. Exit code 0 when none did, 1 when some did, 2 on bad arguments, a run that wrote no results, or a git
// that failed (the soak must know which checkout each run measured). The figures, the checkouts and the machine are
// kept in evidence/soak/<start>-<commit>.json.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { checkoutLine, checkoutState, machine, sameCheckout, writeEvidence, type CheckoutState, type EngineVersion } from './bench/evidence.ts';
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

/** The checkout now; a git that fails ends the soak with an error that says so (exit 2). */
function checkoutNow(): CheckoutState {
  try {
    return checkoutState('the soak cannot tell which checkout a run measured, so it could not warn that the checkout changed during the soak');
  } catch (error) {
    process.stderr.write(`soak: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
}

const startedAt = new Date().toISOString();
const firstState = checkoutNow();
const runFigures: { run: number; exitCode: number | null; seconds: number; records: number; status: string; checkout: string }[] = [];
const engineVersions = new Map<string, string>();
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
  const state = i === 1 ? firstState : checkoutNow();
  const { code, seconds } = await runMatrix(i);
  const after = checkoutNow();
  states.push(sameCheckout(state, after) ? checkoutLine(state) : `${checkoutLine(state)} → ${checkoutLine(after)}`);
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
  const run = JSON.parse(readFileSync(copy, 'utf8')) as SoakRun & { status?: string; engines?: readonly { project: string; engine?: EngineVersion }[] };
  results.push(run);
  for (const { engine } of run.engines ?? []) if (engine) engineVersions.set(engine.name, engine.version);
  runFigures.push({ run: i, exitCode: code, seconds, records: run.records.length, status: run.status ?? 'unknown', checkout: states.at(-1) ?? '' });
  process.stdout.write(`run ${i}/${runs}: ${run.records.length} records, matrix ${run.status ?? '?'} (exit ${code}) in ${seconds.toFixed(0)} s, checkout ${states.at(-1)}\n`);
}

if (results.length >= 1) {
  const { flakes, compared } = findFlakes(results);
  process.stdout.write(renderFlakes(flakes, compared, results.length));
  // Code that changed between runs makes differences that are changes, not flakes: say so rather than let them pass for flakes.
  if (new Set(states).size > 1) process.stdout.write(`warning: the checkout changed during the soak (${states.join(' | ')}): a difference may be a change, not a flake\n`);
  process.stdout.write(`each run's results.json and output: ${kept}\n`);
  const evidence = writeEvidence({
    kind: 'soak',
    startedAt,
    endedAt: new Date().toISOString(),
    checkout: firstState,
    checkoutAtEnd: checkoutNow(),
    machine: machine([...engineVersions].map(([name, version]) => ({ name, version }))),
    arguments: process.argv.slice(2),
    figures: {
      runsAsked: runs,
      runs: runFigures,
      compared,
      flaky: flakes.length,
      checkoutChanged: new Set(states).size > 1,
      flakes,
    },
  });
  process.stdout.write(`evidence: ${evidence}\n`);
  if (process.exitCode !== 130) process.exitCode = flakes.length === 0 ? 0 : 1;
}
