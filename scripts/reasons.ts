/**
 * How often each engine said, in its own words, why it blocked: per project (engine column) of a results.json, the
 * share of CORS blocks (blocked-at-preflight, blocked-at-response) the engine confirmed itself. It confirms a block by
 * naming a CORS reason (corsReasonOf, the judge's own test), or, where its words name no check, by a refusal the wire
 * tells from a network failure (outcome.block.engineRefusal: a redirect it would not follow, answered in full on the
 * wire). A block the oracle puts down to a rule that is no CORS check (redirect mode "error", which fails a
 * same-origin fetch too) is listed apart and left out of the share. A block without either stands on the oracle alone.
 *
 *   npm run reasons                              # cors-matrix-report/results.json (or $CORS_MATRIX_REPORT_DIR)
 *   npm run reasons -- path/to/results.json --min=99   # exit 1 when an engine is below 99 %
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { corsReasonOf } from '../lib/judge/outcome.ts';
import { NOT_CORS_CHECKS } from '../lib/oracle/index.ts';

/** The parts of a results.json record this reads (schemas/results.v1.schema.json has the whole). */
export interface ReasonRecord {
  readonly project: string;
  readonly title: string;
  readonly case?: {
    readonly caseId: string;
    readonly outcome: {
      readonly verdict: string;
      readonly block?: { readonly oracleRule?: string; readonly engineRefusal?: { readonly kind: string } };
    };
    readonly engineReasons: readonly string[];
    readonly engineReasonsUnavailable?: string;
  };
}

export interface ReasonShare {
  readonly project: string;
  /** CORS blocks of this project: blocked records, less those decided by a rule that is no CORS check. */
  readonly blocked: number;
  /** Of those, the ones the engine confirmed itself (named a CORS reason, or refused in a way the wire shows). */
  readonly withReason: number;
  /** Of withReason, the ones confirmed by a refusal the wire tells apart rather than by a named reason. */
  readonly byWire: number;
  /** withReason / blocked in percent; undefined when nothing was blocked. */
  readonly percent: number | undefined;
  /** The blocked records without one: case id, and what the engine did say (or why it says nothing). */
  readonly without: readonly { readonly caseId: string; readonly said: string }[];
  /** Blocked records the oracle puts down to a rule that is no CORS check: case id and the rule. */
  readonly notCors: readonly { readonly caseId: string; readonly rule: string }[];
}

const BLOCKED = new Set(['blocked-at-preflight', 'blocked-at-response']);
const NOT_CORS: ReadonlySet<string> = new Set(NOT_CORS_CHECKS);

interface Tally {
  blocked: number;
  withReason: number;
  byWire: number;
  without: { caseId: string; said: string }[];
  notCors: { caseId: string; rule: string }[];
}

/** Per project, in the order projects first appear. */
export function reasonShares(records: readonly ReasonRecord[]): ReasonShare[] {
  const byProject = new Map<string, Tally>();
  for (const record of records) {
    const tally = byProject.get(record.project) ?? { blocked: 0, withReason: 0, byWire: 0, without: [], notCors: [] };
    byProject.set(record.project, tally);
    const c = record.case;
    if (!c || !BLOCKED.has(c.outcome.verdict)) continue;
    const rule = c.outcome.block?.oracleRule;
    if (rule !== undefined && NOT_CORS.has(rule)) {
      tally.notCors.push({ caseId: c.caseId, rule });
      continue;
    }
    tally.blocked++;
    if (corsReasonOf(c.engineReasons) !== undefined) tally.withReason++;
    else if (c.outcome.block?.engineRefusal !== undefined) {
      tally.withReason++;
      tally.byWire++;
    } else tally.without.push({ caseId: c.caseId, said: c.engineReasonsUnavailable ?? (c.engineReasons.length ? c.engineReasons.join(' | ') : 'nothing') });
  }
  return [...byProject].map(([project, t]) => ({ project, ...t, percent: t.blocked ? (100 * t.withReason) / t.blocked : undefined }));
}

