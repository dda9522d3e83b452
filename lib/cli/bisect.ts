/**
 * `cors-matrix bisect <package> <good> <bad> [--suite FILE] [--headers] [--prereleases] [--from DIR] [--engines LIST]
 * [--keep]`: which release between the one you had and the one you have changed your CORS? The versions published
 * between the two (semver order, pre-releases left out unless asked) are searched by halves: the suites run at both
 * ends, then at the middle of what is left, until the first version whose matrix differs from `good`'s is found — by
 * verdict, or by the recorded CORS headers with --headers — in at most ⌈log₂(n)⌉ + 2 runs. It prints each run it
 * made, the first changed version and its per-engine diff in the sweep's format. A version in the middle that does
 * not install (or conflicts with a peer range) is skipped and another taken, as `git bisect skip` does.
 *
 * The search assumes one change in the range: behaviour that changed and changed back between two runs is not seen.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import semver from 'semver';
import { compareRuns, type CellChange, type ComparedBy } from '../snapshot/index.ts';
import { EXIT_INTERNAL, EXIT_OK } from './exit-codes.ts';
import { describeChain, describeStep, projectGraph, runCommand, suiteFileOf, versionSourceOf, type SweepIO, type SweepRequest } from './sweep.ts';
import { dependencyChain, describeTarget, describeVersionRun, loadSweepTarget, PACKAGE_NAME, parseEngines, UsageError, VersionRunner, type VersionRun } from './sweep-run.ts';

export const BISECT_USAGE = `Usage: cors-matrix bisect <package> <good> <bad> [--suite FILE] [--headers] [--prereleases] [--from DIR] [--engines LIST] [--keep]

  Finds the first version of <package> between <good> and <bad> (published versions, in semver order) whose matrix
  differs from <good>'s, in at most ⌈log₂(n)⌉ + 2 runs of the suites, and prints the runs it made and that version's
  per-engine diff.
  <package>       any package your project depends on, directly or through other packages
  <good> <bad>    two published versions, the older first
  --suite FILE    middleware or \`app\` suites, or your own-server config, as for sweep (default: the built-in suites)
  --headers       compare the recorded CORS headers (preflight and response) instead of the verdicts
  --prereleases   include pre-release versions between the two
  --from DIR      take versions from the packed tarballs (npm pack) in DIR instead of the npm registry
  --engines LIST  comma-separated engines (default: all three)
  --keep          keep the scratch folder and print where it is
`;

/** A sweep's request (package, target, chain, engines, source, graph), over a version range searched by halves. */
export interface BisectRequest extends Omit<SweepRequest, 'versions'> {
  /** The versions from good to bad, both included, in semver order. */
  readonly versions: readonly string[];
  readonly by: Exclude<ComparedBy, 'all'>;
  readonly prereleases: boolean;
}

/** The versions from `good` to `bad` in semver order; pre-releases between them only when asked. */
export function versionsBetween(published: readonly string[], good: string, bad: string, prereleases: boolean): string[] {
  return [...new Set(published)]
    .filter((v) => semver.valid(v) !== null)
    .filter((v) => v === good || v === bad || ((prereleases || semver.prerelease(v) === null) && semver.gt(v, good) && semver.lt(v, bad)))
    .sort(semver.compare);
}

/** At most this many runs for a range of n versions: ⌈log₂(n)⌉ + 2. */
export function runBound(n: number): number {
  return Math.ceil(Math.log2(Math.max(n, 1))) + 2;
}

