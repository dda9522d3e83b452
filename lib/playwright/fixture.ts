import { _baseTest as base } from '@playwright/test';
import type { EngineName, RemoteEngine } from '../measure/engines/engine.ts';
import { DEFAULT_PROFILE, type ProfileName } from '../model/profiles.ts';
import { workerRunDir } from './run-selection.ts';
import { WorkerMeasurements } from './worker-measurements.ts';

/** Whether a project's grep (or grepInvert) keeps only some of its files' tests, as the strict columns' does. */
function filtersTests(project: { readonly grep: RegExp | RegExp[]; readonly grepInvert: RegExp | RegExp[] | null }): boolean {
  const greps = Array.isArray(project.grep) ? project.grep : [project.grep];
  const everything = greps.some((g) => g.source === '.*' || g.source === '(?:)');
  const inverted = project.grepInvert !== null && (!Array.isArray(project.grepInvert) || project.grepInvert.length > 0);
  return !everything || inverted;
}

export interface MatrixWorkerFixtures {
  /** Set per project in playwright.config.ts. */
  engineName: EngineName;
  /** Set per project where the engine runs elsewhere (matrixProjects' `remote`). */
  engineRemote: RemoteEngine | undefined;
  /** The engine's cookie and tracking settings (lib/model/profiles.ts), set per project by matrixProjects' `profiles`. */
  profile: ProfileName;
  /** The measure stage of this worker: engines and servers start on first need, and one batch measures the run's cases. */
  measurements: WorkerMeasurements;
}

/**
 * The one fixture every matrix test uses. Which build and protocol drive the engine, and which servers answer,
 * stays hidden behind the measurements; a test only judges.
 */
export const test = base.extend<object, MatrixWorkerFixtures>({
  engineName: ['chromium', { scope: 'worker', option: true }],
  engineRemote: [undefined, { scope: 'worker', option: true }],
  profile: [DEFAULT_PROFILE, { scope: 'worker', option: true }],
  measurements: [
    async ({ engineName, engineRemote, profile }, use, workerInfo) => {
      // Without the selection reporter (a --reporter on the command line replaces the config's), a worker measures
      // every case its files register: right, but for a project that keeps a few of them (a strict column: 130 of
      // 928), the whole file's cost. Said once per worker, where it happens.
      if (workerRunDir() === undefined && filtersTests(workerInfo.project)) {
        console.warn(`cors-matrix: project "${workerInfo.project.name}" keeps only some of its files' tests (its grep), but this run has no selection reporter, so its worker measures every case those files register; a --reporter on the command line replaces the config's reporters: name it there too (--reporter=<yours>,./node_modules/cors-matrix/dist/lib/playwright/selection-reporter.js; in the cors-matrix repository ./lib/playwright/selection-reporter.ts)`);
      }
      const measurements = new WorkerMeasurements(engineName, workerInfo.project.name, engineRemote, profile);
      await use(measurements);
      await measurements.close();
    },
    { scope: 'worker', timeout: 60_000 },
  ],
});

export { expect } from '@playwright/test';
