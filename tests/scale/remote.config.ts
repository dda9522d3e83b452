import { defineConfig } from '@playwright/test';
import type { RemoteEngine } from '../../lib/measure/engines/engine.ts';
import type { MatrixWorkerFixtures } from '../../lib/playwright/fixture.ts';
import { matrixProjects, matrixReporters } from '../../lib/playwright/projects.ts';

// The main matrix with its engines elsewhere: Chromium behind a Playwright server, WebKit behind a WebDriver
// endpoint, both named by the remote-engine test through the environment.
const remote: Partial<Record<'chromium' | 'webkit', RemoteEngine>> = {};
if (process.env['REMOTE_CHROMIUM_WS']) {
  remote.chromium = { wsEndpoint: process.env['REMOTE_CHROMIUM_WS'], launchOptions: JSON.parse(process.env['REMOTE_CHROMIUM_LAUNCH'] ?? '{}') as { executablePath?: string } };
}
if (process.env['REMOTE_WEBKIT_WEBDRIVER']) remote.webkit = { webdriverUrl: process.env['REMOTE_WEBKIT_WEBDRIVER'] };

export default defineConfig<object, MatrixWorkerFixtures>({
  testDir: '../matrix',
  testMatch: 'matrix.spec.ts',
  timeout: 60_000,
  workers: 1,
  reporter: matrixReporters(),
  projects: matrixProjects({ engines: ['chromium', 'webkit'], remote }),
});
