import { fileURLToPath } from 'node:url';
import type { PlaywrightTestProject } from '@playwright/test';
import { ENGINE_NAMES, type EngineName, type RemoteEngine } from '../measure/engines/engine.ts';
import type { MatrixWorkerFixtures } from './fixture.ts';
import type { MatrixReporterOptions } from '../report/matrix-reporter.ts';
import { columnName, DEFAULT_PROFILE, PROFILE_NAMES, type ProfileName } from '../model/profiles.ts';

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
  /**
   * Which cookie and tracking settings get a project per engine (lib/model/profiles.ts). Default `['as-shipped']`.
   * A profile may run only some tests: `{ profile: 'strict', grep: /…/ }` (Playwright's `grep`, matched against
   * project, file, describe and test titles) or `testMatch`.
   */
  readonly profiles?: readonly (ProfileName | ProfileProjects)[];
}

/** One profile's projects, limited to some tests. */
export interface ProfileProjects {
  readonly profile: ProfileName;
  readonly grep?: RegExp | readonly RegExp[];
  readonly grepInvert?: RegExp | readonly RegExp[];
  /** Replaces matrixProjects' own `testMatch` for this profile's projects. */
  readonly testMatch?: TestFilter;
  /** Replaces matrixProjects' own `testIgnore` for this profile's projects. */
  readonly testIgnore?: TestFilter;
}

/** A Playwright project for one engine: its name is the engine's, its `use` picks the engine for the worker fixture. */
export type MatrixProject = PlaywrightTestProject<object, MatrixWorkerFixtures>;

function filter(value: TestFilter): string | RegExp | (string | RegExp)[] {
  return typeof value === 'string' || value instanceof RegExp ? value : [...value];
}

function regexps(value: RegExp | readonly RegExp[]): RegExp | RegExp[] {
  return value instanceof RegExp ? value : [...value];
}

/** The profiles as given, each once, checked: bad input names the option and the rule. */
function profileProjects(options: MatrixProjectsOptions): ProfileProjects[] {
  const given = (options.profiles ?? [DEFAULT_PROFILE]).map((p) => (typeof p === 'string' ? { profile: p } : p));
  const seen = new Set<ProfileName>();
  for (const { profile } of given) {
    if (!(PROFILE_NAMES as readonly string[]).includes(profile)) throw new Error(`matrixProjects: profiles: "${profile}" is not a profile; use one of: ${PROFILE_NAMES.join(', ')}`);
    if (seen.has(profile)) throw new Error(`matrixProjects: profiles: "${profile}" is named twice; each profile gets one project per engine`);
    seen.add(profile);
  }
  if (given.length === 0) throw new Error(`matrixProjects: profiles: must name at least one profile (${PROFILE_NAMES.join(', ')})`);
  return given;
}

/**
 * One project per engine and profile, for a config's `projects`: `chromium`, `firefox`, `webkit` under `as-shipped`,
 * `chromium-strict`, … under `strict` (each with `use: { engineName, profile }`). The worker fixture launches each
 * engine with its profile's cookie settings: Playwright's own build where installed, otherwise the system's.
 */
export function matrixProjects(options: MatrixProjectsOptions = {}): MatrixProject[] {
  const engines = options.engines ?? ENGINE_NAMES;
  return profileProjects(options).flatMap(({ profile, grep, grepInvert, testMatch, testIgnore }) =>
    engines.map((engineName) => {
      const remote = options.remote?.[engineName];
      if (remote && profile !== DEFAULT_PROFILE) {
        throw new Error(`matrixProjects: profiles: "${profile}" cannot be applied to the remote ${engineName}: a remote engine runs with the settings its server launched it with; give remote engines the "${DEFAULT_PROFILE}" profile only`);
      }
      const match = testMatch ?? options.testMatch;
      const ignore = testIgnore ?? options.testIgnore;
      return {
        name: columnName(engineName, profile),
        ...(options.testDir !== undefined && { testDir: options.testDir }),
        ...(match !== undefined && { testMatch: filter(match) }),
        ...(ignore !== undefined && { testIgnore: filter(ignore) }),
        ...(grep !== undefined && { grep: regexps(grep) }),
        ...(grepInvert !== undefined && { grepInvert: regexps(grepInvert) }),
        use: { engineName, profile, ...(remote && { engineRemote: remote }) },
      };
    }),
  );
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
