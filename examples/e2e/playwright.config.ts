import { chromium, defineConfig, devices, firefox, webkit } from '@playwright/test';
import { existsSync } from 'node:fs';
import type { CorsWorkerOptions } from 'cors-matrix/test';
import { API_ORIGIN, API_PORT, API_TLS_PORT, FRONT_ORIGIN, FRONT_PORT } from './ports.ts';

// Playwright's own builds where installed, otherwise Debian's (chromium, firefox-esr: Firefox over WebDriver BiDi).
const chromiumLaunch = existsSync(chromium.executablePath()) ? {} : { executablePath: '/usr/bin/chromium' };
const firefoxLaunch = existsSync(firefox.executablePath()) ? {} : { channel: 'moz-firefox', executablePath: '/usr/bin/firefox-esr' };
// The fixture runs on Playwright's page: WebKit is a project where Playwright's WebKit build is installed. WebKitGTK's
// MiniBrowser (driven over WebDriver by cors-matrix's engine layer) has no Playwright page, so it is not a project:
// tests/replay.spec.ts replays each engine's recorded requests in it instead (cors.replayIn('webkit')).
const withWebKit = existsSync(webkit.executablePath());

export default defineConfig<CorsWorkerOptions>({
  testDir: './tests',
  timeout: 30_000,
  // One worker per engine.
  workers: 2,
  forbidOnly: !!process.env['CI'],
  reporter: [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL: FRONT_ORIGIN,
    // The one place the API is configured: the origin the frontend calls, and where it listens in the test.
    corsOptions: { apiOrigins: [API_ORIGIN], target: `http://127.0.0.1:${API_PORT}` },
  },
  projects: [
    { name: 'chromium', use: { ...devices['Desktop Chrome'], launchOptions: chromiumLaunch } },
    { name: 'firefox', use: { ...devices['Desktop Firefox'], launchOptions: firefoxLaunch } },
    ...(withWebKit ? [{ name: 'webkit', use: { ...devices['Desktop Safari'] } }] : []),
  ],
  webServer: [
    { command: `node serve-frontend.mjs ${FRONT_PORT}`, url: `${FRONT_ORIGIN}/`, reuseExistingServer: false },
    { command: `node api.mjs ${API_PORT} ${FRONT_ORIGIN} ${API_TLS_PORT}`, url: `http://127.0.0.1:${API_PORT}/api/health`, reuseExistingServer: false },
  ],
});
