import { defineConfig } from '@playwright/test';
import type { MatrixWorkerFixtures } from './lib/playwright/fixture.ts';
import { matrixProjects, matrixReporters } from './lib/playwright/projects.ts';
import { interruptGracefully } from './servers/child-processes.ts';

// Bad input ends the run here, with exit code 2 and every problem named, before any test file loads or engine starts.
// Only the runner checks (each worker loads this file again): the checker's modules stay out of every worker's start.
if (process.env['TEST_WORKER_INDEX'] === undefined) {
  const { checkBeforeRun } = await import('./lib/cli/check.ts');
  await checkBeforeRun(['cors-matrix.config.ts', 'scenarios/index.ts'], (url) => import(url));
}
// SIGTERM, SIGHUP or the launcher going away (SIGTERM to npx) stop the run as Ctrl-C does: engines closed, report written.
interruptGracefully();

// Playwright matches `grep` against "<project> <file> <describe…> <title>": these are the families' describe blocks.
const COOKIE_FAMILIES = /\.spec\.ts (credentials|no-cors-and-csrf|audit \S+) /;
const STRICT_FILE = 'cookie-columns.spec.ts';

export default defineConfig<object, MatrixWorkerFixtures>({
  timeout: 60_000,
  // Two cores: one engine per worker; a third worker only makes the engines fight for CPU.
  workers: 2,
  fullyParallel: false,
  forbidOnly: !!process.env['CI'],
  reporter: matrixReporters(),
  projects: [
    { name: 'unit', testDir: './tests/unit' },
    // Every case under each engine's settings as shipped; the cases about cookies again with third-party cookies blocked
    // (a `-strict` column per engine), where the profile decides what reaches the server. The strict columns take their
    // cases from one file (cookie-columns.spec.ts declares both the families and the suites): one worker, one engine
    // and one set of servers per column, where two files gave two of each for ~130 cases.
    ...matrixProjects({
      testDir: './tests/matrix',
      profiles: [
        { profile: 'as-shipped', testIgnore: STRICT_FILE },
        { profile: 'strict', grep: COOKIE_FAMILIES, testMatch: STRICT_FILE },
      ],
    }),
  ],
});
