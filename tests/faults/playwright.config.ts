import { defineConfig } from '@playwright/test';

// Faults injected in real runs (engines killed, sockets destroyed, servers that never answer). Heavy, and each test
// starts its own engine: run it alone, `npx playwright test -c tests/faults`, never beside the matrix.
export default defineConfig({
  testDir: '.',
  testMatch: 'faults.spec.ts',
  outputDir: '../../test-results/faults',
  reporter: [['list']],
  workers: 1,
  timeout: 240_000,
});
