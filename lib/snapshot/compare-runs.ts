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

/** The cells that differ between two runs, grouped per case: engines with identical changes share one entry. */
export function compareRuns(before: readonly SnapshotFile[], after: readonly SnapshotFile[]): CellChange[] {
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
      const lines = x && y ? diffCells(x, y) : [x ? 'measured → (not measured)' : '(not measured) → measured'];
      if (lines.length === 0) continue;
      const key = lines.join('\n');
      byChanges.set(key, [...(byChanges.get(key) ?? []), engine]);
    }
    for (const [key, engines] of byChanges) changes.push({ caseId, title: meta.title, name: meta.name, engines, changes: key.split('\n') });
  }
  return changes;
}
