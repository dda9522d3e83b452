import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { test as base, expect, type Page } from '@playwright/test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { chromium } from 'playwright';
import { findBuild } from '../../lib/measure/engines/find-builds.ts';
import { launchOptions } from '../../lib/measure/engines/playwright-engine.ts';
import type { MatrixResults, ResultRecord } from '../../lib/report/results.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const reportUrl = pathToFileURL(`${root}cors-matrix-report/index.html`).href;
const resultsPath = `${root}cors-matrix-report/results.json`;
const schemaPath = `${root}schemas/results.v1.schema.json`;

const test = base.extend<{ report: Page; results: MatrixResults }>({
  results: async ({}, use) => use(JSON.parse(readFileSync(resultsPath, 'utf8')) as MatrixResults),
  report: async ({}, use) => {
    const browser = await chromium.launch(launchOptions(findBuild('chromium')));
    const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
    await page.goto(reportUrl);
    await use(page);
    await browser.close();
  },
});

const measured = (results: MatrixResults): (ResultRecord & { case: NonNullable<ResultRecord['case']> })[] =>
  results.records.filter((r): r is ResultRecord & { case: NonNullable<ResultRecord['case']> } => r.case !== undefined);

test('results.json validates against its versioned schema', ({ results }) => {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);
  const valid = validate(results);
  expect(validate.errors ?? [], 'schema errors').toEqual([]);
  expect(valid).toBe(true);
  expect(results.records.length).toBeGreaterThan(0);
});

test('the grid shows every case in every engine with the verdict results.json holds', async ({ report, results }) => {
  const records = measured(results);
  await expect(report.locator('td.cell')).toHaveCount(new Set(records.map((r) => r.case.caseId)).size * results.engines.length);
  const cells = await report.locator('td.cell').evaluateAll((nodes) =>
    nodes.map((n) => {
      const d = (n as HTMLElement).dataset;
      return `${d['caseId']}|${d['engine']}|${d['verdict']}|${d['unexpected']}`;
    }),
  );
  const expected = records.map((r) => `${r.case.caseId}|${r.project}|${r.case.outcome.verdict}|${r.status !== 'passed' && r.status !== 'skipped'}`);
  // A column that did not run a case (the strict profile runs only the cookie families) shows it as missing, and
  // only those: no measured record may be shown as missing.
  const measuredKeys = new Set(records.map((r) => `${r.case.caseId}|${r.project}`));
  const missing = cells.filter((c) => c.split('|')[2] === 'missing');
  expect(missing.filter((c) => measuredKeys.has(c.split('|').slice(0, 2).join('|')))).toEqual([]);
  expect(cells.filter((c) => c.split('|')[2] !== 'missing').sort()).toEqual(expected.sort());
  for (const engine of results.engines) {
    // By its exact project name: `chromium` must not also match the `chromium-strict` card.
    const card = report.locator('.engine-card').filter({ has: report.locator('b').getByText(engine.project, { exact: true }) });
    await expect(card).toContainText(`${engine.passed} passed, ${engine.failed} failed`);
    if (engine.engine) await expect(card).toContainText(`${engine.engine.version} · ${engine.engine.build} build`);
  }
  await expect(report.locator('#run')).toContainText(`in ${(results.durationMs / 1000).toFixed(1)} s`);
});

test('clicking a blocked cell shows the request, the ledger, the engine error and reason, and the expectation', async ({ report, results }, testInfo) => {
  const record = measured(results).find((r) => r.case.outcome.verdict === 'blocked-at-preflight');
  expect(record, 'a run of the matrix has blocked-at-preflight cases').toBeDefined();
  if (!record) return;
  await report.locator(`td.cell[data-case-id="${record.case.caseId}"][data-engine="${record.project}"]`).click();
  const details = report.locator('#details');
  await expect(details).toHaveAttribute('data-case-id', record.case.caseId);
  await expect(details).toContainText(record.title);
  await expect(details).toContainText(`${record.case.request.method} ${record.case.url}`);
  await expect(details).toContainText('preflight OPTIONS');
  await expect(details).toContainText(`ACRM: ${record.case.outcome.preflight.accessControlRequestMethod ?? ''}`);
  await expect(details).toContainText(record.case.outcome.engineError ?? 'no engine error recorded');
  const reason = record.case.engineReasons[0] ?? `none given: ${record.case.engineReasonsUnavailable ?? ''}`;
  await expect(details).toContainText(reason);
  await expect(details).toContainText('blocked at preflight');
  const screenshot = testInfo.outputPath('report-details.png');
  await report.screenshot({ path: screenshot });
  await testInfo.attach('report-details.png', { path: screenshot, contentType: 'image/png' });
});

test('the filters narrow the grid: text search, engine disagreements, failures', async ({ report, results }, testInfo) => {
  const records = measured(results);
  const distinct = (predicate: (r: (typeof records)[number]) => boolean): number => new Set(records.filter(predicate).map((r) => r.case.caseId)).size;

  await report.fill('#search', 'authorization');
  const authorization = distinct((r) => r.title.toLowerCase().includes('authorization'));
  expect(authorization).toBeGreaterThan(0);
  await expect(report.locator('tr.case:not(.hidden)')).toHaveCount(authorization);
  for (const title of await report.locator('tr.case:not(.hidden) td.title').allTextContents()) expect(title.toLowerCase()).toContain('authorization');
  await report.fill('#search', '');

  await report.check('#disagreements-only');
  const disagreements = distinct((r) => r.disagreement === true);
  await expect(report.locator('tr.case:not(.hidden)')).toHaveCount(disagreements);
  await expect(report.locator('#shown')).toHaveText(`${disagreements} of ${distinct(() => true)} cases shown`);
  const screenshot = testInfo.outputPath('report-disagreements.png');
  await report.screenshot({ path: screenshot, fullPage: true });
  await testInfo.attach('report-disagreements.png', { path: screenshot, contentType: 'image/png' });
  await report.uncheck('#disagreements-only');

  await report.check('#failures-only');
  await expect(report.locator('tr.case:not(.hidden)')).toHaveCount(distinct((r) => r.status !== 'passed' && r.status !== 'skipped'));
});

test('the diagnosis at the top lists each root cause of results.json once, with its fix and the check', async ({ report, results }) => {
  const causes = results.diagnosis ?? [];
  await expect(report.locator('#diagnosis li.cause')).toHaveCount(causes.length);
  if (causes.length === 0) {
    await expect(report.locator('#diagnosis')).toBeHidden();
    return;
  }
  const box = await report.locator('#diagnosis').boundingBox();
  const grid = await report.locator('#grid').boundingBox();
  expect(box && grid && box.y < grid.y, 'the diagnosis comes before the grid').toBe(true);
  for (const [i, cause] of causes.entries()) {
    const item = report.locator('#diagnosis li.cause').nth(i);
    await expect(item).toContainText(cause.summary);
    if (cause.fix) await expect(item.locator('.fix')).toContainText(cause.fix);
    if (cause.check) await expect(item.locator('.check')).toContainText(cause.check.detail);
  }
});
