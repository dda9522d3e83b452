import { defineConfig } from '@playwright/test';
import { matrixProjects, matrixReporters } from '../../lib/index.ts';

// Servers this repository did not write (installed by `npm install` here), checked as a user's own server. Their
// holes are real and undeclared: the run fails, and what is checked is the diagnosis it prints (see diagnosis.spec.ts).
export default defineConfig({
  testDir: '.',
  testMatch: '*/cors.spec.ts',
  timeout: 60_000,
  workers: 1,
  projects: matrixProjects(),
  reporter: matrixReporters({ outputFolder: process.env['CORS_MATRIX_REPORT_DIR'] ?? 'cors-matrix-report' }),
});
