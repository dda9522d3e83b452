// Two runs' snapshots side by side: which cells changed, in which engines. A version sweep prints this per step.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { diffCells } from './diff.ts';
import { readSnapshotFile, type SnapshotFile } from './file.ts';
import type { SnapshotCell } from './cell.ts';

export interface CellChange {
  readonly caseId: string;
  readonly title: string;
  /** The snapshot's name (a suite id). */
  readonly name: string;
  /** Engines that showed exactly these changes. */
  readonly engines: readonly string[];
  /** `field: before → after`; one line `(not measured) → measured` (or back) when only one run has the cell. */
  readonly changes: readonly string[];
}

/** Every snapshot file in a folder (`*.cors-matrix.json`), read and checked. */
export function readSnapshotDir(dir: string): SnapshotFile[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith('.cors-matrix.json'))
    .sort()
    .flatMap((n) => readSnapshotFile(join(dir, n)) ?? []);
}

/** How many cells (case × engine) a run's snapshots hold. */
export function countCells(files: readonly SnapshotFile[]): number {
  return files.reduce((sum, f) => sum + Object.values(f.cases).reduce((n, c) => n + Object.keys(c.engines).length, 0), 0);
}

function cellsOf(files: readonly SnapshotFile[]): Map<string, { name: string; title: string; engines: Readonly<Record<string, SnapshotCell>> }> {
  const cells = new Map<string, { name: string; title: string; engines: Readonly<Record<string, SnapshotCell>> }>();
  for (const file of files) for (const [id, c] of Object.entries(file.cases)) cells.set(id, { name: file.name, title: c.title, engines: c.engines });
  return cells;
}

/**
 * What makes two cells differ: any field (`all`), the verdict alone (`verdict`), or the recorded CORS header lines of
 * the preflight and the response (`headers`). A cell measured in one run only differs by every measure.
 */
export type ComparedBy = 'all' | 'verdict' | 'headers';

const sameLines = (a: Readonly<Record<string, string>> = {}, b: Readonly<Record<string, string>> = {}): boolean => {
  const names = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...names].every((n) => a[n] === b[n]);
};

/** Whether two cells of the same case and engine differ by `by`. */
export function cellsDiffer(a: SnapshotCell, b: SnapshotCell, by: ComparedBy): boolean {
  if (by === 'verdict') return a.verdict !== b.verdict;
  if (by === 'headers') return !sameLines(a.preflightHeaders, b.preflightHeaders) || !sameLines(a.responseHeaders, b.responseHeaders);
  return diffCells(a, b).length > 0;
}

/**
 * The cells that differ between two runs (by `by`), grouped per case: engines with identical changes share one entry.
 * Each entry lists every field that changed in its cells, not only those `by` looks at.
 */
export function compareRuns(before: readonly SnapshotFile[], after: readonly SnapshotFile[], by: ComparedBy = 'all'): CellChange[] {
  const a = cellsOf(before);
  const b = cellsOf(after);
  const changes: CellChange[] = [];
  for (const caseId of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const was = a.get(caseId);
    const now = b.get(caseId);
    const meta = (now ?? was)!;
    const byChanges = new Map<string, string[]>();
    for (const engine of [...new Set([...Object.keys(was?.engines ?? {}), ...Object.keys(now?.engines ?? {})])]) {
      const x = was?.engines[engine];
      const y = now?.engines[engine];
      if (x && y && !cellsDiffer(x, y, by)) continue;
      const lines = x && y ? diffCells(x, y) : [x ? 'measured → (not measured)' : '(not measured) → measured'];
      if (lines.length === 0) continue;
      const key = lines.join('\n');
      byChanges.set(key, [...(byChanges.get(key) ?? []), engine]);
    }
    for (const [key, engines] of byChanges) changes.push({ caseId, title: meta.title, name: meta.name, engines, changes: key.split('\n') });
  }
  return changes;
}
