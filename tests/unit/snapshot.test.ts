// Matrix snapshots as pure data and as files: cells free of run noise, the `field: before → after` diff, what each
// --update-snapshots mode does with a missing, equal or changed cell, and two runs on different ports staying green.
import { test, expect } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LedgerEntry } from '../../lib/model/ledger.ts';
import { compareWithSnapshot, decide, diffCells, readSnapshotFile, snapshotCell, type SnapshotCell, type SnapshotSource, type UpdateSnapshots } from '../../lib/snapshot/index.ts';

function entry(kind: 'preflight' | 'actual', status: number, headers: readonly (readonly [string, string])[], cookies: string[] = []): LedgerEntry {
  return {
    at: 1,
    kind,
    method: kind === 'preflight' ? 'OPTIONS' : 'PUT',
    target: 'http://b.localhost:1',
    path: '/api/x-1',
    origin: 'http://a.localhost:1',
    accessControlRequestMethod: kind === 'preflight' ? 'PUT' : undefined,
    accessControlRequestHeaders: undefined,
    cookies,
    handlerRan: kind === 'actual',
    answered: true,
    status,
    responseHeaders: headers.map(([name, value]) => ({ name, value })),
  };
}

/** A record as the judge hands it over, measured with the servers on `port`. */
function record(port: number, allowOrigin: (page: string) => string, engine = 'chromium'): SnapshotSource {
  const page = `http://a.localhost:${port}`;
  return {
    caseId: 'koa-cors-credentials-002-credentialed-read-get-page',
    title: 'GET with credentials from page to cross-site, koa-cors (credentials) → allowed',
    engine: { name: engine },
    requestOrigin: page,
    outcome: { verdict: 'allowed', preflight: { sent: true }, readableHeaders: { 'X-Total': '3', 'content-type': 'text/plain' }, cookiesReceived: ['cm_none', 'cm_lax'] },
    ledger: [
      entry('preflight', 204, [['access-control-allow-origin', allowOrigin(page)], ['Access-Control-Allow-Methods', 'GET,PUT'], ['Date', `Tue, 01 Dec 2026 13:0${port % 10}:00 GMT`]]),
      entry('actual', 200, [['Access-Control-Allow-Origin', allowOrigin(page)], ['Vary', 'Origin'], ['Vary', 'Accept-Encoding'], ['Content-Length', String(port)]], ['cm_lax', 'cm_none']),
    ],
  };
}

const origins = (port: number) => ({ page: `http://a.localhost:${port}`, 'same-origin': `http://a.localhost:${port}`, 'other-port': `http://a.localhost:${port + 1}`, 'cross-site': `http://b.localhost:${port}` });

test('A cell holds verdict, preflight, statuses, readable headers, cookies and CORS header lines, free of ports and dates.', () => {
  expect(snapshotCell(record(38661, (page) => page), origins(38661))).toEqual({
    verdict: 'allowed',
    preflight: 'sent',
    preflightStatus: 204,
    status: 200,
    readable: ['content-type', 'x-total'],
    cookies: ['cm_lax', 'cm_none'],
    preflightHeaders: { 'Access-Control-Allow-Methods': 'GET,PUT', 'Access-Control-Allow-Origin': '<request origin>' },
    responseHeaders: { 'Access-Control-Allow-Origin': '<request origin>', Vary: 'Origin, Accept-Encoding' },
  });
  expect(snapshotCell(record(38661, (page) => page), origins(38661))).toEqual(snapshotCell(record(41002, (page) => page), origins(41002)));
});

test('Origins other than the requester are written by name, the longest first (a port that prefixes another is not eaten).', () => {
  const cell = snapshotCell(record(4000, () => 'http://a.localhost:4001 http://b.localhost:4000'), origins(4000));
  expect(cell.responseHeaders['Access-Control-Allow-Origin']).toBe('<other-port> <cross-site>');
  const unnamed = snapshotCell(record(4000, () => 'http://evil.localhost:51234, https://b.localhost:4443'), {});
  expect(unnamed.responseHeaders['Access-Control-Allow-Origin']).toBe('http://evil.localhost:<port>, https://b.localhost:<port>');
});

