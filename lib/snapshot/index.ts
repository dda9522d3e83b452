/** Matrix snapshots: the observed matrix per case and engine, kept next to the spec and compared run after run. */
export { canonicalHeaderName, snapshotCell, withoutRunNoise, type OriginNames, type SnapshotCell, type SnapshotSource } from './cell.ts';
export { diffCells } from './diff.ts';
export { formatSnapshotFile, readSnapshotFile, updateSnapshotFile, SNAPSHOT_FORMAT, SnapshotFileError, type SnapshotCase, type SnapshotFile } from './file.ts';
export {
  checkSnapshot,
  compareWithSnapshot,
  decide,
  snapshotNameOf,
  defaultSnapshotFile,
  describeSnapshotFailure,
  snapshotFileName,
  type SnapshotDecision,
  type SnapshotOptions,
  type SnapshotOutcome,
  type SnapshotRecord,
  type SnapshotResult,
  type UpdateSnapshots,
} from './check-snapshot.ts';
export { cellsDiffer, compareRuns, countCells, readSnapshotDir, type CellChange, type ComparedBy } from './compare-runs.ts';
export { originNamesOf, snapshotsFromRecords, type NamedRecord } from './from-records.ts';
