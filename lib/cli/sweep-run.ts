/**
 * What `sweep` and `bisect` share: which suites of a `--suite` file a package reaches, and one run of them against one
 * version of that package. The version is installed alone into its own folder in a scratch folder inside the project
 * (a package.json of its own, no lockfile, no scripts, no peers: the project's lockfile and node_modules are never
 * touched), every `require`/`import` of the package is pointed there (lib/cli/sweep-redirect.ts), the suites run
 * through `playwright test` in real engines, and the run's snapshots are built from the records it wrote.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import { loadUserModule, tsxImporter, type ModuleImporter } from '../model/load-module.ts';
import { packageRoot } from '../model/package-root.ts';
import { ENGINE_NAMES, type EngineName } from '../oracle/vocabulary.ts';
import { countCells, snapshotsFromRecords, type NamedRecord, type SnapshotFile } from '../snapshot/index.ts';
import { chainsTo, dirsOf, peersOf, type DependencyGraph } from './dependency-graph.ts';
import { redirectEnvironment } from './sweep-redirect.ts';

/** Bad usage or input: the message names the argument and the rule; the command exits 2. */
export class UsageError extends Error {}

/** The packages each built-in adapter loads (lib/middleware/): a suite of that adapter runs them and what they load. */
export const ADAPTER_PACKAGES: Readonly<Record<string, readonly string[]>> = {
  'express-cors': ['cors', 'express'],
  'fastify-cors': ['@fastify/cors', 'fastify'],
  'koa-cors': ['@koa/cors', 'koa'],
  'hono-cors': ['hono', '@hono/node-server'],
};

/** This module's extension: `.ts` from source, `.js` from the built package; sibling modules share it. */
const OWN_EXTENSION = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
export const libPath = (relative: string): string => fileURLToPath(new URL(`../${relative}${OWN_EXTENSION}`, import.meta.url));
/** The built-in suites: in the source tree only (the published package ships no scenarios). */
// From the package root, not from this module: the CLI runs the build (dist/lib/cli), and dist holds no scenarios, so a
// path relative to the module found none and fell back to ./cors-matrix.config.ts in the source tree.
export const BUILT_IN_SUITE_FILE = join(packageRoot(), 'scenarios', 'middleware.ts');
export const PACKAGE_NAME = /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;

/** What a run of one version runs: some middleware suites of a file, or an own-server config whose command it starts. */
export type SweepTarget =
  | { readonly kind: 'suites'; readonly file: string; readonly suiteIds: readonly string[] }
  | { readonly kind: 'own-server'; readonly file: string; readonly command: string };

