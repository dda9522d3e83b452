/**
 * cors-matrix as a library: what a middleware (or app) repository needs to write its own CORS regression suite in
 * real Chromium, Firefox and WebKit.
 *
 * ```ts
 * // playwright.config.ts
 * import { defineConfig } from '@playwright/test';
 * import { matrixProjects, matrixReporters } from 'cors-matrix';
 * export default defineConfig({ projects: matrixProjects({ testDir: './tests' }), reporter: matrixReporters() });
 *
 * // tests/cors.spec.ts
 * import { defineMiddlewareSuites, middlewareTests } from 'cors-matrix';
 * middlewareTests(defineMiddlewareSuites([{ middleware: 'app', label: 'api', app: (o, hooks) => createApp(o.page, hooks), … }]));
 * ```
 */

// The worker fixture every matrix test uses (the worker's measure stage), and Playwright's expect.
export { expect, test, type MatrixWorkerFixtures } from './playwright/fixture.ts';

// Declaring cases: scenario families (a policy per row) and middleware suites (an app or middleware plus its intent).
export { defineScenarios } from './model/scenario.ts';
export { defineMiddlewareSuites, suiteId } from './model/middleware-suite.ts';

// Generating the Playwright tests, as the project's own specs do.
export { checkCase, middlewareTests, scenarioTests } from './playwright/matrix-tests.ts';

// Your own running server (a URL, or a command the harness starts), reached under any host name through the
// harness's forwarding proxy: `defineConfig` for cors-matrix.config.ts, and the tests it generates.
export { defineConfig, type OwnIntent, type OwnServerConfig, type RouteConfig, type TargetConfig } from './model/own-server-config.ts';
export { ownServerTests } from './playwright/own-server-tests.ts';

// Playwright config: one project per engine, and the reporters (terminal, JUnit, the HTML matrix and results.json).
export {
  MATRIX_REPORTER_PATH,
  matrixProjects,
  matrixReporters,
  type MatrixProject,
  type MatrixProjectsOptions,
  type ProfileProjects,
  type MatrixReporterDescription,
  type MatrixReportersOptions,
} from './playwright/projects.ts';
export type { MatrixReporterOptions } from './report/matrix-reporter.ts';

// Loading and validating without generating tests (e.g. to list the cases), and the error that names every problem.
export { loadCases, ScenarioError } from './model/load-cases.ts';
export { loadMiddlewareCases } from './model/load-middleware-cases.ts';

// Names.
export { ENGINE_NAMES, type EngineInfo, type EngineName } from './measure/engines/engine.ts';
export { PROFILE_NAMES, type MeasuredProfile, type ProfileName } from './model/profiles.ts';
export { ORIGIN_NAMES, type HostedOriginName, type OriginMap, type OriginName } from './model/origins.ts';
export { VERDICTS, type CaseOutcome, type Verdict } from './judge/outcome.ts';
export { MIDDLEWARE_NAMES, type BuiltApp, type MiddlewareName, type MiddlewareOptions, type RouteHooks } from './middleware/index.ts';
export { INTERNAL_HEADER, UNINTENDED_HEADER, type Intent, type Probe } from './model/intent.ts';

// The public types of cases, suites and results.
export type { AllowOriginRule, HeaderList, Policy } from './model/policy.ts';
export type { Case, CaseRow, EngineDeviation, Expectation, ExpectedOutcome, RequestRow, ScenarioFamily, StatedExpectation } from './model/scenario.ts';
export type { AnyMiddlewareSuite, AppFactory, AppListener, AppSuite, MiddlewareFinding, MiddlewareSuite } from './model/middleware-suite.ts';
export type { CaseRecord } from './judge/case-record.ts';
export type { Measurement } from './measure/measurement.ts';
export type { LedgerEntry } from './model/ledger.ts';
export type { MatrixResults, ResultRecord } from './report/results.ts';
