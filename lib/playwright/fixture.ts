import { _baseTest as base } from '@playwright/test';
import type { EngineName, RemoteEngine } from '../measure/engines/engine.ts';
import { DEFAULT_PROFILE, type ProfileName } from '../model/profiles.ts';
import { WorkerMeasurements } from './worker-measurements.ts';

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
      const measurements = new WorkerMeasurements(engineName, workerInfo.project.name, engineRemote, profile);
      await use(measurements);
      await measurements.close();
    },
    { scope: 'worker', timeout: 60_000 },
  ],
});

export { expect } from '@playwright/test';
