// The snapshot file: one per suite (or your-server config), next to the spec, every engine's cells side by side so a
// reviewer reads a behaviour change as a short diff. Written canonically (cases sorted, engines in a fixed order), and
// updated under a lock because each engine's worker writes its own cells into the same file.
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { ENGINE_NAMES, VERDICTS } from '../oracle/vocabulary.ts';
import type { SnapshotCell } from './cell.ts';

export const SNAPSHOT_FORMAT = 1;

export interface SnapshotCase {
  readonly title: string;
  /** Cells by matrix column: the engine's name (`chromium`), or `<engine>-<profile>` under a profile other than as-shipped. */
  readonly engines: Readonly<Record<string, SnapshotCell>>;
}

export interface SnapshotFile {
  readonly format: typeof SNAPSHOT_FORMAT;
  /** What the file is the matrix of: a suite id, or a config's API origin. */
  readonly name: string;
  readonly cases: Readonly<Record<string, SnapshotCase>>;
}

const headers = z.record(z.string(), z.string());
const cellSchema = z.strictObject({
  verdict: z.enum(VERDICTS),
  preflight: z.enum(['sent', 'not sent']),
  preflightStatus: z.number().int().optional(),
  status: z.number().int().optional(),
  readable: z.array(z.string()),
  cookies: z.array(z.string()),
  preflightHeaders: headers.optional(),
  responseHeaders: headers,
});
const fileSchema = z.strictObject({
  format: z.literal(SNAPSHOT_FORMAT),
  name: z.string(),
  cases: z.record(z.string(), z.strictObject({ title: z.string(), engines: z.record(z.string(), cellSchema) })),
});

export class SnapshotFileError extends Error {
  constructor(file: string, problem: string) {
    super(`${file}: ${problem} (delete the file, or run with --update-snapshots=all to write it anew)`);
    this.name = 'SnapshotFileError';
  }
}

/** Files already read and checked, by path, with the identity of the version read (inode, size, mtime in ns). */
const readCache = new Map<string, { readonly version: string; readonly snapshot: SnapshotFile }>();

/**
 * Reads a snapshot file; undefined when there is none. Each worker compares every cell of a suite with the same file:
 * it is parsed and checked once per version of the file (a write replaces it by rename: a new inode), not per cell.
 */
export function readSnapshotFile(file: string): SnapshotFile | undefined {
  let version: string;
  try {
    const stat = statSync(file, { bigint: true });
    version = `${stat.ino}:${stat.size}:${stat.mtimeNs}`;
  } catch {
    return undefined;
  }
  const cached = readCache.get(file);
  if (cached?.version === version) return cached.snapshot;
  const snapshot = parseSnapshotFile(file);
  if (snapshot) readCache.set(file, { version, snapshot });
  return snapshot;
}

function parseSnapshotFile(file: string): SnapshotFile | undefined {
  if (!existsSync(file)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new SnapshotFileError(file, `not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SnapshotFileError(file, `field ${issue?.path.join('.') || '(the file itself)'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data as SnapshotFile;
}

/** Matrix order: by engine (chromium, firefox, webkit), each engine's as-shipped column before its other profiles. */
function engineOrder(a: string, b: string): number {
  const rank = (column: string) => {
    const i = (ENGINE_NAMES as readonly string[]).indexOf(column.split('-')[0] ?? column);
    return i === -1 ? ENGINE_NAMES.length : i;
  };
  return rank(a) - rank(b) || a.length - b.length || a.localeCompare(b);
}

/** The file's text: cases sorted by id, engines in matrix order, fields in a fixed order, a final newline. */
export function formatSnapshotFile(snapshot: SnapshotFile): string {
  const cases = Object.fromEntries(
    Object.entries(snapshot.cases)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([id, c]) => [id, { title: c.title, engines: Object.fromEntries(Object.entries(c.engines).sort(([a], [b]) => engineOrder(a, b)).map(([e, cell]) => [e, orderedCell(cell)])) }]),
  );
  return `${JSON.stringify({ format: SNAPSHOT_FORMAT, name: snapshot.name, cases }, null, 2)}\n`;
}

function orderedCell(cell: SnapshotCell): SnapshotCell {
  return {
    verdict: cell.verdict,
    preflight: cell.preflight,
    ...(cell.preflightStatus !== undefined && { preflightStatus: cell.preflightStatus }),
    ...(cell.status !== undefined && { status: cell.status }),
    readable: cell.readable,
    cookies: cell.cookies,
    ...(cell.preflightHeaders && { preflightHeaders: cell.preflightHeaders }),
    responseHeaders: cell.responseHeaders,
  };
}

const LOCK_STALE_MS = 30_000;
const LOCK_WAIT_MS = 15_000;

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Runs `update` on the file's current content under a lock (a directory: mkdir is atomic) and writes the result atomically. */
export function updateSnapshotFile(file: string, name: string, update: (current: SnapshotFile) => SnapshotFile): SnapshotFile {
  mkdirSync(dirname(file), { recursive: true });
  const lock = `${file}.lock`;
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      try {
        if (Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS) rmSync(lock, { recursive: true, force: true });
      } catch {
        // released meanwhile
      }
      if (Date.now() > deadline) throw new SnapshotFileError(file, `still locked after ${LOCK_WAIT_MS} ms by another worker (${lock})`);
      sleep(20);
    }
  }
  try {
    const next = update(readSnapshotFile(file) ?? { format: SNAPSHOT_FORMAT, name, cases: {} });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, formatSnapshotFile(next));
    renameSync(temporary, file);
    return next;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