const before: SnapshotCell = { verdict: 'blocked-at-response', preflight: 'not sent', status: 200, readable: [], cookies: [], responseHeaders: { 'Access-Control-Allow-Origin': '*' } };

test('The diff names each changed field as `field: before → after`, headers by name, absent ones as (none).', () => {
  const after: SnapshotCell = { ...before, verdict: 'allowed', readable: ['x-total'], cookies: ['cm_none'], responseHeaders: { 'Access-Control-Allow-Origin': '<request origin>', 'Access-Control-Allow-Credentials': 'true' } };
  expect(diffCells(before, after)).toEqual([
    'verdict: blocked-at-response → allowed',
    'readable: (none) → x-total',
    'cookies: (none) → cm_none',
    'Access-Control-Allow-Credentials: (none) → true',
    'Access-Control-Allow-Origin: * → <request origin>',
  ]);
  expect(diffCells(before, before)).toEqual([]);
  expect(diffCells(before, { ...before, preflight: 'sent', preflightStatus: 204, preflightHeaders: { 'Access-Control-Allow-Methods': 'PUT' } })).toEqual([
    'preflight: not sent → sent',
    'preflight status: (none) → 204',
    'preflight Access-Control-Allow-Methods: (none) → PUT',
  ]);
});

const changed: SnapshotCell = { ...before, verdict: 'allowed' };
const decisions: readonly (readonly [UpdateSnapshots, boolean, SnapshotCell | undefined, string, boolean, boolean])[] = [
  // mode, CI, stored, outcome, write, fail
  ['default', false, undefined, 'written', true, false],
  ['default', true, undefined, 'written', true, true],
  ['missing', true, undefined, 'written', true, false],
  ['none', false, undefined, 'missing', false, true],
  ['changed', false, undefined, 'written', true, false],
  ['all', true, undefined, 'written', true, false],
  ['default', false, before, 'matched', false, false],
  ['none', true, before, 'matched', false, false],
  ['default', false, changed, 'changed', false, true],
  ['missing', false, changed, 'changed', false, true],
  ['none', false, changed, 'changed', false, true],
  ['changed', true, changed, 'updated', true, false],
  ['all', false, changed, 'updated', true, false],
];

for (const [mode, ci, stored, outcome, write, fail] of decisions) {
  test(`--update-snapshots=${mode}${ci ? ' under CI' : ''}: a ${stored === undefined ? 'missing' : stored === before ? 'matching' : 'changed'} cell is ${outcome}${write ? ', written' : ''}${fail ? ', and fails' : ''}.`, () => {
    expect(decide(stored, before, mode, ci)).toMatchObject({ outcome, write, fail });
  });
}