export function describeTarget(target: SweepTarget): string {
  return target.kind === 'suites' ? `suites ${target.suiteIds.join(', ')} from ${target.file}` : `your server (${target.command}) from ${target.file}`;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** The engines of `--engines LIST`, checked. */
export function parseEngines(value: string | undefined): EngineName[] {
  const engines = (value ?? ENGINE_NAMES.join(',')).split(',').map((e) => e.trim());
  const unknown = engines.filter((e) => !(ENGINE_NAMES as readonly string[]).includes(e));
  if (unknown.length || engines.length === 0) throw new UsageError(`--engines: "${unknown.join(', ')}" is not an engine; use ${ENGINE_NAMES.join(', ')}`);
  return engines as EngineName[];
}

/** Checks that the project depends on `packageName`, directly or through other packages; says through which. */
export function dependencyChain(graph: DependencyGraph, packageName: string): readonly string[] {
  const [shortest] = chainsTo(graph, packageName);
  if (!shortest) throw new UsageError(`<package> "${packageName}" is not a dependency of the project in ${graph.root.dir} (nothing its package.json installs depends on it, directly or not)`);
  return shortest;
}

/**
 * Reads `--suite FILE` and picks what a version of `packageName` reaches: every `app` suite (your code: it may load
 * anything), and the built-in adapters' suites whose packages are or load `packageName`; or an own-server config
 * whose target is a command (the project's code, started by the run). Anything else is a UsageError naming the file.
 */
export async function loadSweepTarget(file: string, argument: string, packageName: string, graph: DependencyGraph, importModule: ModuleImporter = tsxImporter): Promise<SweepTarget> {
  let exported: unknown;
  try {
    const loaded = await loadUserModule(file, importModule);
    exported = loaded.default?.value;
  } catch (error) {
    throw new UsageError(`${argument}: could not be loaded: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
  const sweepable = 'a default export of defineMiddlewareSuites([...]) (middleware or `app` suites) or of defineConfig({ target: { command } }) (your own server)';
  if (Array.isArray(exported)) {
    const suites = exported.filter((s): s is { middleware: string; label: string } => isRecord(s) && typeof s['middleware'] === 'string' && typeof s['label'] === 'string');
    if (suites.length === 0) throw new UsageError(`${argument}: exports nothing sweepable: its default export is a list with no middleware suite in it; needs ${sweepable}`);
    const reaches = (middleware: string): boolean => {
      if (middleware === 'app') return true;
      const packages = ADAPTER_PACKAGES[middleware] ?? [];
      return packages.includes(packageName) || chainsTo(graph, packageName, dirsOf(graph, packages)).length > 0;
    };
    const picked = suites.filter((s) => reaches(s.middleware)).map((s) => `${s.middleware}/${s.label}`);
    if (picked.length === 0) {
      const adapters = [...new Set(suites.map((s) => s.middleware))].join(', ');
      throw new UsageError(`${argument}: exports nothing sweepable for ${packageName}: its suites use ${adapters}, none of which loads ${packageName}, and it has no \`app\` suite`);
    }
    return { kind: 'suites', file, suiteIds: picked };
  }
  if (isRecord(exported) && isRecord(exported['target'])) {
    const command = exported['target']['command'];
    if (typeof command === 'string' && command !== '') return { kind: 'own-server', file, command };
    throw new UsageError(`${argument}: exports nothing sweepable: field target has no command (the server runs outside cors-matrix, so no swept version reaches it); give target.command to have the run start it`);
  }
  throw new UsageError(`${argument}: exports nothing sweepable; needs ${sweepable}`);
}

interface ChildRun {
  readonly exitCode: number;
  readonly output: string;
}

