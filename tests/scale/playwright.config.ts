import { defineConfig } from '@playwright/test';

// Runs of the harness as a whole, started as child processes: sharding and merging, and a remote engine. Each test
// spawns its own `npx playwright test` against this repository's main config.
export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  timeout: 300_000,
  workers: 1,
  reporter: [['list']],
});
