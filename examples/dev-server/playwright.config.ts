import { defineConfig } from '@playwright/test';
import { matrixProjects, matrixReporters } from 'cors-matrix';

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  forbidOnly: !!process.env['CI'],
  // chromium, firefox and webkit; cors-matrix-report/ gets index.html, results.json and junit.xml.
  projects: matrixProjects(),
  reporter: matrixReporters(),
});
