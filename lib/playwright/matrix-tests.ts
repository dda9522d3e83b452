import type { TestInfo } from '@playwright/test';
import type { CaseRecord, CaseRunner } from '../measure/case-runner.ts';
import { expect, test } from './fixture.ts';
import { describeRecord } from '../judge/format.ts';
import { loadCases } from '../model/load-cases.ts';
import { loadMiddlewareCases } from '../model/load-middleware-cases.ts';
import type { AnyMiddlewareSuite } from '../model/middleware-suite.ts';
import { CASE_RECORD_ATTACHMENT } from '../report/results.ts';
import type { Case, ScenarioFamily } from '../model/scenario.ts';

/**
 * The body of every matrix test: runs one case in the worker's engine, annotates the test with the engine, the
 * verdict and any finding, attaches the case record (the matrix reporter builds the report from it), and fails on
 * any difference from the expectation, printing expected against actual and the server's ledger.
 */
export async function checkCase(caseRunner: CaseRunner, testCase: Case, testInfo: TestInfo): Promise<CaseRecord> {
  const record = await caseRunner.run(testCase);
  testInfo.annotations.push(
    { type: 'engine', description: `${record.engine.name} ${record.engine.version} (${record.engine.build})` },
    { type: 'verdict', description: record.outcome.verdict },
    ...(record.finding ? [{ type: 'finding', description: record.finding }] : []),
  );
  await testInfo.attach(CASE_RECORD_ATTACHMENT, { body: JSON.stringify(record, null, 2), contentType: 'application/json' });
  expect(record.mismatches, describeRecord(record)).toEqual([]);
  return record;
}

/**
 * One Playwright test per case per engine project, grouped by family (`test.describe(family)`). The families are
 * validated first: bad input throws a ScenarioError naming every problem, before any browser starts.
 * Call it at the top level of a spec file; it returns the cases it generated tests for.
 */
export function scenarioTests(families: readonly ScenarioFamily[]): readonly Case[] {
  const cases = loadCases(families);
  for (const { family } of families) {
    test.describe(family, () => {
      for (const testCase of cases.filter((c) => c.family === family)) {
        test(testCase.title, async ({ caseRunner }, testInfo) => void (await checkCase(caseRunner, testCase, testInfo)));
      }
    });
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
  const cases = loadMiddlewareCases(suites);
  const suiteTest = test.extend({ middlewareSuites: [async ({}, use) => use(suites), { scope: 'worker' }] });
  const bySuite = new Map<string, Case[]>();
  for (const testCase of cases) {
    const id = testCase.app?.suite ?? '';
    bySuite.set(id, [...(bySuite.get(id) ?? []), testCase]);
  }
  for (const [suite, suiteCases] of bySuite) {
    suiteTest.describe(`${suiteCases[0]?.family === 'audit' ? 'audit' : 'middleware'} ${suite}`, () => {
      for (const testCase of suiteCases) {
        suiteTest(testCase.title, async ({ caseRunner }, testInfo) => void (await checkCase(caseRunner, testCase, testInfo)));
      }
    });
  }
  return cases;
}
