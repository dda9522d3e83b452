// `cors-matrix sweep`: bad arguments refused before anything is installed; the step report as data; the project's
// dependency graph and peer ranges; a real sweep over two locally packed fixture versions of @koa/cors (a built-in
// adapter's package) in Chromium; and real sweeps of a project's `app` suite over packed versions of a package it
// depends on through another (versions that do not install or conflict with a peer reported, the sweep going on) and
// of that other package itself. Packed with `npm pack`, installed with npm offline: never the registry. Each must print
// the changed cells and leave the project's own install and lockfile untouched.
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chainsTo, readDependencyGraph, type DependencyGraph } from '../../lib/cli/dependency-graph.ts';
import { describeStep, sweepMain } from '../../lib/cli/sweep.ts';
import { peerConflicts } from '../../lib/cli/sweep-run.ts';
import type { VersionSource } from '../../lib/cli/version-source.ts';
import { compareRuns, type SnapshotFile } from '../../lib/snapshot/index.ts';
import { importInWorker, OFFLINE_ENV, packVersions, projectWith } from '../fixtures/sweep/pack.ts';

const ROOT = process.cwd();
const FIXTURES = join(ROOT, 'tests', 'fixtures', 'sweep');

/** A registry stand-in: the versions a test says are published. */
const publishedSource = (versions: readonly string[]): VersionSource => ({
  description: 'the test’s version list',
  versions: async () => versions,
  installSpec: (name, version) => `${name}@${version}`,
});

function io(cwd = ROOT) {
  const out = { stdout: '', stderr: '' };
  const versionSource = publishedSource(['4.0.0', '5.0.0', '2.8.5', '2.8.6']);
  return { out, io: { stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t), cwd, importModule: importInWorker, versionSource } };
}

/** Scratch folders of sweeps in a folder (other sweeps may run in the repository at the same time: compare sets). */
const scratchFolders = (dir: string) => new Set(readdirSync(dir).filter((n) => n.startsWith('.cors-matrix-sweep-')));

const refused: readonly (readonly [string, readonly string[], string])[] = [
  ['no package', [], 'sweep needs a package and at least two versions'],
  ['a package the project does not depend on', ['left-pad', '1.0.0', '1.1.0'], '<package> "left-pad" is not a dependency of the project in'],
  ['an invalid package name', ['Koa Cors', '1', '2'], '<package> "Koa Cors" is not an npm package name'],
  ['a single version', ['@koa/cors', '5.0.0'], 'sweep needs at least two versions to compare, got 1'],
  ['a version that is not published', ['@koa/cors', '4.0.0', '4.9.9'], '<version> "4.9.9" is not a published version of @koa/cors in the test’s version list (or a path to a packed .tgz)'],
  ['a missing tarball', ['@koa/cors', '4.0.0', 'nowhere/koa-cors-9.tgz'], '<version> nowhere/koa-cors-9.tgz: no such packed tarball'],
  ['the same version twice', ['@koa/cors', '4.0.0', '4.0.0'], 'each version may be given only once'],
  ['an unknown engine', ['@koa/cors', '4.0.0', '5.0.0', '--engines', 'chromium,safari'], '--engines: "safari" is not an engine'],
  ['a missing suite file', ['@koa/cors', '4.0.0', '5.0.0', '--suite', 'nowhere.ts'], '--suite nowhere.ts: no such file'],
  ['a suite file with nothing sweepable', ['@koa/cors', '4.0.0', '5.0.0', '--suite', 'tests/fixtures/sweep/project/not-sweepable.ts'], '--suite tests/fixtures/sweep/project/not-sweepable.ts: exports nothing sweepable; needs a default export of'],
  ['an own-server config whose target is a URL', ['@koa/cors', '4.0.0', '5.0.0', '--suite', 'tests/fixtures/sweep/project/url-target.config.ts'], '--suite tests/fixtures/sweep/project/url-target.config.ts: exports nothing sweepable: field target has no command'],
  ['suites that do not load the package', ['cors', '2.8.5', '2.8.6', '--suite', 'tests/fixtures/sweep/koa-suite.ts'], '--suite tests/fixtures/sweep/koa-suite.ts: exports nothing sweepable for cors: its suites use koa-cors, none of which loads cors'],
  ['an unknown option', ['@koa/cors', '4.0.0', '5.0.0', '--suites', 'x'], "Unknown option '--suites'"],
];

