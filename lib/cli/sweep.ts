/**
 * `cors-matrix sweep <package> <version>… [--suite FILE] [--engines LIST] [--keep]`: a bisect for CORS behaviour. Each
 * version of a middleware package is installed side by side in a scratch folder (its own package.json, no lockfile:
 * the project's own install and lockfile are never touched), the suites that use it run against each version in real
 * engines with matrix snapshots on, and the sweep prints which version changed which cells, in which engines.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SWEEP_PACKAGE_ENV, SWEEP_ROOT_ENV } from '../middleware/package-override.ts';
import type { MiddlewareName } from '../middleware/index.ts';
import { ENGINE_NAMES, type EngineName } from '../oracle/vocabulary.ts';
import { compareRuns, countCells, snapshotsFromRecords, type CellChange, type NamedRecord, type SnapshotFile } from '../snapshot/index.ts';

export { EXIT_OK, EXIT_INTERNAL, EXIT_USAGE_OR_INPUT, EXIT_INTERRUPTED } from './exit-codes.ts';
import { EXIT_OK, EXIT_INTERNAL, EXIT_USAGE_OR_INPUT, EXIT_INTERRUPTED } from './exit-codes.ts';

/** The packages a sweep can swap, and the adapter that loads each (lib/middleware/package-override.ts). */
export const SWEEPABLE: Readonly<Record<string, MiddlewareName>> = {
  cors: 'express-cors',
  '@fastify/cors': 'fastify-cors',
  '@koa/cors': 'koa-cors',
  hono: 'hono-cors',
};

export const SWEEP_USAGE = `Usage: cors-matrix sweep <package> <version>… [--suite FILE] [--engines chromium,firefox,webkit] [--keep]

  Runs the middleware suites that use <package> against each version (a published version, or a path to a packed
  .tgz), installed side by side in a scratch folder, and prints which version changed which cells in which engines.
  <package> is one the built-in adapters load: ${Object.keys(SWEEPABLE).join(', ')}
  --suite FILE    a module whose default export is defineMiddlewareSuites([...]) (default: the built-in suites)
  --engines LIST  comma-separated engines (default: all three)
  --keep          keep the scratch folder (installs, snapshots, the run's report) and print where it is
`;


export interface SweepIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
}

export interface SweepRequest {
  readonly packageName: string;
  /** Published versions (`4.0.0`) or paths to packed tarballs. */
  readonly versions: readonly string[];
  readonly suiteFile: string;
  readonly engines: readonly EngineName[];
  readonly keep: boolean;
}

/** This module's extension: `.ts` from source, `.js` from the built package; sibling modules share it. */
const OWN_EXTENSION = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const libPath = (relative: string): string => fileURLToPath(new URL(`../${relative}${OWN_EXTENSION}`, import.meta.url));
/** The built-in suites: in the source tree only (the published package ships no scenarios). */
const DEFAULT_SUITE_FILE = fileURLToPath(new URL('../../scenarios/middleware.ts', import.meta.url));
const PACKAGE_NAME = /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;
const VERSION = /^[0-9A-Za-z][0-9A-Za-z.+-]*$/;

class UsageError extends Error {}

/** Reads and checks the sweep's arguments; throws UsageError naming the argument and the rule. */
export function parseSweepArgs(argv: readonly string[], cwd: string): SweepRequest {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { suite: { type: 'string' }, engines: { type: 'string' }, keep: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const [packageName, ...versions] = parsed.positionals;
  if (packageName === undefined) throw new UsageError('sweep needs a package and at least two versions');
  if (!PACKAGE_NAME.test(packageName)) throw new UsageError(`<package> "${packageName}" is not an npm package name`);
  if (!(packageName in SWEEPABLE)) throw new UsageError(`<package> "${packageName}" is not loaded by a built-in adapter; one of: ${Object.keys(SWEEPABLE).join(', ')}`);
  if (versions.length < 2) throw new UsageError(`sweep needs at least two versions to compare, got ${versions.length}`);
  const resolved = versions.map((v) => {
    if (v.endsWith('.tgz')) {
      const path = resolve(cwd, v);
      if (!existsSync(path)) throw new UsageError(`<version> ${v}: no such packed tarball`);
      return path;
    }
    if (!VERSION.test(v)) throw new UsageError(`<version> "${v}" must be a published version (e.g. 4.0.0) or a path to a packed .tgz`);
    return v;
  });
  if (new Set(resolved).size !== resolved.length) throw new UsageError('each version may be given only once');
  const suiteFile = parsed.values.suite === undefined ? DEFAULT_SUITE_FILE : resolve(cwd, parsed.values.suite);
  if (!existsSync(suiteFile)) {
    throw new UsageError(parsed.values.suite === undefined ? 'needs --suite FILE: the built-in suites ship with the source tree only' : `--suite ${parsed.values.suite}: no such file`);
  }
  const engines = (parsed.values.engines ?? ENGINE_NAMES.join(',')).split(',').map((e) => e.trim());
  const unknown = engines.filter((e) => !(ENGINE_NAMES as readonly string[]).includes(e));
  if (unknown.length || engines.length === 0) throw new UsageError(`--engines: "${unknown.join(', ')}" is not an engine; use ${ENGINE_NAMES.join(', ')}`);
  return { packageName, versions: resolved, suiteFile, engines: engines as EngineName[], keep: parsed.values.keep === true };
}

interface Run {
  readonly exitCode: number;
  readonly output: string;
}

function run(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; signal?: AbortSignal }): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(command, [...args], { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'], ...(options.signal && { signal: options.signal }) });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ exitCode: code ?? 1, output }));
  });
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

