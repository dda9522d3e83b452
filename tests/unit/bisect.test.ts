// `cors-matrix bisect`: the versions between good and bad in semver order; the search's run count against its bound
// for every range size and change position (no engine); bad arguments refused with exit code 2 naming the argument;
// and real bisects over ten locally packed versions of a fixture middleware (tests/fixtures/sweep, `npm pack`, npm
// offline: never the registry) under a project's own app suite in Chromium, by verdict and by recorded headers.
import { test, expect } from '@playwright/test';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bisectMain, bisectVersions, runBound, versionsBetween } from '../../lib/cli/bisect.ts';
import type { VersionRun } from '../../lib/cli/sweep-run.ts';
import type { VersionSource } from '../../lib/cli/version-source.ts';
import type { SnapshotFile } from '../../lib/snapshot/index.ts';
import { importInWorker, OFFLINE_ENV, packVersions, projectWith } from '../fixtures/sweep/pack.ts';

const ROOT = process.cwd();

function sink(cwd: string, versionSource?: VersionSource) {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t), cwd, importModule: importInWorker, ...(versionSource && { versionSource }) } };
}

test('The range is the published versions from good to bad in semver order, pre-releases only when asked.', () => {
  const published = ['2.0.0', '1.10.0', '1.2.0', '1.9.0', '1.10.0-beta.1', '1.2.0', '0.9.0', 'latest', '1.9.1'];
  expect(versionsBetween(published, '1.2.0', '1.10.0', false)).toEqual(['1.2.0', '1.9.0', '1.9.1', '1.10.0']);
  expect(versionsBetween(published, '1.2.0', '1.10.0', true)).toEqual(['1.2.0', '1.9.0', '1.9.1', '1.10.0-beta.1', '1.10.0']);
  expect(versionsBetween(published, '1.9.0', '1.10.0-beta.1', false)).toEqual(['1.9.0', '1.9.1', '1.10.0-beta.1']);
  expect([2, 3, 4, 5, 8, 9, 10, 16, 17].map(runBound)).toEqual([3, 4, 4, 5, 5, 6, 6, 6, 7]);
});

/** A run whose one cell has verdict `allowed` from `changeAt` on, and a header that changes at `headerAt`. */
function fakeRun(version: string, index: number, changeAt: number, headerAt = Number.POSITIVE_INFINITY): VersionRun {
  const snapshot: SnapshotFile = {
    format: 1,
    name: 'app/notes',
    cases: {
      'app-001': {
        title: 'GET credentials=include from null to cross-site',
        engines: {
          chromium: {
            verdict: index >= changeAt ? 'allowed' : 'blocked-at-response',
            preflight: 'not sent',
            status: 200,
            readable: [],
            cookies: [],
            responseHeaders: index >= headerAt ? { Vary: 'Origin' } : {},
          },
        },
      },
    },
  };
  return { status: 'measured', label: version, snapshots: [snapshot], cells: 1, passed: 1, tests: 1 };
}

test('The search finds the first changed version within ⌈log₂(n)⌉ + 2 runs, for every range size and change position.', async () => {
  for (let n = 2; n <= 40; n++) {
    const versions = Array.from({ length: n }, (_, i) => `1.${i}.0`);
    for (let changeAt = 1; changeAt < n; changeAt++) {
      let runs = 0;
      const outcome = await bisectVersions(versions, async (v) => (runs++, fakeRun(v, versions.indexOf(v), changeAt)), 'verdict');
      expect(outcome.kind, `n=${n} change at ${changeAt}`).toBe('changed');
      if (outcome.kind !== 'changed') continue;
      expect(outcome.first.version).toBe(versions[changeAt]);
      expect(outcome.previous.version).toBe(versions[changeAt - 1]);
      expect(runs, `n=${n} change at ${changeAt}`).toBeLessThanOrEqual(runBound(n));
      expect(outcome.steps).toHaveLength(runs);
    }
  }
});