for (const [title, args, message] of refused) {
  test(`sweep refuses ${title} with exit code 2, naming the argument, before installing anything.`, async () => {
    const before = scratchFolders(ROOT);
    const { out, io: sink } = io(ROOT);
    expect(await sweepMain(args, sink)).toBe(2);
    expect(out.stderr).toContain(`cors-matrix sweep: ${message}`);
    expect(out.stderr).toContain('Usage: cors-matrix sweep <package> <version>…');
    expect([...scratchFolders(ROOT)].filter((n) => !before.has(n))).toEqual([]);
  });
}

const cell = (allowOrigin: string, verdict: 'allowed' | 'blocked-at-response') => ({ verdict, preflight: 'not sent', status: 200, readable: [], cookies: ['cm_lax'], responseHeaders: { 'Access-Control-Allow-Origin': allowOrigin } }) as const;
const run = (allowOrigin: string, verdict: 'allowed' | 'blocked-at-response', firefoxOrigin = allowOrigin): SnapshotFile => ({
  format: 1,
  name: 'koa-cors/defaults',
  cases: {
    'koa-002': { title: 'GET credentials=include from page to cross-site', engines: { chromium: cell(allowOrigin, verdict), firefox: cell(firefoxOrigin, verdict) } },
    'koa-001': { title: 'GET credentials=omit from page to cross-site', engines: { chromium: cell('*', 'allowed'), firefox: cell('*', 'allowed') } },
  },
});

test('A sweep step lists each changed case once, engines with the same change on one line.', () => {
  const changes = compareRuns([run('*', 'blocked-at-response')], [run('<request origin>', 'allowed')]);
  expect(describeStep('@koa/cors', '4.0.0', '5.0.0', changes, 4)).toBe(
    [
      '@koa/cors 4.0.0 → 5.0.0: 1 case changed (4 cells compared)',
      '  koa-cors/defaults › GET credentials=include from page to cross-site',
      '    [chromium, firefox] verdict: blocked-at-response → allowed',
      '    [chromium, firefox] Access-Control-Allow-Origin: * → <request origin>',
    ].join('\n'),
  );
  const split = compareRuns([run('*', 'allowed')], [run('<page>', 'allowed', '*')]);
  expect(split).toEqual([{ caseId: 'koa-002', title: 'GET credentials=include from page to cross-site', name: 'koa-cors/defaults', engines: ['chromium'], changes: ['Access-Control-Allow-Origin: * → <page>'] }]);
  expect(describeStep('@koa/cors', '5.0.0', '5.0.1', compareRuns([run('*', 'allowed')], [run('*', 'allowed')]), 4)).toBe('@koa/cors 5.0.0 → 5.0.1: no cell changed (4 cells compared)');
});

test('A real sweep over two packed fixture versions prints the cells that changed, and leaves the project’s install alone.', async () => {
  test.setTimeout(900_000);
  const packed = mkdtempSync(join(tmpdir(), 'cm-sweep-packed-'));
  const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
  const lockBefore = digest(join(ROOT, 'package-lock.json'));
  const installedBefore = readFileSync(join(ROOT, 'node_modules', '@koa', 'cors', 'package.json'), 'utf8');
  const foldersBefore = scratchFolders(ROOT);
  try {
    const tarballs = ['koa-cors-star', 'koa-cors-reflect'].map((dir) => {
      const name = execFileSync('npm', ['pack', join(FIXTURES, dir), '--pack-destination', packed, '--silent'], { encoding: 'utf8' }).trim().split('\n').pop() ?? '';
      return join(packed, name);
    });
    writeFileSync(join(packed, 'note.txt'), 'packed by tests/unit/sweep.test.ts');
    const { out, io: sink } = io();
    const code = await sweepMain(['@koa/cors', ...tarballs, '--suite', join(FIXTURES, 'koa-suite.ts'), '--engines', 'chromium'], sink);
    expect(out.stderr, out.stdout).toBe('');
    expect(code).toBe(0);
    expect(out.stdout).toContain('@koa/cors 1.0.0-fixture.1 (koa-cors-1.0.0-fixture.1.tgz) → 2.0.0-fixture.2 (koa-cors-2.0.0-fixture.2.tgz):');
    expect(out.stdout).toContain('koa-cors/defaults › GET credentials=include from page to cross-site, koa-cors (defaults) → blocked at response');
    expect(out.stdout).toContain('[chromium] verdict: blocked-at-response → allowed');
    expect(out.stdout).toContain('[chromium] Access-Control-Allow-Origin: * → <request origin>');
    expect(out.stdout).toContain('[chromium] Access-Control-Allow-Credentials: (none) → true');
    console.log(out.stdout);
  } finally {
    rmSync(packed, { recursive: true, force: true });
  }
  expect(digest(join(ROOT, 'package-lock.json'))).toBe(lockBefore);
  expect(readFileSync(join(ROOT, 'node_modules', '@koa', 'cors', 'package.json'), 'utf8')).toBe(installedBefore);
  expect([...scratchFolders(ROOT)].filter((n) => !foldersBefore.has(n))).toEqual([]);
});