/** The table, then up to `listed` blocked records without a reason per project, and the blocks that are no CORS check. */
export function renderReasonShares(shares: readonly ReasonShare[], listed = 10): string {
  const width = Math.max(7, ...shares.map((s) => s.project.length));
  const lines = [`${'project'.padEnd(width)}  blocked  with a CORS reason`];
  for (const s of shares) {
    const share = s.percent === undefined ? 'no blocks' : `${s.withReason} (${s.percent.toFixed(1)} %)`;
    const wire = s.byWire ? `, ${s.byWire} of them a refusal the wire tells from a network failure` : '';
    lines.push(`${s.project.padEnd(width)}  ${String(s.blocked).padStart(7)}  ${share}${wire}`);
  }
  for (const s of shares) {
    if (s.without.length === 0) continue;
    lines.push('', `${s.project}: ${s.without.length} blocked without a CORS reason from the engine`);
    for (const w of s.without.slice(0, listed)) lines.push(`  ${w.caseId}: ${w.said}`);
    if (s.without.length > listed) lines.push(`  … and ${s.without.length - listed} more`);
  }
  const notCors = shares.filter((s) => s.notCors.length > 0);
  if (notCors.length) {
    lines.push('', 'blocked by a rule that is no CORS check (a network error whatever the mode), left out of the share:');
    for (const s of notCors) for (const n of s.notCors) lines.push(`  ${s.project}: ${n.caseId} (${n.rule})`);
  }
  return lines.join('\n');
}

function fail(file: string, where: string, rule: string): never {
  throw new Error(`${file}: ${where} ${rule}`);
}

/** The records of a results.json, checked for the fields this reads. */
export function readRecords(file: string, text: string): ReasonRecord[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    fail(file, 'the file', `must be JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const results = parsed as { schema?: unknown; records?: unknown };
  if (typeof parsed !== 'object' || parsed === null || results.schema !== 'cors-matrix/results') fail(file, '`schema`', "must be 'cors-matrix/results'");
  if (!Array.isArray(results.records)) fail(file, '`records`', 'must be an array');
  results.records.forEach((r: unknown, i: number) => {
    const record = r as Partial<ReasonRecord> | null;
    if (typeof record !== 'object' || record === null || typeof record.project !== 'string') fail(file, `records[${i}].project`, 'must be a string');
    const c = record.case;
    if (c === undefined) return;
    if (typeof c.outcome?.verdict !== 'string') fail(file, `records[${i}].case.outcome.verdict`, 'must be a string');
    if (!Array.isArray(c.engineReasons) || c.engineReasons.some((s) => typeof s !== 'string')) fail(file, `records[${i}].case.engineReasons`, 'must be an array of strings');
  });
  return results.records as ReasonRecord[];
}

function main(argv: readonly string[]): number {
  const minArg = argv.find((a) => a.startsWith('--min='));
  const min = minArg === undefined ? undefined : Number(minArg.slice('--min='.length));
  if (min !== undefined && !(min >= 0 && min <= 100)) throw new Error(`--min must be a percentage from 0 to 100, got '${minArg}'`);
  const file = argv.find((a) => !a.startsWith('--')) ?? join(process.env['CORS_MATRIX_REPORT_DIR'] ?? 'cors-matrix-report', 'results.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`${file}: cannot be read (${error instanceof Error ? error.message : String(error)}); run the matrix first, or name a results.json`);
  }
  const shares = reasonShares(readRecords(file, text));
  console.log(renderReasonShares(shares));
  const below = min === undefined ? [] : shares.filter((s) => s.percent !== undefined && s.percent < min);
  if (below.length) console.log(`\nbelow ${min} %: ${below.map((s) => s.project).join(', ')}`);
  return below.length ? 1 : 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 2;
  }
}
