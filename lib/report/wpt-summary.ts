import type { DeviationSource, WptSubtest } from '../model/scenario.ts';
import type { ResultRecord } from './results.ts';

/** What the count reads of a result record (a ResultRecord is one). */
export interface WptCountable {
  readonly project: string;
  readonly status: ResultRecord['status'];
  readonly case?: { readonly caseId: string; readonly expected: { readonly source?: DeviationSource } };
}

/** One engine's count for one WPT file: the subtests whose outcome matched WPT's, of those measured. */
export interface WptCount {
  readonly project: string;
  readonly file: string;
  readonly passed: number;
  readonly total: number;
}

/**
 * Each engine's WPT pass count per file, from the records of rows that carry a WPT subtest (`wptOf` maps a case id to
 * it). A row that passed only through a declared engine deviation is a WPT failure: WPT holds every engine to the
 * standard, where the matrix holds it to its declared departure. Skipped rows were not measured and are not counted.
 */
export function wptCounts(records: readonly WptCountable[], wptOf: (caseId: string) => WptSubtest | undefined): WptCount[] {
  const counts = new Map<string, { project: string; file: string; passed: number; total: number }>();
  for (const r of records) {
    const wpt = r.case && wptOf(r.case.caseId);
    if (!r.case || !wpt || r.status === 'skipped') continue;
    const key = JSON.stringify([r.project, wpt.file]);
    const count = counts.get(key) ?? { project: r.project, file: wpt.file, passed: 0, total: 0 };
    count.total++;
    if (r.status === 'passed' && r.case.expected.source !== 'known-engine-deviation') count.passed++;
    counts.set(key, count);
  }
  return [...counts.values()].sort((a, b) => a.project.localeCompare(b.project) || a.file.localeCompare(b.file));
}

/** `WPT fetch/api/cors: chromium cors-basic.any.js 12/12, …` — one line per engine; empty when no WPT row ran. */
export function wptSummaryLines(counts: readonly WptCount[]): string[] {
  const projects = [...new Set(counts.map((c) => c.project))];
  return projects.map((project) => `WPT fetch/api/cors: ${counts.filter((c) => c.project === project).map((c) => `${project} ${c.file} ${c.passed}/${c.total}`).join(', ')}`);
}
