import { defineConfig } from '@playwright/test';
import type { MatrixWorkerFixtures } from '../../lib/playwright/fixture.ts';
import { matrixProjects, matrixReporters } from '../../lib/playwright/projects.ts';

// The benchmark's generated matrix: the same projects and reporters as the main config, with the report kept apart.
export default defineConfig<object, MatrixWorkerFixtures>({
  testDir: '.',
  testMatch: 'generated.spec.ts',
  timeout: 60_000,
  workers: 2,
  reporter: matrixReporters({ outputFolder: '../../bench-report' }).filter(([name]) => name !== 'list'),
  projects: matrixProjects(),
});
