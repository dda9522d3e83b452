// Where people look when a test fails: the red run of tests/credentials.spec.ts (CORS_E2E_RED=1) fails at its own UI
// assertion (the profile never shows), and the cause is a CORS block. Run in a child `playwright test` with each
// terminal reporter, its output must hold the blocked request's verdict, cause and checked fix whole — not the cut-off
// attachment — and error-context.md (the file people and assistants read next) must hold them too.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';

const EXPECTED = [
  'CorsBlockedRequestsError: the test failed, and 1 of its page',
  'GET https://api.shop.example/api/profile — fetch from http://127.0.0.1:',
  '  verdict:  blocked by CORS at the response',
  "  request:  credentials include, mode cors, redirect follow (the page's fetch call)",
  '  cause:    credentials are requested but the response lacks Access-Control-Allow-Credentials: true',
  'Access-Control-Allow-Credentials: true + Vary: Origin — on every status, errors and redirects included (checked by the oracle ✓)',
];

test.describe('a red test shows each blocked request in full', () => {
  test.skip(!!process.env['CORS_E2E_RED'] || !!process.env['CORS_E2E_BENCH'], 'the child run itself, or the bench');
  for (const reporter of ['list', 'line', 'dot']) {
    test(`with the ${reporter} reporter, and in error-context.md`, async ({ browserName }) => {
      test.skip(browserName !== 'chromium', 'one engine is enough: the child run is the same in each');
      test.setTimeout(120_000);
      const output = mkdtempSync(join(tmpdir(), 'cors-e2e-red-'));
      try {
        // The child picks its own ports (the parent's servers hold these) and writes its results elsewhere.
        const env: NodeJS.ProcessEnv = { ...process.env, CORS_E2E_RED: '1', FORCE_COLOR: '0' };
        delete env['E2E_FRONT_PORT'];
        delete env['E2E_API_PORT'];
        delete env['E2E_API_TLS_PORT'];
        const run = spawnSync('npx', ['playwright', 'test', 'tests/credentials.spec.ts', '-g', 'the todo list', '--project=chromium', '--workers=1', `--reporter=${reporter}`, `--output=${output}`], { encoding: 'utf8', env, maxBuffer: 16 * 1024 * 1024 });
        const text = `${run.stdout}${run.stderr}`;
        expect(run.status, text).toBe(1);
        // The test's own assertion failed first, and the CORS explanation follows it.
        expect(text).toContain('signed in as ada');
        for (const line of EXPECTED) expect(text, `${reporter} reporter output`).toContain(line);
        const [dir] = readdirSync(output).filter((d) => d.startsWith('credentials-'));
        const context = readFileSync(join(output, dir ?? '', 'error-context.md'), 'utf8');
        for (const line of EXPECTED) expect(context, 'error-context.md').toContain(line);
      } finally {
        rmSync(output, { recursive: true, force: true });
      }
    });
  }
});
