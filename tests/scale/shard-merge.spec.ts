import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { comparable, readResults, run, scratch } from './child-run.ts';

// Sharding runs on Playwright's own machinery: two shards written as blob reports and merged must give the same
// cors-matrix report (records, verdicts, findings, engine info) as one unsharded run of the same selection.
test('two shards merged write the same cors-matrix report as one unsharded run', async () => {
  const family = ['-g', 'origin-allow-list', 'tests/matrix/matrix.spec.ts', '--project=chromium', '--project=firefox'];
  const whole = scratch('whole');
  const unsharded = await run('npx', ['playwright', 'test', ...family], { CORS_MATRIX_REPORT_DIR: whole });
  expect(unsharded.code, unsharded.output).toBe(0);

  const blobs = scratch('blobs');
  for (const shard of ['1/2', '2/2']) {
    const part = await run('npx', ['playwright', 'test', ...family, `--shard=${shard}`, '--reporter=blob,./lib/playwright/selection-reporter.ts'], { PLAYWRIGHT_BLOB_OUTPUT_FILE: join(blobs, `shard-${shard.replace('/', '-of-')}.zip`) });
    expect(part.code, part.output).toBe(0);
  }
  expect(readdirSync(blobs)).toHaveLength(2);
  const merged = scratch('merged');
  const merge = await run('npx', ['playwright', 'merge-reports', '--config', 'playwright.config.ts', blobs], { CORS_MATRIX_REPORT_DIR: merged });
  expect(merge.code, merge.output).toBe(0);

  const one = readResults(whole);
  const two = readResults(merged);
  expect(one.records.length).toBeGreaterThan(20);
  expect(comparable(two)).toEqual(comparable(one));
  expect(two.engines.map((e) => e.engine?.version).sort()).toEqual(one.engines.map((e) => e.engine?.version).sort());
  expect(two.findings).toEqual(one.findings);
});
