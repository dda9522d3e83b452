import { defineConfig } from '@playwright/test';
import { ENGINE_NAMES } from './lib/engines/engine.ts';
import type { MatrixWorkerFixtures } from './lib/fixture.ts';

export default defineConfig<object, MatrixWorkerFixtures>({
  timeout: 60_000,
  // Two cores: one engine per worker; a third worker only makes the engines fight for CPU.
  workers: 2,
  fullyParallel: false,
  forbidOnly: !!process.env['CI'],
  reporter: [
    ['list'],
    ['junit', { outputFile: 'cors-matrix-report/junit.xml' }],
    ['./lib/reporters/matrix-reporter.ts', { outputFolder: 'cors-matrix-report' }],
  ],
  projects: [
    { name: 'unit', testDir: './tests/unit' },
    ...ENGINE_NAMES.map((engineName) => ({ name: engineName, testDir: './tests/matrix', use: { engineName } })),
  ],
});
