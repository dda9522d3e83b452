import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestDetails, TestInfo } from '@playwright/test';
import { test, type MatrixWorkerFixtures } from './fixture.ts';
import { packageRoot } from '../model/package-root.ts';

/** Where a test is reported: file, line and column, as Playwright shows them. */
export interface TestLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

// Frames in this package's code — its sources, or its build, which source maps report as its sources — are not
// where the user declared the tests.
const OWN_CODE = [join(packageRoot(), 'lib') + sep, join(packageRoot(), 'dist') + sep];

/** The first caller outside this package: the user's spec or config file that called a test generator. */
export function callerOutsidePackage(): TestLocation | undefined {
  const holder: { stack?: string } = {};
  Error.captureStackTrace(holder);
  for (const line of (holder.stack ?? '').split('\n').slice(1)) {
    const match = /\(?((?:file:\/\/)?[^()\s]+):(\d+):(\d+)\)?\s*$/.exec(line);
    if (!match?.[1]) continue;
    const file = match[1].startsWith('file://') ? fileURLToPath(match[1]) : match[1];
    if (OWN_CODE.some((own) => file.startsWith(own)) || file.startsWith('node:') || file.includes('/node_modules/playwright')) continue;
    return { file, line: Number(match[2]), column: Number(match[3]) };
  }
  return undefined;
}

type MatrixTestBody = (fixtures: MatrixWorkerFixtures, testInfo: TestInfo) => Promise<void>;
type CreateTest = (type: 'default', location: TestLocation, title: string, details: TestDetails, body: MatrixTestBody) => void;

/** Playwright's own test declaration, which takes a location; found by its symbol's name on the test function. */
function internalCreateTest(testType: typeof test): CreateTest | undefined {
  const symbol = Object.getOwnPropertySymbols(testType).find((s) => s.description === 'testType');
  const impl = symbol === undefined ? undefined : (testType as unknown as Record<symbol, { _createTest?: CreateTest }>)[symbol];
  return typeof impl?._createTest === 'function' ? impl._createTest.bind(impl) : undefined;
}

/**
 * Declares a test that Playwright reports at `location` (the user's spec line that generated it) rather than inside
 * this package. Playwright takes a test's location from its direct caller, which for generated tests is always this
 * package; where its internals are not as expected (another version), the test is declared the ordinary way.
 */
export function declareTest(testType: typeof test, location: TestLocation | undefined, title: string, details: TestDetails, body: MatrixTestBody): void {
  const create = location && internalCreateTest(testType);
  if (create && location) create('default', location, title, details, body);
  else testType(title, details, body);
}
