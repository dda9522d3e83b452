// Matrix snapshots with Playwright's conventions: `--update-snapshots=none|missing|changed|all` (read from the test's
// config), a missing cell written (and failing under CI, so CI never blesses what nobody reviewed), a changed cell
// failing with one line per field and engine: `[engine] field: before → after`.
import { expect, type TestInfo } from '@playwright/test';
import { join } from 'node:path';
import { diffCells } from './diff.ts';
import { cellKey, snapshotCell, type OriginNames, type SnapshotCell, type SnapshotSource } from './cell.ts';
import { originNamesOf, type NamedRecord } from './from-records.ts';
import { readSnapshotFile, updateSnapshotFile } from './file.ts';

/** Playwright's `updateSnapshots`; `default` is what it reports when the flag is not given. */
export type UpdateSnapshots = 'all' | 'changed' | 'missing' | 'none' | 'default';

export type SnapshotOutcome = 'matched' | 'written' | 'updated' | 'changed' | 'missing';

export interface SnapshotDecision {
  readonly outcome: SnapshotOutcome;
  /** Whether the observed cell goes into the file. */
  readonly write: boolean;
  /** Whether the test fails. */
  readonly fail: boolean;
  /** `field: before → after` for each field that changed. */
  readonly changes: readonly string[];
}

/** What to do with one observed cell, given the stored one (pure). */
export function decide(stored: SnapshotCell | undefined, observed: SnapshotCell, mode: UpdateSnapshots, ci: boolean): SnapshotDecision {
  if (!stored) {
    if (mode === 'none') return { outcome: 'missing', write: false, fail: true, changes: [] };
    return { outcome: 'written', write: true, fail: mode === 'default' && ci, changes: [] };
  }
  const changes = diffCells(stored, observed);
  if (changes.length === 0) return { outcome: 'matched', write: false, fail: false, changes };
  if (mode === 'all' || mode === 'changed') return { outcome: 'updated', write: true, fail: false, changes };
  return { outcome: 'changed', write: false, fail: true, changes };
}

export interface SnapshotOptions {
  /** What the snapshot is of, e.g. the suite id `koa-cors/credentials`; names the file. Default: from the record. */
  readonly name?: string;
  /** This run's origins by name, so that ports never reach the file. Default: the requester's and the target's, from the record. */
  readonly origins?: OriginNames;
  /** Default: `<spec file>-snapshots/<name>.cors-matrix.json`, beside Playwright's own snapshots. */
  readonly file?: string;
  /** Default: the run's `--update-snapshots` (testInfo.config.updateSnapshots). */
  readonly updateSnapshots?: UpdateSnapshots;
  /** Default: whether the CI environment variable is set. */
  readonly ci?: boolean;
}

export interface SnapshotResult extends SnapshotDecision {
  readonly file: string;
  readonly cell: SnapshotCell;
  /** The failure text, when the decision fails the test. */
  readonly failure?: string;
}

/** A judged record as the test body has it: a CaseRecord, or anything with the same fields. */
export type SnapshotRecord = SnapshotSource & Partial<Pick<NamedRecord, 'family' | 'from' | 'to' | 'url' | 'app'>> & { readonly external?: { readonly url: string } };

/** The file a record's cell lives in: its suite, your server's API host, or its family. */
export function snapshotNameOf(record: SnapshotRecord): string {
  if (record.app?.suite) return record.app.suite;
  if (record.external) return `own-server ${new URL(record.external.url).host}`;
  return record.family ?? 'matrix';
}

function originsOf(record: SnapshotRecord): OriginNames {
  const { from, to, url, family } = record;
  return from !== undefined && to !== undefined && url !== undefined ? originNamesOf([{ ...record, from, to, url, family: family ?? '' }]) : {};
}

export function snapshotFileName(name: string): string {
  return `${name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'matrix'}.cors-matrix.json`;
}

export function defaultSnapshotFile(specFile: string, name: string): string {
  return join(`${specFile}-snapshots`, snapshotFileName(name));
}

/** The failure text: the file, the case, and one `[engine] field: before → after` line per change. */
export function describeSnapshotFailure(result: Pick<SnapshotResult, 'outcome' | 'changes' | 'file'>, title: string, engine: string): string {
  if (result.outcome === 'missing') return `snapshot missing for [${engine}] "${title}" in ${result.file} (--update-snapshots=none); run with --update-snapshots=missing to write it`;
  if (result.outcome === 'written') return `snapshot for [${engine}] "${title}" was missing and has been written to ${result.file}; under CI a missing snapshot fails: commit the file`;
  return [`snapshot changed for "${title}" (${result.file}):`, ...result.changes.map((c) => `  [${engine}] ${c}`), 'run with --update-snapshots=changed to accept the new behaviour'].join('\n');
}

/**
 * Compares one judged record with its snapshot cell, writes what the mode allows and annotates the test; the result
 * carries the failure text when the cell changed, is missing under `none`, or was missing and written under CI.
 */
export function compareWithSnapshot(record: SnapshotRecord, testInfo: Pick<TestInfo, 'file' | 'config' | 'annotations'>, options: SnapshotOptions = {}): SnapshotResult {
  const name = options.name ?? snapshotNameOf(record);
  const file = options.file ?? defaultSnapshotFile(testInfo.file, name);
  const mode = options.updateSnapshots ?? (testInfo.config.updateSnapshots as UpdateSnapshots);
  const ci = options.ci ?? Boolean(process.env['CI']);
  // The matrix column: `chromium`, or `chromium-strict` under another profile, so the profiles' cells never collide.
  const engine = cellKey(record.engine);
  const cell = snapshotCell(record, options.origins ?? originsOf(record));
  let decision = decide(readSnapshotFile(file)?.cases[record.caseId]?.engines[engine], cell, mode, ci);
  if (decision.write) {
    // Decide again under the lock: another worker may have written the cell meanwhile.
    updateSnapshotFile(file, name, (current) => {
      const stored = current.cases[record.caseId];
      decision = decide(stored?.engines[engine], cell, mode, ci);
      if (!decision.write) return current;
      return { ...current, cases: { ...current.cases, [record.caseId]: { title: record.title, engines: { ...stored?.engines, [engine]: cell } } } };
    });
  }
  testInfo.annotations.push({ type: 'snapshot', description: `${decision.outcome}${decision.changes.length ? `: ${decision.changes.join('; ')}` : ''}` });
  const result: SnapshotResult = { ...decision, file, cell };
  return decision.fail ? { ...result, failure: describeSnapshotFailure(result, record.title, engine) } : result;
}

/**
 * Fails softly with the failure text alone: `expect.soft(...).toEqual([])` would print Playwright's
 * `expect(received).toEqual(expected)` diff of the same `field: before → after` lines under it, saying it twice.
 */
const snapshotExpect = expect.extend({
  toMatchSnapshotCell(result: SnapshotResult) {
    return { pass: result.failure === undefined, name: 'toMatchSnapshotCell', message: () => result.failure ?? `snapshot ${result.outcome}` };
  },
});

/**
 * What a test body calls after judging: compares the record with its snapshot cell (see compareWithSnapshot) and
 * fails the test softly on a change, so that a failed expectation in the same test is reported as well. The failure
 * prints the `[engine] field: before → after` lines once, nothing else.
 */
export function checkSnapshot(record: SnapshotRecord, testInfo: Pick<TestInfo, 'file' | 'config' | 'annotations'>, options: SnapshotOptions = {}): SnapshotResult {
  const result = compareWithSnapshot(record, testInfo, options);
  snapshotExpect.soft(result).toMatchSnapshotCell();
  return result;
}