export function runChild(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; signal?: AbortSignal | undefined }): Promise<ChildRun> {
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

/** One version's run: measured, or why not. */
export type VersionRun =
  | { readonly status: 'measured'; readonly label: string; readonly snapshots: readonly SnapshotFile[]; readonly cells: number; readonly passed: number; readonly tests: number }
  | { readonly status: 'not-installed'; readonly label: string; readonly reason: string }
  | { readonly status: 'peer-conflict'; readonly label: string; readonly conflicts: readonly string[] }
  | { readonly status: 'no-cells'; readonly label: string; readonly exitCode: number; readonly output: string };

/** One line per run: `4.10.3: 96 cells measured; 90 of 96 as the suites' intent expects` (a cell: a case in one engine). */
export function describeVersionRun(run: VersionRun): string {
  switch (run.status) {
    case 'measured':
      return `${run.label}: ${run.cells} cells measured; ${run.passed} of ${run.tests} as the suites' intent expects`;
    case 'not-installed':
      return `${run.label}: not run: does not install: ${run.reason}`;
    case 'peer-conflict':
      return `${run.label}: not run: peer dependency conflict: ${run.conflicts.join('; ')}`;
    case 'no-cells':
      return `${run.label}: no cell measured (playwright exit ${run.exitCode}): ${run.output.trim().split('\n').slice(-12).join('\n    ')}`;
  }
}

export interface VersionRunnerOptions {
  readonly packageName: string;
  readonly target: SweepTarget;
  readonly engines: readonly EngineName[];
  readonly graph: DependencyGraph;
  /** The project: the run's working folder; the scratch folder is made inside it so the run resolves what it does. */
  readonly cwd: string;
  readonly scratch: string;
  readonly signal?: AbortSignal | undefined;
}

/** Runs the target against one version at a time, each installed in its own folder under the scratch folder. */
export class VersionRunner {
  private readonly config: string;
  private runs = 0;
  private readonly playwrightCli: string;

  constructor(private readonly options: VersionRunnerOptions) {
    this.config = writeRunFiles(options.scratch, options.target, options.engines);
    this.playwrightCli = createRequire(join(options.cwd, 'package.json')).resolve('@playwright/test/cli');
  }

  /** Installs `spec` (`pkg@1.2.3`, or a tarball of `version`) and runs the target against it; `label` names it in the output. */
  async run(spec: string, version: string, label: string = version): Promise<VersionRun> {
    const { packageName, cwd, signal } = this.options;
    this.runs += 1;
    const root = join(this.options.scratch, `v${this.runs}`);
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'package.json'), `${JSON.stringify({ name: `cors-matrix-sweep-${basename(root)}`, private: true }, null, 2)}\n`);
    // Peers are not installed with it (--legacy-peer-deps): they resolve from the project, as in the project's install.
    const installed = await runChild(npm, ['install', spec, '--prefix', root, '--no-package-lock', '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', '--legacy-peer-deps', '--loglevel=error'], { cwd: root, signal });
    const manifestFile = join(root, 'node_modules', packageName, 'package.json');
    if (installed.exitCode !== 0) {
      // npm's own words, less the pointer to its debug log.
      const words = installed.output.trim().split('\n').filter((line) => !/A complete log of this run/.test(line));
      return { status: 'not-installed', label, reason: `npm install ${spec}: ${words.slice(0, 3).join(' ')}` };
    }
    if (!existsSync(manifestFile)) return { status: 'not-installed', label, reason: `npm install ${spec} did not install ${packageName} (a tarball of another package?)` };
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { version?: unknown; peerDependencies?: unknown };
    const actual = typeof manifest.version === 'string' ? manifest.version : version;
    const conflicts = peerConflicts(this.options.graph, packageName, actual, manifest.peerDependencies);
    if (conflicts.length) return { status: 'peer-conflict', label, conflicts };
    const reportDir = join(root, 'report');
    const result = await runChild(process.execPath, [this.playwrightCli, 'test', '-c', this.config], {
      cwd,
      env: { ...redirectEnvironment(root, packageName, root), CORS_MATRIX_SWEEP_REPORT: reportDir },
      signal,
    });
    const results = readRunResults(reportDir);
    if (!results || results.snapshots.length === 0) return { status: 'no-cells', label, exitCode: result.exitCode, output: result.output };
    return { status: 'measured', label, snapshots: results.snapshots, cells: countCells(results.snapshots), passed: results.passed, tests: results.tests };
  }
}

/**
 * What npm would refuse: installed packages whose peer range for the swept package excludes this version, and peers
 * of this version the project lacks or has at a version outside the range (optional peers may be absent).
 */
export function peerConflicts(graph: DependencyGraph, packageName: string, version: string, ownPeers: unknown): string[] {
  const conflicts: string[] = [];
  for (const { dependent, range } of peersOf(graph, packageName)) {
    if (!semver.satisfies(version, range, { includePrerelease: true })) conflicts.push(`${dependent.name}@${dependent.version} wants ${packageName}@${range}`);
  }
  const peers = isRecord(ownPeers) ? ownPeers : {};
  for (const [peer, range] of Object.entries(peers)) {
    if (typeof range !== 'string') continue;
    const [dir] = dirsOf(graph, [peer]);
    const installed = dir ? graph.packages.get(dir) : undefined;
    if (installed && installed.version && !semver.satisfies(installed.version, range, { includePrerelease: true })) {
      conflicts.push(`${packageName}@${version} wants ${peer}@${range}, the project has ${installed.version}`);
    }
  }
  return conflicts;
}

/** Whether Node runs `file` as CommonJS: by its extension, else by the `type` of the nearest package.json. */
export function isCommonJs(file: string): boolean {
  if (/\.[cm]ts$|\.[cm]js$/.test(file)) return /\.c[tj]s$/.test(file);
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        return (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown }).type !== 'module';
      } catch {
        return true;
      }
    }
    if (dirname(dir) === dir) return true;
  }
}

