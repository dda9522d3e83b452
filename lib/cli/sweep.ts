/**
 * `cors-matrix sweep <package> <version>… [--suite FILE] [--from DIR] [--engines LIST] [--keep]`: runs the suites a
 * package reaches against each of its versions and prints which version changed which cells, in which engines. The
 * package is any the project depends on, directly or through others: a CORS middleware, the framework under it
 * (express 4 → 5), or a package deep in either. Each version is installed alone in a scratch folder and every import
 * of the package is pointed at it (lib/cli/sweep-run.ts); the project's lockfile and node_modules are never touched.
 * A version that does not install, or conflicts with a peer range, is reported on its own line and the sweep goes on.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ModuleImporter } from '../model/load-module.ts';
import type { EngineName } from '../oracle/vocabulary.ts';
import { compareRuns, type CellChange } from '../snapshot/index.ts';
import { readDependencyGraph, type DependencyGraph } from './dependency-graph.ts';
import { EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE_OR_INPUT } from './exit-codes.ts';
import {
  BUILT_IN_SUITE_FILE,
  dependencyChain,
  describeTarget,
  describeVersionRun,
  loadSweepTarget,
  PACKAGE_NAME,
  parseEngines,
  UsageError,
  VersionRunner,
  type SweepTarget,
  type VersionRun,
} from './sweep-run.ts';
import { packedManifest, packedSource, registrySource, VersionSourceError, type VersionSource } from './version-source.ts';

export { EXIT_OK, EXIT_INTERNAL, EXIT_USAGE_OR_INPUT, EXIT_INTERRUPTED } from './exit-codes.ts';

export const SWEEP_USAGE = `Usage: cors-matrix sweep <package> <version>… [--suite FILE] [--from DIR] [--engines chromium,firefox,webkit] [--keep]

  Runs the suites that <package> reaches against each version, each installed alone in a scratch folder (your
  lockfile and node_modules are never touched), and prints which version changed which cells in which engines.
  <package>       any package your project depends on, directly or through other packages
  <version>       a published version (4.0.0), or a path to a packed .tgz of the package
  --suite FILE    middleware or \`app\` suites (a default export of defineMiddlewareSuites([...])), or your own-server
                  config (defineConfig({ target: { command } })) (default: the built-in suites, in the source tree)
  --from DIR      take versions from the packed tarballs (npm pack) in DIR instead of the npm registry
  --engines LIST  comma-separated engines (default: all three)
  --keep          keep the scratch folder (installs, the runs' reports) and print where it is
`;

export interface SweepIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  /** How a `--suite` file is imported (default: tsx's loader). */
  readonly importModule?: ModuleImporter;
  /** Where versions come from when no --from is given (default: the npm registry). */
  readonly versionSource?: VersionSource;
}

/** One version to run: what npm installs, the version, and how the output names it. */
export interface SweptVersion {
  readonly spec: string;
  readonly version: string;
  readonly label: string;
}

export interface SweepRequest {
  readonly packageName: string;
  readonly versions: readonly SweptVersion[];
  readonly target: SweepTarget;
  /** `express › router › path-to-regexp`: how the project reaches the package. */
  readonly chain: readonly string[];
  readonly engines: readonly EngineName[];
  readonly keep: boolean;
  readonly source: VersionSource;
  /** What the project has installed, read once. */
  readonly graph: DependencyGraph;
}

