// Snapshots built after the fact from a run's judged records (results.json): what a version sweep compares. The
// origin names come from the records themselves: each says which named origin asked (`from`, `requestOrigin`) and which
// it asked (`to`, `url`).
import { cellKey, snapshotCell, type OriginNames, type SnapshotSource } from './cell.ts';
import { SNAPSHOT_FORMAT, type SnapshotCase, type SnapshotFile } from './file.ts';

export interface NamedRecord extends SnapshotSource {
  readonly family: string;
  readonly from: string;
  readonly to: string;
  readonly url: string;
  readonly app?: { readonly suite: string };
}

/** This run's origins by name, as the records show them (the null origin has none). */
export function originNamesOf(records: readonly NamedRecord[]): OriginNames {
  const names: Record<string, string> = {};
  for (const r of records) {
    if (r.requestOrigin !== 'null') names[r.from] ??= r.requestOrigin;
    try {
      names[r.to] ??= new URL(r.url).origin;
    } catch {
      // a URL the run could not parse names nothing
    }
  }
  return names;
}

/** One snapshot per suite (or family, for cases without one), every engine's cells in it. */
export function snapshotsFromRecords(records: readonly NamedRecord[]): SnapshotFile[] {
  const origins = originNamesOf(records);
  const files = new Map<string, Record<string, SnapshotCase>>();
  for (const r of records) {
    const name = r.app?.suite ?? r.family;
    const cases = files.get(name) ?? {};
    const existing = cases[r.caseId];
    cases[r.caseId] = { title: r.title, engines: { ...existing?.engines, [cellKey(r.engine)]: snapshotCell(r, origins) } };
    files.set(name, cases);
  }
  return [...files].sort(([a], [b]) => a.localeCompare(b)).map(([name, cases]) => ({ format: SNAPSHOT_FORMAT, name, cases }));
}
