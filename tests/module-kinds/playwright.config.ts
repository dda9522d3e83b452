import { defineConfig } from '@playwright/test';

// CommonJS and ESM user projects, end to end: each test packs this tree (its dist/, built by `npm run build`, which
// `npm test` runs first), installs it into a new project of one module kind, and runs `npx cors-matrix check` and
// `npx playwright test` there. An npm install per project: run it on its own, `npx playwright test -c tests/module-kinds`.
export default defineConfig({
  testDir: '.',
  testMatch: 'module-kinds.spec.ts',
  outputDir: '../../test-results/module-kinds',
  reporter: [['list']],
  // One project per worker: the installs overlap, and each project's Playwright run starts one Chromium.
  workers: 2,
  fullyParallel: true,
  timeout: 360_000,
});
