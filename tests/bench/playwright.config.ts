import { defineConfig } from '@playwright/test';
import type { MatrixWorkerFixtures } from '../../lib/playwright/fixture.ts';
import { matrixProjects, matrixReporters } from '../../lib/playwright/projects.ts';

// The benchmark's generated matrix: the same projects and reporters as the main config, with the report kept apart.
export default defineConfig<object, MatrixWorkerFixtures>({
  testDir: '.',
  testMatch: 'generated.spec.ts',
  timeout: 60_000,
  // One worker: the engines are measured one after another. Measured on this 2-core machine (farm-bench, 4,000 cases ×
  // 3 engines, runs paired): as fast as two workers (wall ×1.01, CPU ×0.93), since one engine's batch of 32 concurrent
  // requests already keeps both cores busy, at a far lower peak (two engines and two workers alive at once cost about
  // 0.75 GiB more). `npm run bench` measures the two-worker run beside it.
  workers: 1,
  reporter: matrixReporters({ outputFolder: '../../bench-report' }).filter(([name]) => name !== 'list'),
  projects: matrixProjects(),
});