test('By headers the search finds the header change a verdict search passes over; a range with no change says so in 2 runs.', async () => {
  const versions = Array.from({ length: 10 }, (_, i) => `1.${i}.0`);
  const run = async (v: string) => fakeRun(v, versions.indexOf(v), 6, 3);
  const byVerdict = await bisectVersions(versions, run, 'verdict');
  const byHeaders = await bisectVersions(versions, run, 'headers');
  expect(byVerdict.kind === 'changed' && byVerdict.first.version).toBe('1.6.0');
  expect(byHeaders.kind === 'changed' && byHeaders.first.version).toBe('1.3.0');
  if (byHeaders.kind === 'changed') expect(byHeaders.changes.flatMap((c) => c.changes)).toEqual(['Vary: (none) → Origin']);
  const unchanged = await bisectVersions(versions, async (v) => fakeRun(v, 0, 99), 'verdict');
  expect(unchanged).toMatchObject({ kind: 'unchanged' });
  expect(unchanged.steps).toHaveLength(2);
});

test('A version in the range that does not install is skipped and another taken; a bad end that does not install ends the search.', async () => {
  const versions = Array.from({ length: 9 }, (_, i) => `1.${i}.0`);
  const broken = new Set(['1.4.0', '1.5.0']);
  const run = async (v: string): Promise<VersionRun> => (broken.has(v) ? { status: 'not-installed', label: v, reason: 'npm install failed' } : fakeRun(v, versions.indexOf(v), 5));
  const outcome = await bisectVersions(versions, run, 'verdict');
  expect(outcome.kind).toBe('changed');
  if (outcome.kind !== 'changed') return;
  // 1.5.0 could not be run: the change is at 1.5.0 or 1.6.0, and the search says so.
  expect(outcome.first.version).toBe('1.6.0');
  expect(outcome.previous.version).toBe('1.3.0');
  expect(outcome.skipped).toEqual(['1.4.0', '1.5.0']);
  const failed = await bisectVersions(versions, async (v) => (v === '1.8.0' ? { status: 'not-installed', label: v, reason: 'x' } : fakeRun(v, versions.indexOf(v), 5)), 'verdict');
  expect(failed).toMatchObject({ kind: 'failed', reason: 'the bad end 1.8.0 could not be measured' });
});

/** A registry stand-in: the versions a test says are published. */
const publishedSource = (versions: readonly string[]): VersionSource => ({
  description: 'the test’s version list',
  versions: async () => versions,
  installSpec: (name, version) => `${name}@${version}`,
});

const refused: readonly (readonly [string, readonly string[], string])[] = [
  ['good after bad', ['@koa/cors', '5.0.0', '4.0.0'], '<good> 5.0.0 is after <bad> 4.0.0: give the older version (the one that behaved as expected) first'],
  ['the same version twice', ['@koa/cors', '4.0.0', '4.0.0'], '<good> and <bad> are the same version (4.0.0); bisect needs a range'],
  ['a good version that is not a version', ['@koa/cors', 'latest', '5.0.0'], '<good> "latest" is not a version (e.g. 4.10.2)'],
  ['a bad version that is not published', ['@koa/cors', '4.0.0', '4.9.9'], '<bad> "4.9.9" is not a published version of @koa/cors in the test’s version list'],
  ['a package the project does not depend on', ['left-pad', '1.0.0', '1.3.0'], '<package> "left-pad" is not a dependency of the project in'],
  ['a suite file with nothing sweepable', ['@koa/cors', '4.0.0', '5.0.0', '--suite', 'tests/fixtures/sweep/project/not-sweepable.ts'], '--suite tests/fixtures/sweep/project/not-sweepable.ts: exports nothing sweepable'],
  ['a suite file whose suites do not load the package', ['cors', '2.8.5', '2.8.6', '--suite', 'tests/fixtures/sweep/koa-suite.ts'], '--suite tests/fixtures/sweep/koa-suite.ts: exports nothing sweepable for cors: its suites use koa-cors, none of which loads cors'],
  ['a missing package argument', [], 'bisect needs a package, a good version and a bad version'],
  ['an unknown option', ['@koa/cors', '4.0.0', '5.0.0', '--header'], "Unknown option '--header'"],
];