/** Reads and checks the bisect's arguments; throws UsageError naming the argument and the rule. */
export async function parseBisectArgs(argv: readonly string[], io: SweepIO): Promise<BisectRequest> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        suite: { type: 'string' },
        from: { type: 'string' },
        engines: { type: 'string' },
        headers: { type: 'boolean' },
        prereleases: { type: 'boolean' },
        keep: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const [packageName, good, bad, ...extra] = parsed.positionals;
  if (packageName === undefined || good === undefined || bad === undefined) throw new UsageError('bisect needs a package, a good version and a bad version');
  if (extra.length) throw new UsageError(`bisect takes one good and one bad version; unexpected "${extra.join(' ')}"`);
  if (!PACKAGE_NAME.test(packageName)) throw new UsageError(`<package> "${packageName}" is not an npm package name`);
  for (const [name, value] of [['<good>', good], ['<bad>', bad]] as const) {
    if (semver.valid(value) === null) throw new UsageError(`${name} "${value}" is not a version (e.g. 4.10.2)`);
  }
  if (good === bad) throw new UsageError(`<good> and <bad> are the same version (${good}); bisect needs a range`);
  if (semver.gt(good, bad)) throw new UsageError(`<good> ${good} is after <bad> ${bad}: give the older version (the one that behaved as expected) first`);
  const engines = parseEngines(parsed.values.engines);
  const source = versionSourceOf(parsed.values.from, io.cwd, io.versionSource);
  const graph = projectGraph(io.cwd);
  const chain = dependencyChain(graph, packageName);
  const published = await source.versions(packageName);
  for (const [name, value] of [['<good>', good], ['<bad>', bad]] as const) {
    if (!published.includes(value)) throw new UsageError(`${name} "${value}" is not a published version of ${packageName} in ${source.description}`);
  }
  const prereleases = parsed.values.prereleases === true;
  const { file, argument } = suiteFileOf(parsed.values.suite, io.cwd);
  const target = await loadSweepTarget(file, argument, packageName, graph, io.importModule);
  return {
    packageName,
    versions: versionsBetween(published, good, bad, prereleases),
    by: parsed.values.headers === true ? 'headers' : 'verdict',
    prereleases,
    target,
    chain,
    engines,
    keep: parsed.values.keep === true,
    source,
    graph,
  };
}

/** One run the bisect made, in order, with what it said about the version. */
export interface BisectStep {
  readonly version: string;
  readonly run: VersionRun;
  /** Whether its matrix differs from good's (absent for good itself and for a version not measured). */
  readonly differs?: boolean;
  /** Cells (case × engine) that differ from good's. */
  readonly changedCells?: number;
}

export type BisectOutcome =
  | { readonly kind: 'changed'; readonly steps: readonly BisectStep[]; readonly previous: MeasuredStep; readonly first: MeasuredStep; readonly changes: readonly CellChange[]; readonly skipped: readonly string[] }
  | { readonly kind: 'unchanged'; readonly steps: readonly BisectStep[] }
  | { readonly kind: 'failed'; readonly steps: readonly BisectStep[]; readonly reason: string };

export interface MeasuredStep {
  readonly version: string;
  readonly run: Extract<VersionRun, { status: 'measured' }>;
}

const cellsIn = (changes: readonly CellChange[]) => changes.reduce((n, c) => n + c.engines.length, 0);

/**
 * The search itself, over any way of running a version (`runVersion`): both ends, then halves. `onStep` hears each run
 * as it ends. Exported so that its run count can be checked without engines.
 */
export async function bisectVersions(
  versions: readonly string[],
  runVersion: (version: string) => Promise<VersionRun>,
  by: ComparedBy,
  onStep: (step: BisectStep) => void = () => undefined,
): Promise<BisectOutcome> {
  const steps: BisectStep[] = [];
  const record = (step: BisectStep) => {
    steps.push(step);
    onStep(step);
  };
  const goodVersion = versions[0];
  const badVersion = versions[versions.length - 1];
  if (goodVersion === undefined || badVersion === undefined || versions.length < 2) return { kind: 'failed', steps, reason: 'fewer than two versions in the range' };
  const goodRun = await runVersion(goodVersion);
  record({ version: goodVersion, run: goodRun });
  if (goodRun.status !== 'measured') return { kind: 'failed', steps, reason: `the good end ${goodVersion} could not be measured` };
  const good = { version: goodVersion, run: goodRun };
  const measure = async (version: string): Promise<MeasuredStep | undefined> => {
    const run = await runVersion(version);
    if (run.status !== 'measured') {
      record({ version, run });
      return undefined;
    }
    const changes = compareRuns(good.run.snapshots, run.snapshots, by);
    record({ version, run, differs: changes.length > 0, changedCells: cellsIn(changes) });
    return { version, run };
  };
  const differs = (step: MeasuredStep) => compareRuns(good.run.snapshots, step.run.snapshots, by).length > 0;
  const bad = await measure(badVersion);
  if (!bad) return { kind: 'failed', steps, reason: `the bad end ${badVersion} could not be measured` };
  if (!differs(bad)) return { kind: 'unchanged', steps };
  let lo = 0;
  let hi = versions.length - 1;
  let previous: MeasuredStep = good;
  let first: MeasuredStep = bad;
  const skipped = new Set<number>();
  for (;;) {
    const candidates: number[] = [];
    for (let i = lo + 1; i < hi; i++) if (!skipped.has(i)) candidates.push(i);
    const mid = candidates[Math.floor((candidates.length - 1) / 2)];
    if (mid === undefined) break;
    const version = versions[mid] ?? '';
    const step = await measure(version);
    if (!step) skipped.add(mid);
    else if (differs(step)) [hi, first] = [mid, step];
    else [lo, previous] = [mid, step];
  }
  const between = [...skipped].filter((i) => i > lo && i < hi).sort((a, b) => a - b).map((i) => versions[i] ?? '');
  return { kind: 'changed', steps, previous, first, changes: compareRuns(previous.run.snapshots, first.run.snapshots, by), skipped: between };
}

