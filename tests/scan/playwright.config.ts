import { defineConfig } from '@playwright/test';

// `cors-matrix scan` end to end: the built command (bin/cors-matrix.mjs → dist/, so `npm run build` first) against
// small servers on 127.0.0.1. The engines are started by the command itself, so this config has one plain project.
// One worker: the machine is small, and each test drives real engines.
export default defineConfig({
  testDir: '.',
  testMatch: 'scan.spec.ts',
  outputDir: '../../test-results/scan',
  reporter: [['list']],
  workers: 1,
  timeout: 180_000,
  projects: [{ name: 'scan' }],
});
