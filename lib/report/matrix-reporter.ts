import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { FullConfig, FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';
import type { CaseRecord } from '../judge/case-record.ts';
import { CASE_ANNOTATION } from '../model/case-identity.ts';
import { renderReport } from './render-html.ts';
import { buildResults, CASE_RECORD_ATTACHMENT, type ResultRecord } from './results.ts';
import { terminalSummary } from './terminal-summary.ts';
import { wptSubtestOf } from './wpt-cases.ts';
import { wptCounts, wptSummaryLines } from './wpt-summary.ts';

export interface MatrixReporterOptions {
  /** Folder for index.html and results.json. Default `cors-matrix-report`. */
  readonly outputFolder?: string;
}

function stripAnsi(text: string): string {
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

/**
 * A finished matrix test as the run goes on: its case record stays the attachment's bytes (which Playwright holds
 * anyway) until the run ends, rather than a parsed copy per test — a 12,000-test run kept ~70 MiB of parsed records.
 */
interface FinishedTest {
  readonly project: string;
  readonly title: string;
  readonly suiteTitle: string;
  readonly status: ResultRecord['status'];
  readonly durationMs: number;
  readonly error?: string;
  /** Kept for a test that produced no case record only (ResultRecord.errorStack). */
  readonly errorStack?: string;
  readonly caseRecord?: Buffer;
}

function resultRecord(finished: FinishedTest): ResultRecord {
  const caseRecord = finished.caseRecord ? (JSON.parse(finished.caseRecord.toString('utf8')) as CaseRecord) : undefined;
  return {
    project: finished.project,
    title: finished.title,
    family: caseRecord?.family ?? finished.suiteTitle,
    status: finished.status,
    durationMs: finished.durationMs,
    ...(finished.error !== undefined && { error: finished.error }),
    ...(finished.errorStack !== undefined && { errorStack: finished.errorStack }),
    ...(caseRecord && { case: caseRecord }),
  };
}

/** Writes the static HTML matrix and results.json after every run, and prints a per-family table. */
export default class MatrixReporter implements Reporter {
  readonly #finished: FinishedTest[] = [];
  readonly #outputFolder: string;
  #folder = '';

  constructor(options: MatrixReporterOptions = {}) {
    this.#outputFolder = options.outputFolder ?? 'cors-matrix-report';
  }

  onBegin(config: FullConfig): void {
    this.#folder = resolve(config.configFile ? dirname(config.configFile) : process.cwd(), this.#outputFolder);
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    const project = test.parent.project();
    // A matrix test carries its case's annotation (and, once measured, its record): both survive a blob merge,
    // where a project's custom `use` options do not.
    const isMatrixTest = test.annotations.some((a) => a.type === CASE_ANNOTATION) || result.attachments.some((a) => a.name === CASE_RECORD_ATTACHMENT);
    if (!project || !isMatrixTest) return;
    // Keep only the final attempt of a retried test.
    if (result.status !== 'passed' && result.status !== 'skipped' && result.retry < test.retries) return;
    const caseRecord = result.attachments.find((a) => a.name === CASE_RECORD_ATTACHMENT && a.body)?.body;
    const error = result.errors[0]?.message;
    // The stack only of an error raised outside any case's measurement (no record): a case's failure is its record.
    const errorStack = caseRecord ? undefined : result.errors[0]?.stack;
    this.#finished.push({
      project: project.name,
      title: test.title,
      suiteTitle: test.parent.title,
      status: result.status,
      durationMs: result.duration,
      ...(error !== undefined && { error: stripAnsi(error) }),
      ...(errorStack !== undefined && { errorStack: stripAnsi(errorStack) }),
      ...(caseRecord && { caseRecord }),
    });
  }

  onEnd(result: FullResult): void {
    if (this.#finished.length === 0) return;
    const results = buildResults(this.#finished.map(resultRecord), { durationMs: result.duration, status: result.status, generatedAt: new Date() });
    const folder = this.#folder;
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'results.json'), JSON.stringify(results, null, 2));
    writeFileSync(join(folder, 'index.html'), renderReport(results));
    const passed = results.records.filter((r) => r.status === 'passed').length;
    const failed = results.records.filter((r) => r.status !== 'passed' && r.status !== 'skipped').length;
    const skipped = results.records.filter((r) => r.status === 'skipped').length;
    console.log(`\ncors-matrix summary (passed ✓, failed ✗, engines disagree ≠)\n${terminalSummary(results)}`);
    // Only a run with rows of the wpt-cors family loads that family to find each case's WPT subtest.
    const wptLines = results.records.some((r) => r.family === 'wpt-cors') ? wptSummaryLines(wptCounts(results.records, wptSubtestOf)) : [];
    for (const line of wptLines) console.log(line);
    console.log(`report: ${join(folder, 'index.html')}`);
    console.log(`cors-matrix: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  }

  printsToStdio(): boolean {
    return false;
  }
}
