import { defineConfig } from '@playwright/test';

// Runs after the matrix (see `npm test`): checks the report that run left behind, in a real browser.
export default defineConfig({
  testDir: '.',
  testMatch: ['report.spec.ts', 'escaping.spec.ts', 'scale.spec.ts'],
  outputDir: '../../test-results/report',
  reporter: [['list']],
  workers: 1,
  timeout: 60_000,
});
