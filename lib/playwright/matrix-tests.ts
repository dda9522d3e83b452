import type { TestInfo } from '@playwright/test';
import type { CaseRecord } from '../judge/case-record.ts';
import { causeOfRecord } from '../diagnose/index.ts';
import { describeRecord } from '../judge/failure-text.ts';
import { judgeCase } from '../judge/judge-case.ts';
import { loadCases } from '../model/load-cases.ts';
import { loadMiddlewareCases } from '../model/load-middleware-cases.ts';
import { suiteId, type AnyMiddlewareSuite } from '../model/middleware-suite.ts';
import { suiteOf, type Case, type ScenarioFamily } from '../model/scenario.ts';
import { CASE_RECORD_ATTACHMENT } from '../report/results.ts';
import { checkSnapshot } from '../snapshot/index.ts';
import { callerOutsidePackage, declareTest } from './declare-test.ts';
import { expect, test } from './fixture.ts';
import { CASE_ANNOTATION } from './run-selection.ts';
import { registerBuiltinCases } from './worker-measurements.ts';
import type { WorkerMeasurements } from './worker-measurements.ts';

/**
 * Playwright stops a worker after any failed test, to start the next test in a clean process. A failed judgement
 * leaves nothing to clean: the measurement was made and stored before, and no browser state was touched. So the
 * worker is told this failure is not one it must stop for — the test itself is still reported failed, retried and
 * listed by --last-failed as usual. This reaches into one internal method of the pinned Playwright (1.64.1); where it
 * is missing, a failure costs a worker restart, and the new worker reads the stored measurements back.
 */
function keepWorkerAfterJudgement(testInfo: TestInfo): void {
  const internals = testInfo as TestInfo & { _isFailure?: () => boolean };
  if (typeof internals._isFailure !== 'function') return;
  Object.defineProperty(internals, '_isFailure', { value: () => false, configurable: true });
}

/**
 * The body of every matrix test: judges the case's measurement from this run's batch, annotates the test with the
 * engine, the verdict and any finding, attaches the case record (the matrix reporter builds the report from it), and
 * fails on any difference from the expectation, printing expected against actual and the server's ledger.
 */
export async function checkCase(measurements: WorkerMeasurements, testCase: Case, testInfo: TestInfo, snapshot = false): Promise<CaseRecord> {
  const measurement = await measurements.measurementFor(testCase, testInfo);
  const record: CaseRecord = { ...judgeCase(testCase, measurement), attempt: { repeatEachIndex: testInfo.repeatEachIndex, retry: testInfo.retry } };
  testInfo.annotations.push(
    { type: 'engine', description: `${record.engine.name} ${record.engine.version} (${record.engine.build})` },
    { type: 'verdict', description: record.outcome.verdict },
    ...(record.finding ? [{ type: 'finding', description: record.finding }] : []),
  );
  await testInfo.attach(CASE_RECORD_ATTACHMENT, { body: JSON.stringify(record), contentType: 'application/json' });
  // A snapshot change fails softly, so a failed expectation of the same test is reported too (lib/snapshot). It is a
  // failed judgement like any other: the worker stays.
  if (snapshot && checkSnapshot(record, testInfo).fail) keepWorkerAfterJudgement(testInfo);
  if (record.mismatches.length > 0) {
    keepWorkerAfterJudgement(testInfo);
    // The judge describes its record; the diagnosis, a layer above it, names the cause and its fix.
    expect(record.mismatches, describeRecord(record, causeOfRecord(record))).toEqual([]);
  }
  return record;
}

/** Declares one test per case, named by its title, carrying its case id for the run's selection. */
export function declareCaseTests(cases: readonly Case[], location = callerOutsidePackage(), testType: typeof test = test, snapshot = false): void {
  for (const testCase of cases) {
    declareTest(testType, location, testCase.title, { annotation: { type: CASE_ANNOTATION, description: testCase.id } }, async ({ measurements }, testInfo) => {
      await checkCase(measurements, testCase, testInfo, snapshot);
    });
  }
}

/**
 * One Playwright test per case per engine project, grouped by family (`test.describe(family)`). The families are
 * validated first: bad input throws a ScenarioError naming every problem, before any browser starts.
 * Call it at the top level of a spec file; it returns the cases it generated tests for.
 */
export function scenarioTests(families: readonly ScenarioFamily[]): readonly Case[] {
  const location = callerOutsidePackage();
  const cases = loadCases(families);
  registerBuiltinCases(cases);
  for (const { family } of families) {
    test.describe(family, () => declareCaseTests(cases.filter((c) => c.family === family), location));
  }
  return cases;
}

/**
 * One Playwright test per derived case per engine project, grouped by suite (`test.describe('middleware <id>')`, or
 * `audit <id>` for the audit family). The suites are validated and their cases derived from their intents first: bad
 * input throws a ScenarioError naming suite, field and rule, before any browser starts. The suites' apps are built
 * once per worker, on first use. Call it at the top level of a spec file; it returns the cases it generated tests for.
 */
export function middlewareTests(suites: readonly AnyMiddlewareSuite[]): readonly Case[] {
  const location = callerOutsidePackage();
  const cases = loadMiddlewareCases(suites);
  registerBuiltinCases(cases, suites);
  const bySuite = new Map<string, Case[]>();
  for (const testCase of cases) {
    const id = suiteOf(testCase) ?? '';
    bySuite.set(id, [...(bySuite.get(id) ?? []), testCase]);
  }
  for (const [suite, suiteCases] of bySuite) {
    const snapshot = suites.find((s) => suiteId(s) === suite)?.snapshot === true;
    test.describe(`${suiteCases[0]?.family === 'audit' ? 'audit' : 'middleware'} ${suite}`, () => declareCaseTests(suiteCases, location, test, snapshot));
  }
  return cases;
}
