import type { CaseRecord } from '../judge/case-record.ts';
import type { EngineInfo } from '../measure/engines/engine.ts';
import { findingsSeen, type FindingSeen } from './findings.ts';
import { diagnose, type Cause } from '../diagnose/index.ts';

/** The shape of cors-matrix-report/results.json; schemas/results.v1.schema.json documents it. */
export const RESULTS_SCHEMA_VERSION = 1;

/** The test attachment that carries a CaseRecord from the worker to the reporter. */
export const CASE_RECORD_ATTACHMENT = 'case-record.json';

export type TestStatus = 'passed' | 'failed' | 'timedOut' | 'skipped' | 'interrupted';

export interface ResultRecord {
  readonly project: string;
  readonly title: string;
  readonly family: string;
  readonly status: TestStatus;
  readonly durationMs: number;
  readonly error?: string;
  /**
   * Where an error raised outside any case's measurement came from (its stack): such an error is the harness's own
   * failure, not a measurement, and its first line alone ("read ECONNRESET") does not say which step failed.
   */
  readonly errorStack?: string;
  /** Engines gave this case different verdicts. */
  readonly disagreement?: boolean;
  readonly case?: CaseRecord;
}

export interface EngineSummary {
  readonly project: string;
  readonly engine?: EngineInfo;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

export interface MatrixResults {
  readonly schema: 'cors-matrix/results';
  readonly schemaVersion: typeof RESULTS_SCHEMA_VERSION;
  readonly generatedAt: string;
  readonly durationMs: number;
  readonly status: 'passed' | 'failed' | 'timedout' | 'interrupted';
  readonly engines: readonly EngineSummary[];
  readonly families: readonly { readonly family: string; readonly proves: string }[];
  readonly records: readonly ResultRecord[];
  /** The records that carry a declared finding, grouped by case. */
  readonly findings: readonly FindingSeen[];
  /** Failures and findings grouped by root cause, each with a checked response-header fix. */
  readonly diagnosis: readonly Cause[];
}

/**
 * What a user can observe of an outcome: the verdict, the preflight, the headers read, and — where the case is
 * about cookies — the cookies that arrived (elsewhere they differ only by each engine's cookie store, not by CORS).
 */
function observable(c: CaseRecord): string {
  const o = c.outcome;
  const cookies = c.expected.cookies === undefined ? [] : o.cookiesReceived.filter((name) => name.startsWith('cm_')).sort();
  return JSON.stringify([o.verdict, o.preflight.sent, cookies, Object.keys(o.readableHeaders).sort()]);
}

/**
 * Case ids whose observable outcome is not the same in every engine that measured them under one profile: engines
 * are compared with engines under the same settings (chromium with firefox, chromium-strict with firefox-strict), never
 * a profile with another, whose differences are the settings' and not the engines'.
 */
export function disagreeingCases(records: readonly ResultRecord[]): Set<string> {
  const verdicts = new Map<string, Set<string>>();
  for (const { case: c } of records) {
    if (!c) continue;
    // Records from before profiles carry none: they ran Playwright's default contexts, one setting for all.
    const key = JSON.stringify([c.caseId, c.engine.profile ?? 'as-shipped']);
    const seen = verdicts.get(key) ?? new Set<string>();
    seen.add(observable(c));
    verdicts.set(key, seen);
  }
  return new Set([...verdicts].filter(([, seen]) => seen.size > 1).map(([key]) => (JSON.parse(key) as [string, string])[0]));
}

export function buildResults(
  records: readonly ResultRecord[],
  run: { readonly durationMs: number; readonly status: MatrixResults['status']; readonly generatedAt: Date },
): MatrixResults {
  const disagreeing = disagreeingCases(records);
  const marked = records.map((r) => (r.case ? { ...r, disagreement: disagreeing.has(r.case.caseId) } : r));
  const engines = new Map<string, { engine?: EngineInfo; passed: number; failed: number; skipped: number }>();
  const families = new Map<string, string>();
  for (const r of marked) {
    const tally = engines.get(r.project) ?? { passed: 0, failed: 0, skipped: 0 };
    if (r.status === 'passed') tally.passed++;
    else if (r.status === 'skipped') tally.skipped++;
    else tally.failed++;
    engines.set(r.project, tally);
    if (!r.case) continue;
    tally.engine = r.case.engine;
    families.set(r.case.family, r.case.proves);
  }
  return {
    schema: 'cors-matrix/results',
    schemaVersion: RESULTS_SCHEMA_VERSION,
    generatedAt: run.generatedAt.toISOString(),
    durationMs: run.durationMs,
    status: run.status,
    engines: [...engines].map(([project, t]) => ({ project, ...t })),
    families: [...families].map(([family, proves]) => ({ family, proves })),
    records: marked,
    findings: findingsSeen(marked),
    diagnosis: diagnose(marked),
  };
}