for (const [title, args, message] of refused) {
  test(`bisect refuses ${title} with exit code 2, naming the argument, before installing anything.`, async () => {
    const before = new Set(readdirSync(ROOT));
    const { out, io } = sink(ROOT, publishedSource(['2.2.1', '4.0.0', '5.0.0', '2.8.5', '2.8.6', '1.0.0', '1.3.0']));
    expect(await bisectMain(args, io)).toBe(2);
    expect(out.stderr).toContain(`cors-matrix bisect: ${message}`);
    expect(out.stderr).toContain('Usage: cors-matrix bisect <package> <good> <bad>');
    expect(readdirSync(ROOT).filter((n) => n.startsWith('.cors-matrix-sweep-') && !before.has(n))).toEqual([]);
  });
}

test.describe('over ten packed versions of a fixture middleware, under a project’s app suite', () => {
  // The two bisects (about a minute each) in two workers at once: each worker packs its own versions into a project
  // of its own (beforeAll), so neither sees the other's install.
  test.describe.configure({ mode: 'parallel' });
  let packed = '';
  let project = '';
  const versions = Array.from({ length: 10 }, (_, i) => `1.${i}.0`);

  test.beforeAll(async () => {
    test.setTimeout(300_000);
    Object.assign(process.env, OFFLINE_ENV);
    packed = mkdtempSync(join(tmpdir(), 'cm-bisect-packed-'));
    const cors = packVersions('cm-sweep-cors', versions, packed);
    const app = packVersions('cm-sweep-app', ['1.0.0'], packed);
    project = projectWith(ROOT, [app.get('1.0.0') ?? '', cors.get('1.0.0') ?? ''], ['cm-sweep-app']);
  });

  test.afterAll(() => {
    for (const dir of [packed, project]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const [by, args, first, expected] of [
    ['verdict', [], '1.6.0', '[chromium] verdict: blocked-at-response → allowed'],
    ['recorded headers', ['--headers'], '1.3.0', '[chromium] Vary: (none) → Origin'],
  ] as const) {
    test(`A bisect by ${by} finds ${first}, the first version that changed, within the run bound.`, async () => {
      test.setTimeout(900_000);
      const { out, io } = sink(project);
      const code = await bisectMain(['cm-sweep-cors', '1.0.0', '1.9.0', '--from', packed, '--suite', join(project, 'suite.ts'), '--engines', 'chromium', ...args], io);
      console.log(out.stdout);
      expect(out.stderr, out.stdout).toBe('');
      expect(code).toBe(0);
      expect(out.stdout).toContain(`cm-sweep-cors (through cm-sweep-app) 1.0.0 … 1.9.0: 10 versions in packed tarballs in ${packed}`);
      const runs = out.stdout.split('\n').filter((line) => /^ {2}run \d+: /.test(line));
      expect(runs.length).toBeGreaterThanOrEqual(3);
      expect(runs.length).toBeLessThanOrEqual(runBound(10));
      expect(runs[0]).toMatch(/^ {2}run 1: 1\.0\.0: 16 cells measured/);
      expect(runs[1]).toMatch(/^ {2}run 2: 1\.9\.0: .*; differs from 1\.0\.0/);
      expect(out.stdout).toContain(`first changed version: cm-sweep-cors ${first} (${runs.length} runs; bound 6)`);
      const previous = versions[versions.indexOf(first) - 1];
      expect(out.stdout).toContain(`cm-sweep-cors ${previous} → ${first}: `);
      expect(out.stdout).toContain(expected);
      if (by === 'recorded headers') expect(out.stdout).not.toContain('verdict: ');
      expect(readdirSync(project).filter((n) => n.startsWith('.cors-matrix-sweep-'))).toEqual([]);
    });
  }
});