interface Installed {
  /** The version as its package.json says (a tarball's too). */
  readonly version: string;
  readonly root: string;
}

/** Installs one version into its own folder: a package.json of its own, no lockfile, no scripts. */
async function install(packageName: string, version: string, root: string, signal?: AbortSignal): Promise<Installed> {
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'package.json'), `${JSON.stringify({ name: `cors-matrix-sweep-${basename(root)}`, private: true }, null, 2)}\n`);
  const spec = version.endsWith('.tgz') ? version : `${packageName}@${version}`;
  const result = await run(npm, ['install', spec, '--prefix', root, '--no-package-lock', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], { cwd: root, ...(signal && { signal }) });
  if (result.exitCode !== 0) throw new Error(`npm install ${spec} failed:\n${result.output.trim()}`);
  const manifest = join(root, 'node_modules', packageName, 'package.json');
  if (!existsSync(manifest)) throw new Error(`npm install ${spec} did not install ${packageName} (a tarball of another package?)`);
  const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { version?: unknown };
  return { version: typeof parsed.version === 'string' ? parsed.version : version, root };
}

/** The spec and config the sweep runs: the suites of `suiteFile` that use the swept package, snapshots on. */
function writeRunFiles(scratch: string, request: SweepRequest, adapter: MiddlewareName): string {
  const spec = join(scratch, 'sweep.spec.ts');
  writeFileSync(
    spec,
    [
      `// Generated by cors-matrix sweep: the suites of ${request.suiteFile} that use ${request.packageName}.`,
      // The suite file's default export read as lib/model/load-module.ts reads it: a CommonJS-compiled file's too.
      `import * as suiteModule from ${JSON.stringify(request.suiteFile)};`,
      `import { defaultExportOf } from ${JSON.stringify(libPath('model/load-module'))};`,
      `import { middlewareTests } from ${JSON.stringify(libPath('playwright/matrix-tests'))};`,
      `const suites = defaultExportOf(suiteModule);`,
      `if (!Array.isArray(suites)) throw new Error(${JSON.stringify(`${request.suiteFile}: field default export: must be defineMiddlewareSuites([...]), a list of middleware suites`)});`,
      `middlewareTests(suites.filter((suite) => suite.middleware === ${JSON.stringify(adapter)}));`,
      '',
    ].join('\n'),
  );
  const config = join(scratch, 'playwright.config.ts');
  writeFileSync(
    config,
    [
      `// Generated by cors-matrix sweep.`,
      `import { defineConfig } from '@playwright/test';`,
      `import { matrixProjects, matrixReporters } from ${JSON.stringify(libPath('playwright/projects'))};`,
      `export default defineConfig({`,
      `  testDir: ${JSON.stringify(scratch)},`,
      `  testMatch: 'sweep.spec.ts',`,
      `  outputDir: ${JSON.stringify(join(scratch, 'test-results'))},`,
      `  timeout: 60_000,`,
      `  workers: 1,`,
      `  reporter: matrixReporters({ outputFolder: process.env.CORS_MATRIX_SWEEP_REPORT ?? 'cors-matrix-report' }),`,
      `  projects: matrixProjects({ engines: ${JSON.stringify(request.engines)} }),`,
      `});`,
      '',
    ].join('\n'),
  );
  return config;
}

interface RunResults {
  readonly snapshots: SnapshotFile[];
  /** `12 of 16 cases as the suites' intent expects`. */
  readonly tally: string;
}

/** The run's snapshots, built from the judged records in its results.json (the matrix reporter writes it). */
function readRunResults(reportDir: string): RunResults | undefined {
  const file = join(reportDir, 'results.json');
  if (!existsSync(file)) return undefined;
  const results = JSON.parse(readFileSync(file, 'utf8')) as { records?: { status?: string; case?: NamedRecord }[] };
  const records = results.records ?? [];
  const count = (status: string) => records.filter((r) => r.status === status).length;
  return {
    snapshots: snapshotsFromRecords(records.flatMap((r) => (r.case ? [r.case] : []))),
    tally: `${count('passed')} of ${records.length} cases as the suites' intent expects`,
  };
}