function describeBisectStep(step: BisectStep, index: number, good: string, by: ComparedBy): string {
  const verdict = step.differs === undefined ? '' : step.differs ? `; differs from ${good} by ${by} in ${step.changedCells} cells` : `; same as ${good} by ${by}`;
  return `  run ${index}: ${describeVersionRun(step.run)}${verdict}`;
}

/** Runs the bisect; returns the exit code. */
export async function bisect(request: BisectRequest, io: SweepIO, signal?: AbortSignal): Promise<number> {
  const { packageName, versions, by } = request;
  const good = versions[0] ?? '';
  const bad = versions[versions.length - 1] ?? '';
  const scratch = mkdtempSync(join(io.cwd, '.cors-matrix-sweep-'));
  try {
    const runner = new VersionRunner({ packageName, target: request.target, engines: request.engines, graph: request.graph, cwd: io.cwd, scratch, signal });
    io.stdout(
      `cors-matrix bisect: ${describeChain(packageName, request.chain)} ${good} … ${bad}: ${versions.length} versions in ${request.source.description}` +
        ` (pre-releases ${request.prereleases ? 'included' : 'left out'}), ${describeTarget(request.target)}, engines ${request.engines.join(', ')};` +
        ` comparing by ${by === 'headers' ? 'recorded CORS headers' : 'verdict'}; at most ${runBound(versions.length)} runs\n`,
    );
    io.stdout(`  versions: ${versions.join(', ')}\n`);
    let index = 0;
    const outcome = await bisectVersions(versions, (version) => runner.run(request.source.installSpec(packageName, version), version), by, (step) => {
      index += 1;
      io.stdout(`${describeBisectStep(step, index, good, by)}\n`);
    });
    const runs = outcome.steps.length;
    io.stdout('\n');
    if (outcome.kind === 'failed') {
      io.stderr(`cors-matrix bisect: ${outcome.reason}; nothing to search\n`);
      return EXIT_INTERNAL;
    }
    if (outcome.kind === 'unchanged') {
      io.stdout(`no change by ${by} between ${packageName} ${good} and ${bad}: the two ends' matrices agree (${runs} runs)\n`);
      return EXIT_OK;
    }
    io.stdout(`first changed version: ${packageName} ${outcome.first.version} (${runs} runs; bound ${runBound(versions.length)})\n`);
    if (outcome.skipped.length) io.stdout(`  (or one of ${outcome.skipped.join(', ')}, which could not be run)\n`);
    io.stdout(`${describeStep(packageName, outcome.previous.run.label, outcome.first.run.label, outcome.changes, outcome.first.run.cells)}\n`);
    return EXIT_OK;
  } finally {
    if (request.keep) io.stdout(`scratch folder kept: ${scratch}\n`);
    else rmSync(scratch, { recursive: true, force: true });
  }
}

/** `cors-matrix bisect …` from the command line (main.ts hands over everything after `bisect`). */
export async function bisectMain(argv: readonly string[], io: SweepIO): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(BISECT_USAGE);
    return EXIT_OK;
  }
  return runCommand('bisect', BISECT_USAGE, io, async (signal) => bisect(await parseBisectArgs(argv, io), io, signal));
}
