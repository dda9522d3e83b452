import { defineConfig } from '@playwright/test';
import base from '../../playwright.config.ts';
import { matrixProjects, matrixReporters } from '../../lib/playwright/projects.ts';

// The project's own config (its checks and its launcher watchdog run on import), with the matrix specs only and the
// report written into test-results/, so that a run interrupted by tests/interrupt never overwrites cors-matrix-report/.
export default defineConfig({
  ...base,
  workers: 1,
  outputDir: '../../test-results/interrupt-run',
  reporter: matrixReporters({ outputFolder: '../../test-results/interrupt-report' }),
  projects: matrixProjects({ testDir: '../matrix' }),
});
