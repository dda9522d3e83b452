import { fileURLToPath } from 'node:url';
import type { PlaywrightTestProject } from '@playwright/test';
import { ENGINE_NAMES, type EngineName, type RemoteEngine } from '../measure/engines/engine.ts';
import type { MatrixWorkerFixtures } from './fixture.ts';
import type { MatrixReporterOptions } from '../report/matrix-reporter.ts';

type TestFilter = string | RegExp | readonly (string | RegExp)[];

export interface MatrixProjectsOptions {
  /** Where the spec files are, relative to the config file. Default: the config's own `testDir`. */
  readonly testDir?: string;
  /** Which files in testDir are specs. Default: Playwright's (`*.spec.ts`, `*.test.ts`, …). */
  readonly testMatch?: TestFilter;
  readonly testIgnore?: TestFilter;
  /** Which engines get a project. Default: chromium, firefox and webkit. */
  readonly engines?: readonly EngineName[];
  /**
   * Engines that run elsewhere: a Playwright server (`npx playwright run-server`, `launchServer`) by `wsEndpoint`,
   * or, for WebKit, a WebDriver endpoint by `webdriverUrl`. The servers stay on this machine.
   */
  readonly remote?: Partial<Readonly<Record<EngineName, RemoteEngine>>>;
}

/** A Playwright project for one engine: its name is the engine's, its `use` picks the engine for the worker fixture. */
export type MatrixProject = PlaywrightTestProject<object, MatrixWorkerFixtures>;

function filter(value: TestFilter): string | RegExp | (string | RegExp)[] {
  return typeof value === 'string' || value instanceof RegExp ? value : [...value];
}

/**
 * One project per engine (`chromium`, `firefox`, `webkit`, each with `use: { engineName }`), for a config's
 * `projects`. The worker fixture launches each engine: Playwright's own build where installed, otherwise the system's.
 */
export function matrixProjects(options: MatrixProjectsOptions = {}): MatrixProject[] {
  return (options.engines ?? ENGINE_NAMES).map((engineName) => ({
    name: engineName,
    ...(options.testDir !== undefined && { testDir: options.testDir }),
    ...(options.testMatch !== undefined && { testMatch: filter(options.testMatch) }),
    ...(options.testIgnore !== undefined && { testIgnore: filter(options.testIgnore) }),
    use: { engineName, ...(options.remote?.[engineName] && { engineRemote: options.remote[engineName] }) },
  }));
}

export interface MatrixReportersOptions {
  /**
   * Folder for index.html, results.json and junit.xml, relative to the config file. Default: `$CORS_MATRIX_REPORT_DIR`,
   * else `cors-matrix-report`.
   */
  readonly outputFolder?: string;
}

/** A reporter entry for a config's `reporter` list (assignable to Playwright's ReporterDescription). */
export type MatrixReporterDescription =
  | readonly ['list']
  | readonly ['junit', { readonly outputFile: string }]
  | readonly [string, MatrixReporterOptions | Record<string, never>];

/** This module's own extension: `.ts` when run from source, `.js` when run from the built package. */
const OWN_EXTENSION = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

/** The matrix reporter's module, as an absolute path Playwright can load from any config. */
export const MATRIX_REPORTER_PATH: string = fileURLToPath(new URL(`../report/matrix-reporter${OWN_EXTENSION}`, import.meta.url));

/** The reporter that hands the run's test selection to the workers, so each measures exactly what was selected. */
export const SELECTION_REPORTER_PATH: string = fileURLToPath(new URL(`./selection-reporter${OWN_EXTENSION}`, import.meta.url));

/**
 * The reporters of a cors-matrix run: `list` in the terminal, JUnit XML for CI systems (`<outputFolder>/junit.xml`),
 * the matrix reporter (the HTML matrix, results.json and the per-family table at the end of the run), and the
 * selection reporter, which tells the workers which cases to measure in their batch.
 */
export function matrixReporters(options: MatrixReportersOptions = {}): MatrixReporterDescription[] {
  const outputFolder = options.outputFolder ?? process.env['CORS_MATRIX_REPORT_DIR'] ?? 'cors-matrix-report';
  return [['list'], ['junit', { outputFile: `${outputFolder}/junit.xml` }], [MATRIX_REPORTER_PATH, { outputFolder }], [SELECTION_REPORTER_PATH, {}]];
}