/** The version source of `--from DIR`, or the default; a missing or unreadable folder is a UsageError naming --from. */
export function versionSourceOf(from: string | undefined, cwd: string, fallback: VersionSource = registrySource): VersionSource {
  if (from === undefined) return fallback;
  try {
    return packedSource(resolve(cwd, from));
  } catch (error) {
    throw new UsageError(`--from ${from}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The suite file of `--suite`, or the default: the built-in suites (source tree), else ./cors-matrix.config.ts. */
export function suiteFileOf(suite: string | undefined, cwd: string): { file: string; argument: string } {
  if (suite !== undefined) {
    const file = resolve(cwd, suite);
    if (!existsSync(file)) throw new UsageError(`--suite ${suite}: no such file`);
    return { file, argument: `--suite ${suite}` };
  }
  if (existsSync(BUILT_IN_SUITE_FILE)) return { file: BUILT_IN_SUITE_FILE, argument: `the built-in suites (${BUILT_IN_SUITE_FILE})` };
  const config = join(cwd, 'cors-matrix.config.ts');
  if (existsSync(config)) return { file: config, argument: 'cors-matrix.config.ts' };
  throw new UsageError('needs --suite FILE: the built-in suites ship with the source tree only, and there is no ./cors-matrix.config.ts');
}

/** The project's installed graph; a folder without a package.json is a UsageError. */
export function projectGraph(cwd: string): DependencyGraph {
  try {
    return readDependencyGraph(cwd);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** Reads and checks the sweep's arguments (loading the suite file and the project's graph); throws UsageError. */
export async function parseSweepArgs(argv: readonly string[], io: SweepIO): Promise<SweepRequest> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { suite: { type: 'string' }, from: { type: 'string' }, engines: { type: 'string' }, keep: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const [packageName, ...versionArgs] = parsed.positionals;
  if (packageName === undefined) throw new UsageError('sweep needs a package and at least two versions');
  if (!PACKAGE_NAME.test(packageName)) throw new UsageError(`<package> "${packageName}" is not an npm package name`);
  if (versionArgs.length < 2) throw new UsageError(`sweep needs at least two versions to compare, got ${versionArgs.length}`);
  const engines = parseEngines(parsed.values.engines);
  const source = versionSourceOf(parsed.values.from, io.cwd, io.versionSource);
  // Tarballs first: a path is checked without asking any registry.
  const tarballs = versionArgs.map((v) => {
    if (!v.endsWith('.tgz')) return undefined;
    const path = resolve(io.cwd, v);
    if (!existsSync(path)) throw new UsageError(`<version> ${v}: no such packed tarball`);
    let manifest;
    try {
      manifest = packedManifest(path);
    } catch (error) {
      throw new UsageError(`<version> ${v}: ${error instanceof VersionSourceError ? error.message : String(error)}`);
    }
    if (manifest.name !== packageName) throw new UsageError(`<version> ${v}: is a tarball of ${manifest.name}, not ${packageName}`);
    return { spec: path, version: manifest.version, label: `${manifest.version} (${basename(path)})` };
  });
  const graph = projectGraph(io.cwd);
  const chain = dependencyChain(graph, packageName);
  const named = versionArgs.filter((v) => !v.endsWith('.tgz'));
  const published = named.length ? new Set(await source.versions(packageName)) : new Set<string>();
  const versions = versionArgs.map((v, i): SweptVersion => {
    const tarball = tarballs[i];
    if (tarball) return tarball;
    if (!published.has(v)) throw new UsageError(`<version> "${v}" is not a published version of ${packageName} in ${source.description} (or a path to a packed .tgz)`);
    return { spec: source.installSpec(packageName, v), version: v, label: v };
  });
  if (new Set(versions.map((v) => v.spec)).size !== versions.length) throw new UsageError('each version may be given only once');
  const { file, argument } = suiteFileOf(parsed.values.suite, io.cwd);
  const target = await loadSweepTarget(file, argument, packageName, graph, io.importModule);
  return { packageName, versions, target, chain, engines, keep: parsed.values.keep === true, source, graph };
}

/** The sweep's report of one step: every changed cell, with the engines that showed it. */
export function describeStep(packageName: string, from: string, to: string, changes: readonly CellChange[], cells: number): string {
  const cases = new Set(changes.map((c) => c.caseId)).size;
  const head = `${packageName} ${from} → ${to}: ${cases === 0 ? 'no cell changed' : `${cases} case${cases === 1 ? '' : 's'} changed`} (${cells} cells compared)`;
  const lines = changes.flatMap((c) => [`  ${c.name} › ${c.title}`, ...c.changes.map((line) => `    [${c.engines.join(', ')}] ${line}`)]);
  return [head, ...lines].join('\n');
}

/** `cors-matrix sweep: hono across 3 versions (…)` and how the project reaches the package. */
export function describeChain(packageName: string, chain: readonly string[]): string {
  return chain.length <= 1 ? `${packageName} (a direct dependency)` : `${packageName} (through ${chain.slice(0, -1).join(' › ')})`;
}

/** Runs the sweep; returns the exit code. Aborting `signal` stops the running child and removes the scratch folder. */
export async function sweep(request: SweepRequest, io: SweepIO, signal?: AbortSignal): Promise<number> {
  // Inside the project, so that the generated spec and config resolve @playwright/test and cors-matrix as it does.
  const scratch = mkdtempSync(join(io.cwd, '.cors-matrix-sweep-'));
  try {
    const runner = new VersionRunner({ packageName: request.packageName, target: request.target, engines: request.engines, graph: request.graph, cwd: io.cwd, scratch, signal });
    io.stdout(
      `cors-matrix sweep: ${describeChain(request.packageName, request.chain)} across ${request.versions.length} versions, ${describeTarget(request.target)}, engines ${request.engines.join(', ')}\n`,
    );
    const runs: VersionRun[] = [];
    for (const version of request.versions) {
      const run = await runner.run(version.spec, version.version, version.label);
      io.stdout(`  ${describeVersionRun(run)}\n`);
      runs.push(run);
    }
    const measured = runs.flatMap((r) => (r.status === 'measured' ? [r] : []));
    if (measured.length < 2) {
      io.stderr(`cors-matrix sweep: ${measured.length} of ${runs.length} versions measured; a sweep compares at least two\n`);
      return EXIT_INTERNAL;
    }
    io.stdout('\n');
    for (let i = 1; i < measured.length; i++) {
      const before = measured[i - 1];
      const after = measured[i];
      if (!before || !after) continue;
      io.stdout(`${describeStep(request.packageName, before.label, after.label, compareRuns(before.snapshots, after.snapshots), after.cells)}\n\n`);
    }
    const skipped = runs.filter((r) => r.status !== 'measured');
    if (skipped.length) io.stdout(`not compared (see above): ${skipped.map((r) => r.label).join(', ')}\n`);
    return skipped.some((r) => r.status === 'no-cells') ? EXIT_INTERNAL : EXIT_OK;
  } finally {
    if (request.keep) io.stdout(`scratch folder kept: ${scratch}\n`);
    else rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Runs `body` with Ctrl-C and SIGTERM turned into an abort (the running child stopped, the scratch folder removed), and
 * the errors it throws turned into exit codes: a UsageError 2 with the usage, an interruption 130, anything else 1.
 */
export async function runCommand(name: string, usage: string, io: Pick<SweepIO, 'stderr'>, body: (signal: AbortSignal) => Promise<number>): Promise<number> {
  const interrupted = new AbortController();
  const stop = () => interrupted.abort();
  process.once('SIGINT', stop).once('SIGTERM', stop);
  try {
    return await body(interrupted.signal);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`cors-matrix ${name}: ${error.message}\n\n${usage}`);
      return EXIT_USAGE_OR_INPUT;
    }
    if (interrupted.signal.aborted) {
      io.stderr(`cors-matrix ${name}: interrupted; the scratch folder is removed\n`);
      return EXIT_INTERRUPTED;
    }
    io.stderr(`cors-matrix ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_INTERNAL;
  } finally {
    process.off('SIGINT', stop).off('SIGTERM', stop);
  }
}

/** `cors-matrix sweep …` from the command line (main.ts hands over everything after `sweep`). */
export async function sweepMain(argv: readonly string[], io: SweepIO): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(SWEEP_USAGE);
    return EXIT_OK;
  }
  return runCommand('sweep', SWEEP_USAGE, io, async (signal) => sweep(await parseSweepArgs(argv, io), io, signal));
}
