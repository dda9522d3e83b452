import { defineConfig } from '@playwright/test';
import { matrixProjects, matrixReporters, type EngineName } from '../../lib/index.ts';


// The child runs host.spec.ts starts, one deployed target each (deployed.spec.ts): engines from CM_DEPLOYED_ENGINES
// (default chromium), the report in CORS_MATRIX_REPORT_DIR.
const engines = (process.env['CM_DEPLOYED_ENGINES'] ?? 'chromium').split(',') as EngineName[];
export default defineConfig({
  testDir: '.',
  testMatch: 'deployed.spec.ts',
  timeout: 60_000,
  workers: 1,
  outputDir: process.env['CM_DEPLOYED_RESULTS'] ?? '../../test-results/deployed',
  projects: matrixProjects({ engines }),
  reporter: matrixReporters({ outputFolder: process.env['CORS_MATRIX_REPORT_DIR'] ?? 'cors-matrix-report' }),
});
