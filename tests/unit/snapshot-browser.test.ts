// Matrix snapshots in a real run (Chromium, real servers): a suite with `snapshot: true` run through `playwright test`
// as a user would. Under CI a missing snapshot is written and fails; then two runs on fresh ports are green and leave
// the file as it was; a cell edited to an older behaviour is reported as `[chromium] field: before → after`; and
// `--update-snapshots=changed` accepts the new behaviour. A browser test, kept here because it drives its own runs.
import { test, expect } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SnapshotFile } from '../../lib/snapshot/index.ts';

const ROOT = process.cwd();
const lib = (path: string) => fileURLToPath(new URL(`../../lib/${path}`, import.meta.url));

test('A snapshot is written, green twice on fresh ports, and a changed cell is reported per engine and field.', async () => {
  test.setTimeout(600_000);
  const scratch = mkdtempSync(join(ROOT, '.cors-matrix-snapshot-test-'));
  try {
    writeFileSync(
      join(scratch, 'snap.spec.ts'),
      [
        `import { middlewareTests } from ${JSON.stringify(lib('playwright/matrix-tests.ts'))};`,
        `import { defineMiddlewareSuites } from ${JSON.stringify(lib('model/middleware-suite.ts'))};`,
        `middlewareTests(defineMiddlewareSuites([{`,
        `  middleware: 'express-cors', label: 'snapshot-probe', snapshot: true,`,
        `  options: (o) => ({ origin: o.page, methods: ['GET', 'PUT'], allowedHeaders: ['X-Request-Id'] }),`,
        `  optionsText: '{ origin: page, methods: [GET, PUT], allowedHeaders: [X-Request-Id] }',`,
        `  intent: { origins: ['page'], methods: ['PUT'], headers: ['X-Request-Id'] },`,
        `}]));`,
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(scratch, 'playwright.config.ts'),
      [
        `import { defineConfig } from '@playwright/test';`,
        `import { matrixProjects, matrixReporters } from ${JSON.stringify(lib('playwright/projects.ts'))};`,
        `export default defineConfig({ testDir: '.', outputDir: './test-results', workers: 1, timeout: 60_000,`,
        `  reporter: matrixReporters({ outputFolder: './report' }), projects: matrixProjects({ engines: ['chromium'] }) });`,
        '',
      ].join('\n'),
    );
    const cli = createRequire(join(ROOT, 'package.json')).resolve('@playwright/test/cli');
    const run = (ci: boolean, ...args: string[]) => {
      const env = { ...process.env };
      delete env['CI'];
      if (ci) env['CI'] = '1';
      const done = spawnSync(process.execPath, [cli, 'test', '-c', join(scratch, 'playwright.config.ts'), ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 240_000 });
      return { code: done.status, output: `${done.stdout}${done.stderr}` };
    };
    const file = join(scratch, 'snap.spec.ts-snapshots', 'express-cors-snapshot-probe.cors-matrix.json');

    const underCi = run(true);
    expect(underCi.code, underCi.output).toBe(1);
    expect(underCi.output).toContain('was missing and has been written');
    const written = readFileSync(file, 'utf8');
    expect(written).not.toMatch(/localhost:\d/);

    for (const round of [1, 2]) {
      const green = run(false);
      expect(green.code, `round ${round}:\n${green.output}`).toBe(0);
      expect(readFileSync(file, 'utf8')).toBe(written);
    }

    const snapshot = JSON.parse(written) as SnapshotFile;
    const [caseId, stored] = Object.entries(snapshot.cases).find(([, c]) => c.engines['chromium']?.verdict === 'allowed' && c.title.startsWith('GET credentials=omit from page')) ?? [];
    const cell = stored?.engines['chromium'];
    expect(caseId && cell).toBeTruthy();
    if (!caseId || !stored || !cell) return;
    const older = { ...cell, verdict: 'blocked-at-response', responseHeaders: { ...cell.responseHeaders, 'Access-Control-Allow-Origin': '*' } } as const;
    writeFileSync(file, JSON.stringify({ ...snapshot, cases: { ...snapshot.cases, [caseId]: { ...stored, engines: { chromium: older } } } }, null, 2));

    const red = run(false);
    expect(red.code, red.output).toBe(1);
    expect(red.output).toContain(`snapshot changed for "${stored.title}"`);
    expect(red.output).toContain('[chromium] verdict: blocked-at-response → allowed');
    expect(red.output).toContain('[chromium] Access-Control-Allow-Origin: * → <request origin>');
    expect(red.output).toMatch(/1 failed/);
    // Said once: the table, not followed by Playwright's toEqual diff of the same lines.
    expect(red.output.split('[chromium] verdict: blocked-at-response → allowed').length - 1, red.output).toBe(1);
    expect(red.output).not.toContain('toEqual');

    const accepted = run(false, '--update-snapshots=changed');
    expect(accepted.code, accepted.output).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(written);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});
