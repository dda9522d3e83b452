import { defineConfig } from '@playwright/test';

// A deployed API across a real network: run through tests/deployed/run.sh, which sets the namespace host up and removes
// it (root only). host.spec.ts starts one `npx playwright test -c targets.config.ts` per deployed target. One worker:
// the machine is small and the host is one.
export default defineConfig({
  testDir: '.',
  testMatch: 'host.spec.ts',
  outputDir: '../../test-results/deployed',
  reporter: [['list']],
  workers: 1,
  timeout: 240_000,
});
