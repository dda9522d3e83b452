import { defineConfig } from '@playwright/test';
import type { MatrixWorkerFixtures } from './lib/playwright/fixture.ts';
import { matrixProjects, matrixReporters } from './lib/playwright/projects.ts';

export default defineConfig<object, MatrixWorkerFixtures>({
  timeout: 60_000,
  // Two cores: one engine per worker; a third worker only makes the engines fight for CPU.
  workers: 2,
  fullyParallel: false,
  forbidOnly: !!process.env['CI'],
  reporter: matrixReporters(),
  projects: [{ name: 'unit', testDir: './tests/unit' }, ...matrixProjects({ testDir: './tests/matrix' })],
});