/**
 * The spec and config a run uses: the target's suites (or your server's config), snapshot files off. Both are ES
 * modules (.mts) whatever kind of project they sit in, so that they import cors-matrix's own ES modules.
 */
function writeRunFiles(scratch: string, target: SweepTarget, engines: readonly EngineName[]): string {
  const spec = join(scratch, 'sweep.spec.mts');
  // The file's default export read as lib/model/load-module.ts reads it: a CommonJS-compiled file's too. Snapshots are
  // built from the run's records afterwards; the suites' own snapshot files are neither read nor written.
  const body =
    target.kind === 'suites'
      ? [
          `import { middlewareTests } from ${JSON.stringify(libPath('playwright/matrix-tests'))};`,
          `const suites = defaultExportOf(userModule);`,
          `if (!Array.isArray(suites)) throw new Error(${JSON.stringify(`${target.file}: field default export: must be defineMiddlewareSuites([...]), a list of middleware suites`)});`,
          `const picked = new Set(${JSON.stringify(target.suiteIds)});`,
          `middlewareTests(suites.filter((suite) => picked.has(\`\${suite.middleware}/\${suite.label}\`)).map((suite) => ({ ...suite, snapshot: false })));`,
        ]
      : [
          `import { ownServerTests } from ${JSON.stringify(libPath('playwright/own-server-tests'))};`,
          `ownServerTests({ ...(defaultExportOf(userModule) as Parameters<typeof ownServerTests>[0]), snapshot: false });`,
        ];
  // A CommonJS file is required, so that Playwright's require hook compiles it as the project's own specs are; an
  // ES module is imported.
  const load = isCommonJs(target.file)
    ? [`import { createRequire } from 'node:module';`, `const userModule: unknown = createRequire(import.meta.url)(${JSON.stringify(target.file)});`]
    : [`import * as userModule from ${JSON.stringify(target.file)};`];
  writeFileSync(
    spec,
    [
      `// Generated by cors-matrix sweep: ${describeTarget(target)}.`,
      ...load,
      `import { defaultExportOf } from ${JSON.stringify(libPath('model/load-module'))};`,
      ...body,
      '',
    ].join('\n'),
  );
  const config = join(scratch, 'playwright.config.mts');
  writeFileSync(
    config,
    [
      `// Generated by cors-matrix sweep.`,
      `import { defineConfig } from '@playwright/test';`,
      `import { matrixProjects, matrixReporters } from ${JSON.stringify(libPath('playwright/projects'))};`,
      `export default defineConfig({`,
      `  testDir: ${JSON.stringify(scratch)},`,
      `  testMatch: 'sweep.spec.mts',`,
      `  outputDir: ${JSON.stringify(join(scratch, 'test-results'))},`,
      `  timeout: 60_000,`,
      `  workers: 1,`,
      `  reporter: matrixReporters({ outputFolder: process.env.CORS_MATRIX_SWEEP_REPORT ?? 'cors-matrix-report' }),`,
      `  projects: matrixProjects({ engines: ${JSON.stringify(engines)} }),`,
      `});`,
      '',
    ].join('\n'),
  );
  return config;
}

interface RunResults {
  readonly snapshots: SnapshotFile[];
  /** Records (a case in one engine) judged as the intent expects, of all records. */
  readonly passed: number;
  readonly tests: number;
}

/** The run's snapshots, built from the judged records in its results.json (the matrix reporter writes it). */
function readRunResults(reportDir: string): RunResults | undefined {
  const file = join(reportDir, 'results.json');
  if (!existsSync(file)) return undefined;
  const results = JSON.parse(readFileSync(file, 'utf8')) as { records?: { status?: string; case?: NamedRecord }[] };
  const records = results.records ?? [];
  return {
    snapshots: snapshotsFromRecords(records.flatMap((r) => (r.case ? [r.case] : []))),
    passed: records.filter((r) => r.status === 'passed').length,
    tests: records.length,
  };
}
