import { defineConfig } from '@playwright/test';

// Interruption: each test starts a real matrix run, interrupts it, and reads the process table. Heavy (it starts
// engines): run it alone, `npx playwright test -c tests/interrupt`, never beside the matrix.
export default defineConfig({
  testDir: '.',
  testMatch: ['interrupt.spec.ts', 'listening.spec.ts', 'registry.spec.ts', 'hangup.spec.ts'],
  outputDir: '../../test-results/interrupt',
  reporter: [['list']],
  workers: 1,
  timeout: 240_000,
});