/** A graph by hand: the project, and packages with their dependencies and peer ranges. */
function graphOf(packages: readonly { name: string; version: string; dependencies?: string[]; peers?: Record<string, string> }[]): DependencyGraph {
  const root = { name: 'project', version: '1.0.0', dir: '/p', dependencies: packages.map((p) => p.name), peers: {} };
  const installed = packages.map((p) => ({ name: p.name, version: p.version, dir: `/p/node_modules/${p.name}`, dependencies: p.dependencies ?? [], peers: p.peers ?? {} }));
  const dirOf = (name: string) => `/p/node_modules/${name}`;
  return {
    root,
    packages: new Map([[root.dir, root], ...installed.map((p) => [p.dir, p] as const)]),
    edges: new Map([[root.dir, installed.map((p) => p.dir)], ...installed.map((p) => [p.dir, p.dependencies.map(dirOf)] as const)]),
  };
}

test('Peer ranges: a version outside a dependent’s peer range, or whose own peer the project has at another version, conflicts.', () => {
  const graph = graphOf([
    { name: '@hono/node-server', version: '2.1.8', peers: { hono: '^4' } },
    { name: 'hono', version: '4.12.0' },
  ]);
  expect(peerConflicts(graph, 'hono', '4.13.0', undefined)).toEqual([]);
  expect(peerConflicts(graph, 'hono', '3.12.0', undefined)).toEqual(['@hono/node-server@2.1.8 wants hono@^4']);
  // The dependency graph resolves names from the project's folder; a by-hand graph's folders do not exist, so the
  // swept version's own peers are checked against a real install in the next test.
  expect(chainsTo(graph, 'hono')).toEqual([['hono']]);
});