/** The sweep's report of one step: every changed cell, with the engines that showed it. */
export function describeStep(packageName: string, from: string, to: string, changes: readonly CellChange[], cells: number): string {
  const cases = new Set(changes.map((c) => c.caseId)).size;
  const head = `${packageName} ${from} → ${to}: ${cases === 0 ? 'no cell changed' : `${cases} case${cases === 1 ? '' : 's'} changed`} (${cells} cells compared)`;
  const lines = changes.flatMap((c) => [`  ${c.name} › ${c.title}`, ...c.changes.map((line) => `    [${c.engines.join(', ')}] ${line}`)]);
  return [head, ...lines].join('\n');
}

/** Runs the sweep; returns the exit code. Aborting `signal` stops the running child and removes the scratch folder. */
export async function sweep(request: SweepRequest, io: SweepIO, signal?: AbortSignal): Promise<number> {
  const adapter = SWEEPABLE[request.packageName];
  if (adapter === undefined) throw new UsageError(`"${request.packageName}" cannot be swept`);
  // Inside the project, so that the generated spec and config resolve @playwright/test and cors-matrix as it does.
  const scratch = mkdtempSync(join(io.cwd, '.cors-matrix-sweep-'));
  const playwrightCli = createRequire(join(io.cwd, 'package.json')).resolve('@playwright/test/cli');
  try {
    const config = writeRunFiles(scratch, request, adapter);
    io.stdout(`cors-matrix sweep: ${request.packageName} across ${request.versions.length} versions, suites from ${request.suiteFile} (${adapter}), engines ${request.engines.join(', ')}\n`);
    const runs: { label: string; snapshots: SnapshotFile[] }[] = [];
    for (const [i, version] of request.versions.entries()) {
      const installed = await install(request.packageName, version, join(scratch, `v${i + 1}`), signal);
      const label = version.endsWith('.tgz') ? `${installed.version} (${basename(version)})` : installed.version;
      const reportDir = join(installed.root, 'report');
      const result = await run(process.execPath, [playwrightCli, 'test', '-c', config], {
        cwd: io.cwd,
        env: { [SWEEP_PACKAGE_ENV]: request.packageName, [SWEEP_ROOT_ENV]: installed.root, CORS_MATRIX_SWEEP_REPORT: reportDir },
        ...(signal && { signal }),
      });
      const results = readRunResults(reportDir);
      const snapshots = results?.snapshots ?? [];
      io.stdout(`  ${label}: ${countCells(snapshots)} cells measured; ${results?.tally ?? 'no results.json'}\n`);
      if (snapshots.length === 0) {
        io.stderr(`cors-matrix sweep: the run against ${request.packageName} ${label} recorded no cells (exit ${result.exitCode}):\n${result.output.trim().split('\n').slice(-30).join('\n')}\n`);
        return EXIT_INTERNAL;
      }
      runs.push({ label, snapshots });
    }
    io.stdout('\n');
    for (let i = 1; i < runs.length; i++) {
      const before = runs[i - 1];
      const after = runs[i];
      if (!before || !after) continue;
      io.stdout(`${describeStep(request.packageName, before.label, after.label, compareRuns(before.snapshots, after.snapshots), countCells(after.snapshots))}\n\n`);
    }
    return EXIT_OK;
  } finally {
    if (request.keep) io.stdout(`scratch folder kept: ${scratch}\n`);
    else rmSync(scratch, { recursive: true, force: true });
  }
}

/** `cors-matrix sweep …` from the command line (main.ts hands over everything after `sweep`). */
export async function sweepMain(argv: readonly string[], io: SweepIO): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(SWEEP_USAGE);
    return EXIT_OK;
  }
  let request: SweepRequest;
  try {
    request = parseSweepArgs(argv, io.cwd);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`cors-matrix sweep: ${error.message}\n\n${SWEEP_USAGE}`);
    return EXIT_USAGE_OR_INPUT;
  }
  // Ctrl-C or SIGTERM: stop the run in progress and leave no scratch folder behind.
  const interrupted = new AbortController();
  const stop = () => interrupted.abort();
  process.once('SIGINT', stop).once('SIGTERM', stop);
  try {
    return await sweep(request, io, interrupted.signal);
  } catch (error) {
    if (interrupted.signal.aborted) {
      io.stderr('cors-matrix sweep: interrupted; the scratch folder is removed\n');
      return EXIT_INTERRUPTED;
    }
    io.stderr(`cors-matrix sweep: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_INTERNAL;
  } finally {
    process.off('SIGINT', stop).off('SIGTERM', stop);
  }
}

