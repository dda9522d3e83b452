// What changed in one cell, one line per field: `field: before → after`.
import type { SnapshotCell } from './cell.ts';

const NONE = '(none)';

function scalar(value: string | number | undefined): string {
  return value === undefined ? NONE : String(value);
}

function list(values: readonly string[]): string {
  return values.length ? values.join(', ') : NONE;
}

function headerChanges(prefix: string, before: Readonly<Record<string, string>> = {}, after: Readonly<Record<string, string>> = {}): string[] {
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return names.filter((n) => before[n] !== after[n]).map((n) => `${prefix}${n}: ${scalar(before[n])} → ${scalar(after[n])}`);
}

/** Each field that differs between the stored cell and the observed one, as `field: before → after`; empty when equal. */
export function diffCells(before: SnapshotCell, after: SnapshotCell): string[] {
  const changes: string[] = [];
  const field = (name: string, a: string, b: string) => void (a !== b && changes.push(`${name}: ${a} → ${b}`));
  field('verdict', before.verdict, after.verdict);
  field('preflight', before.preflight, after.preflight);
  field('preflight status', scalar(before.preflightStatus), scalar(after.preflightStatus));
  field('status', scalar(before.status), scalar(after.status));
  field('readable', list(before.readable), list(after.readable));
  field('cookies', list(before.cookies), list(after.cookies));
  changes.push(...headerChanges('preflight ', before.preflightHeaders, after.preflightHeaders));
  changes.push(...headerChanges('', before.responseHeaders, after.responseHeaders));
  return changes;
}