test.describe('snapshot files', () => {
  let dir: string;
  test.beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'cm-snapshot-'))));
  test.afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const info = (updateSnapshots: UpdateSnapshots) => ({ file: join(dir, 'middleware.spec.ts'), config: { updateSnapshots } as never, annotations: [] as { type: string; description?: string }[] });

  test('Written on the first run next to the spec, green on a second run on other ports, red with the diff when a cell changes.', () => {
    const first = compareWithSnapshot(record(38661, () => '*'), info('default'), { name: 'koa-cors/credentials', origins: origins(38661), ci: false });
    expect(first).toMatchObject({ outcome: 'written', file: join(dir, 'middleware.spec.ts-snapshots', 'koa-cors-credentials.cors-matrix.json') });
    compareWithSnapshot(record(38661, () => '*', 'firefox'), info('default'), { name: 'koa-cors/credentials', origins: origins(38661), ci: false });
    expect(compareWithSnapshot(record(41002, () => '*'), info('default'), { name: 'koa-cors/credentials', origins: origins(41002), ci: false }).outcome).toBe('matched');

    const text = readFileSync(first.file, 'utf8');
    expect(text).not.toMatch(/38661|41002|GMT/);
    expect(Object.keys(readSnapshotFile(first.file)?.cases['koa-cors-credentials-002-credentialed-read-get-page']?.engines ?? {})).toEqual(['chromium', 'firefox']);

    const annotations = info('default');
    expect(compareWithSnapshot(record(41002, (page) => page), annotations, { name: 'koa-cors/credentials', origins: origins(41002), ci: false }).failure).toBe(
      [
        `snapshot changed for "GET with credentials from page to cross-site, koa-cors (credentials) → allowed" (${first.file}):`,
        '  [chromium] preflight Access-Control-Allow-Origin: * → <request origin>',
        '  [chromium] Access-Control-Allow-Origin: * → <request origin>',
        'run with --update-snapshots=changed to accept the new behaviour',
      ].join('\n'),
    );
    expect(annotations.annotations).toEqual([{ type: 'snapshot', description: expect.stringContaining('changed: preflight Access-Control-Allow-Origin') }]);
    expect(readFileSync(first.file, 'utf8')).toBe(text);

    expect(compareWithSnapshot(record(41002, (page) => page), info('changed'), { name: 'koa-cors/credentials', origins: origins(41002), ci: false }).outcome).toBe('updated');
    expect(readSnapshotFile(first.file)?.cases['koa-cors-credentials-002-credentialed-read-get-page']?.engines['chromium']?.responseHeaders).toEqual({ 'Access-Control-Allow-Origin': '<request origin>', Vary: 'Origin, Accept-Encoding' });
    expect(readSnapshotFile(first.file)?.cases['koa-cors-credentials-002-credentialed-read-get-page']?.engines['firefox']?.responseHeaders['Access-Control-Allow-Origin']).toBe('*');
  });

  test('Under CI a missing cell is written and fails; under --update-snapshots=none it is not written and fails.', () => {
    expect(compareWithSnapshot(record(1, () => '*'), info('none'), { name: 's', ci: false }).failure).toContain('snapshot missing for [chromium]');
    expect(readSnapshotFile(join(dir, 'middleware.spec.ts-snapshots', 's.cors-matrix.json'))).toBeUndefined();
    expect(compareWithSnapshot(record(1, () => '*'), info('default'), { name: 's', ci: true }).failure).toContain('under CI a missing snapshot fails: commit the file');
    expect(compareWithSnapshot(record(1, () => '*'), info('none'), { name: 's', ci: true }).outcome).toBe('matched');
  });

  test('A strict column keeps its own cell beside the as-shipped one: chromium and chromium-strict never collide, in matrix order.', () => {
    const options = { name: 'credentials', origins: origins(5000), ci: false };
    const strict = (r: SnapshotSource): SnapshotSource => ({ ...r, engine: { ...r.engine, profile: 'strict' }, outcome: { ...r.outcome, cookiesReceived: [] } });
    compareWithSnapshot(strict(record(5000, () => '*', 'firefox')), info('default'), options);
    compareWithSnapshot(strict(record(5000, () => '*')), info('default'), options);
    compareWithSnapshot({ ...record(5000, () => '*'), engine: { name: 'chromium', profile: 'as-shipped' } }, info('default'), options);
    const file = join(dir, 'middleware.spec.ts-snapshots', 'credentials.cors-matrix.json');
    const engines = readSnapshotFile(file)?.cases['koa-cors-credentials-002-credentialed-read-get-page']?.engines ?? {};
    expect(Object.keys(engines)).toEqual(['chromium', 'chromium-strict', 'firefox-strict']);
    expect(engines['chromium']?.cookies).toEqual(['cm_lax', 'cm_none']);
    expect(engines['chromium-strict']?.cookies).toEqual([]);
    // The as-shipped record matches the cell a record from before profiles wrote (no profile: as-shipped).
    expect(compareWithSnapshot(record(5001, () => '*'), info('default'), { ...options, origins: origins(5001) }).outcome).toBe('matched');
    expect(compareWithSnapshot(strict(record(5001, () => '*')), info('none'), { ...options, origins: origins(5001) }).outcome).toBe('matched');
  });

  test('A broken snapshot file is refused with its path and what is wrong.', () => {
    const file = join(dir, 'broken.cors-matrix.json');
    writeFileSync(file, '{ "format": 1, "name": "x", "cases": { "a": { "title": "t", "engines": { "chromium": { "verdict": "maybe" } } } } }');
    expect(() => readSnapshotFile(file)).toThrow(`${file}: field cases.a.engines.chromium.verdict`);
    writeFileSync(file, 'not json');
    expect(() => readSnapshotFile(file)).toThrow(`${file}: not JSON`);
  });
});
