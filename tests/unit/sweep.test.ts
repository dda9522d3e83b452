// `cors-matrix sweep`: bad arguments refused before anything is installed; the step report as data; and one real sweep
// over two locally packed fixture versions of @koa/cors (tests/fixtures/sweep, `npm pack`, never the registry) in
// Chromium, which must print the changed cells and leave the project's own install and lockfile untouched.
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeStep, sweepMain } from '../../lib/cli/sweep.ts';
import { compareRuns, type SnapshotFile } from '../../lib/snapshot/index.ts';

const ROOT = process.cwd();
const FIXTURES = join(ROOT, 'tests', 'fixtures', 'sweep');

function io(cwd = ROOT) {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t), cwd } };
}

/** Scratch folders of sweeps in a folder (other sweeps may run in the repository at the same time: compare sets). */
const scratchFolders = (dir: string) => new Set(readdirSync(dir).filter((n) => n.startsWith('.cors-matrix-sweep-')));

const refused: readonly (readonly [string, readonly string[], string])[] = [
  ['no package', [], 'sweep needs a package and at least two versions'],
  ['a package no adapter loads', ['left-pad', '1.0.0', '1.1.0'], '<package> "left-pad" is not loaded by a built-in adapter; one of: cors, @fastify/cors, @koa/cors, hono'],
  ['an invalid package name', ['Koa Cors', '1', '2'], '<package> "Koa Cors" is not an npm package name'],
  ['a single version', ['@koa/cors', '5.0.0'], 'sweep needs at least two versions to compare, got 1'],
  ['a version that is neither a version nor a tarball', ['@koa/cors', '4.0.0', '../x'], '<version> "../x" must be a published version (e.g. 4.0.0) or a path to a packed .tgz'],
  ['a missing tarball', ['@koa/cors', '4.0.0', 'nowhere/koa-cors-9.tgz'], '<version> nowhere/koa-cors-9.tgz: no such packed tarball'],
  ['the same version twice', ['@koa/cors', '4.0.0', '4.0.0'], 'each version may be given only once'],
  ['an unknown engine', ['@koa/cors', '4.0.0', '5.0.0', '--engines', 'chromium,safari'], '--engines: "safari" is not an engine'],
  ['a missing suite file', ['@koa/cors', '4.0.0', '5.0.0', '--suite', 'nowhere.ts'], '--suite nowhere.ts: no such file'],
  ['an unknown option', ['@koa/cors', '4.0.0', '5.0.0', '--suites', 'x'], "Unknown option '--suites'"],
];

for (const [title, args, message] of refused) {
  test(`sweep refuses ${title} with exit code 2, before installing anything.`, async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'cm-sweep-cwd-'));
    try {
      const { out, io: sink } = io(cwd);
      expect(await sweepMain(args, sink)).toBe(2);
      expect(out.stderr).toContain(`cors-matrix sweep: ${message}`);
      expect(out.stderr).toContain('Usage: cors-matrix sweep <package> <version>…');
      expect(readdirSync(cwd)).toEqual([]);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
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