test.describe('a project whose app suite runs cm-sweep-app, which uses cm-sweep-cors', () => {
  // Each sweep (15–50 s) may take another worker: each worker packs its own versions into a project of its own
  // (beforeAll), and a sweep leaves the project's install as it found it.
  test.describe.configure({ mode: 'parallel' });
  let packed = '';
  let project = '';

  test.beforeAll(async () => {
    test.setTimeout(300_000);
    Object.assign(process.env, OFFLINE_ENV);
    packed = mkdtempSync(join(tmpdir(), 'cm-sweep-packed-'));
    const cors = packVersions('cm-sweep-cors', ['1.0.0', '1.3.0', '1.6.0'], packed);
    const app = packVersions('cm-sweep-app', ['1.0.0', '2.0.0'], packed);
    // Two versions that cannot be run: one whose dependency npm cannot fetch (offline, as a version whose dependency
    // is gone), one whose peer range excludes the app the project has.
    packVersions('cm-sweep-cors', ['1.4.0', '1.8.0'], packed, { '1.4.0': { dependencies: { 'cm-sweep-gone': '1.0.0' } }, '1.8.0': { peerDependencies: { 'cm-sweep-app': '>=2' } } });
    project = projectWith(ROOT, [app.get('1.0.0') ?? '', cors.get('1.0.0') ?? ''], ['cm-sweep-app']);
  });

  test.afterAll(() => {
    for (const dir of [packed, project]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('The project reaches cm-sweep-cors only through cm-sweep-app.', () => {
    const graph = readDependencyGraph(project);
    expect(graph.root.dependencies).toEqual(['cm-sweep-app']);
    expect(chainsTo(graph, 'cm-sweep-cors')).toEqual([['cm-sweep-app', 'cm-sweep-cors']]);
    expect(peerConflicts(graph, 'cm-sweep-cors', '1.8.0', { 'cm-sweep-app': '>=2' })).toEqual(['cm-sweep-cors@1.8.0 wants cm-sweep-app@>=2, the project has 1.0.0']);
  });

  test('A sweep of the indirect dependency prints the changed cells per step, reports the versions it cannot run, and goes on.', async () => {
    test.setTimeout(900_000);
    const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
    const lockBefore = digest(join(project, 'package-lock.json'));
    const installedBefore = readFileSync(join(project, 'node_modules', 'cm-sweep-cors', 'package.json'), 'utf8');
    const { out, io: sink } = io(project);
    const code = await sweepMain(['cm-sweep-cors', '1.0.0', '1.3.0', '1.4.0', '1.6.0', '1.8.0', '--from', packed, '--suite', 'suite.ts', '--engines', 'chromium'], sink);
    console.log(out.stdout);
    expect(out.stderr, out.stdout).toBe('');
    expect(code).toBe(0);
    expect(out.stdout).toContain('cors-matrix sweep: cm-sweep-cors (through cm-sweep-app) across 5 versions, suites app/notes from');
    expect(out.stdout).toMatch(/ {2}1\.0\.0: 16 cells measured; 16 of 16 as the suites' intent expects/);
    expect(out.stdout).toMatch(/ {2}1\.4\.0: not run: does not install: npm install .*cm-sweep-cors-1\.4\.0\.tgz/);
    expect(out.stdout).toContain('  1.8.0: not run: peer dependency conflict: cm-sweep-cors@1.8.0 wants cm-sweep-app@>=2, the project has 1.0.0');
    // 1.3.0 adds Vary: Origin and moves no verdict; 1.6.0 reflects the origin with credentials: credentialed reads open.
    const step = (from: string, to: string) => out.stdout.slice(out.stdout.indexOf(`cm-sweep-cors ${from} → ${to}: `)).split('\n\n')[0] ?? '';
    expect(step('1.0.0', '1.3.0')).toMatch(/^cm-sweep-cors 1\.0\.0 → 1\.3\.0: \d+ cases changed \(16 cells compared\)/);
    expect(step('1.0.0', '1.3.0')).toContain('[chromium] Vary: (none) → Origin');
    expect(step('1.0.0', '1.3.0')).not.toContain('verdict:');
    expect(step('1.3.0', '1.6.0')).toContain('app/notes › GET credentials=include from other-port to cross-site, app (notes) → blocked at response');
    expect(step('1.3.0', '1.6.0')).toContain('[chromium] verdict: blocked-at-response → allowed');
    expect(step('1.3.0', '1.6.0')).toContain('[chromium] Access-Control-Allow-Origin: * → <request origin>');
    expect(out.stdout).toContain('not compared (see above): 1.4.0, 1.8.0');
    expect(digest(join(project, 'package-lock.json'))).toBe(lockBefore);
    expect(readFileSync(join(project, 'node_modules', 'cm-sweep-cors', 'package.json'), 'utf8')).toBe(installedBefore);
    expect(readdirSync(project).filter((n) => n.startsWith('.cors-matrix-sweep-'))).toEqual([]);
  });

  test('A sweep of an own-server config reaches the server its command starts (node server.cjs, a process of its own).', async () => {
    test.setTimeout(900_000);
    const { out, io: sink } = io(project);
    const code = await sweepMain(['cm-sweep-cors', '1.0.0', '1.6.0', '--from', packed, '--suite', 'own-server.config.ts', '--engines', 'chromium'], sink);
    console.log(out.stdout);
    expect(out.stderr, out.stdout).toBe('');
    expect(code).toBe(0);
    expect(out.stdout).toContain('across 2 versions, your server (node server.cjs) from');
    expect(out.stdout).toContain('own-server › GET credentials=include from https://evil.test to https://api.example.com/api/notes, your server → blocked at response');
    expect(out.stdout).toContain('[chromium] verdict: blocked-at-response → allowed');
  });

  test('A sweep of the direct dependency (the app package itself) prints what its new version changed.', async () => {
    test.setTimeout(900_000);
    const { out, io: sink } = io(project);
    const code = await sweepMain(['cm-sweep-app', '1.0.0', '2.0.0', '--from', packed, '--suite', 'suite.ts', '--engines', 'chromium'], sink);
    console.log(out.stdout);
    expect(out.stderr, out.stdout).toBe('');
    expect(code).toBe(0);
    expect(out.stdout).toContain('cors-matrix sweep: cm-sweep-app (a direct dependency) across 2 versions');
    expect(out.stdout).toContain('[chromium] preflight Access-Control-Allow-Methods: GET, HEAD, POST → GET, HEAD, POST, PUT');
  });
});

test('The built-in suites are found from the build the command runs (dist/lib/cli), not only from the sources.', async () => {
  // bin/cors-matrix.mjs runs dist/: a path relative to that module found no scenarios there, and bisect silently took
  // ./cors-matrix.config.ts instead of the built-in suites the README shows.
  const built = (await import(new URL('../../dist/lib/cli/sweep-run.js', import.meta.url).href)) as { BUILT_IN_SUITE_FILE: string };
  const sources = await import('../../lib/cli/sweep-run.ts');
  expect(built.BUILT_IN_SUITE_FILE).toBe(sources.BUILT_IN_SUITE_FILE);
  expect(built.BUILT_IN_SUITE_FILE.endsWith(join('scenarios', 'middleware.ts'))).toBe(true);
  expect(readFileSync(built.BUILT_IN_SUITE_FILE, 'utf8').length).toBeGreaterThan(0);
});
