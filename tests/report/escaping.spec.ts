import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test, expect } from '@playwright/test';
import { chromium } from 'playwright';
import { findBuild } from '../../lib/measure/engines/find-builds.ts';
import { launchOptions } from '../../lib/measure/engines/playwright-engine.ts';
import { renderReport } from '../../lib/report/render-html.ts';
import { buildResults, type ResultRecord } from '../../lib/report/results.ts';

// The report shows text that came from servers (header values), configs and scenarios (titles, options, findings)
// and engines (error text, console reasons, versions). Each of those strings here carries markup that would run
// script if it were ever parsed as HTML: an event handler, a script element, and a way out of the embedded JSON.
// Each payload names the field it sits in, so a breach says which field was not escaped.

const payload = (field: string): string =>
  `<img src=x onerror="window.__ran.push('${field}')"><svg onload="window.__ran.push('${field}')"></svg></script><script>window.__ran.push('${field}')</script>`;

/** Every free-text string of a value, replaced by a payload naming its path; structural values (verdicts, kinds, enums) kept. */
const STRUCTURAL = new Set(['verdict', 'status', 'kind', 'credentials', 'mode', 'redirect', 'verdictFrom', 'protocol', 'build', 'name', 'from', 'to', 'project', 'caseId', 'family', 'harnessCode']);
function poison<T>(value: T, path: string): T {
  if (typeof value === 'string') return (value.includes('__ran') ? value : payload(path)) as T;
  if (Array.isArray(value)) return value.map((v, i) => poison(v, `${path}[${i}]`)) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, STRUCTURAL.has(k) && typeof v === 'string' ? v : poison(v, `${path}.${k}`)]),
    ) as T;
  }
  return value;
}

function record(project: 'chromium' | 'firefox'): ResultRecord {
  const headerLine = { name: 'X-Evil', value: payload(`${project}: response header value`) };
  const caseRecord = {
    caseId: 'escaping-001',
    family: 'escaping',
    proves: payload('family proves'),
    title: payload('case title'),
    engine: { name: project, version: payload(`${project}: engine version`), build: 'system', executable: payload(`${project}: engine executable`), protocol: 'playwright' },
    from: 'page',
    to: 'cross-site',
    server: payload('server description'),
    request: { method: 'GET', headers: { 'X-Custom': payload('request header value') }, body: null, credentials: 'include', mode: 'cors', redirect: 'follow' },
    policy: { allowOrigin: { raw: [payload('policy raw line')] } },
    app: { suite: payload('app suite'), middleware: payload('app middleware'), options: payload('app options') },
    finding: payload('finding'),
    requestOrigin: payload('request origin'),
    url: `http://b.localhost:1/api/escaping-001?q=${payload('url')}`,
    why: payload('why'),
    expected: { verdict: 'allowed', preflight: false, readable: [payload('expected readable')], because: payload('deviation because') },
    outcome: {
      verdict: 'blocked-at-response',
      preflight: { sent: false },
      reachedServer: true,
      handlerRan: true,
      readable: false,
      readableHeaders: { 'x-evil': payload(`${project}: readable header value`) },
      cookiesReceived: [payload('cookie name')],
      engineError: payload(`${project}: engine error message`),
      harnessProblem: payload('harness problem'),
    },
    ledger: [
      {
        at: 0,
        kind: 'actual',
        method: 'GET',
        target: payload('ledger target'),
        path: payload('ledger path'),
        origin: payload('ledger origin'),
        accessControlRequestMethod: payload('ledger ACRM'),
        accessControlRequestHeaders: payload('ledger ACRH'),
        cookies: [payload('ledger cookie')],
        handlerRan: true,
        answered: true,
        status: 200,
        responseHeaders: [headerLine],
      },
    ],
    mismatches: [payload('mismatch')],
    engineReasons: [payload(`${project}: engine console reason`)],
    verdictFrom: 'scenario',
    oracle: { verdict: 'allowed', preflightSent: false, readableHeaders: [payload('oracle readable')], reasons: [payload('oracle reason')] },
    oracleNote: payload('oracle note'),
    durationMs: 1,
  };
  return { project, title: payload('test title'), family: 'escaping', status: 'failed', durationMs: 1, error: payload('test error'), case: caseRecord } as unknown as ResultRecord;
}

let dir = '';
test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cors-matrix-escaping-'));
});
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('the report escapes markup from servers, configs and engines: nothing in it runs', async ({}, testInfo) => {
  const measured = [record('chromium'), record('firefox')];
  // A test that failed before measuring shows its error text alone.
  const unmeasured = { project: 'chromium', title: payload('unmeasured test title'), family: 'escaping', status: 'failed', durationMs: 1, error: payload('unmeasured error') } as ResultRecord;
  const results = poison(buildResults([...measured, unmeasured], { durationMs: 1, status: 'failed', generatedAt: new Date(0) }), 'results');
  const file = join(dir, 'index.html');
  writeFileSync(file, renderReport(results));

  const browser = await chromium.launch(launchOptions(findBuild('chromium')));
  try {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    const dialogs: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.addInitScript(() => Object.assign(window, { __ran: [] as string[] }));
    await page.goto(pathToFileURL(file).href);
    await expect(page.locator('td.cell')).toHaveCount(4);

    // Open every cell's details and the findings, so every field is put on the page.
    for (const cell of await page.locator('td.cell').all()) {
      await cell.click();
      await expect(page.locator('#details h2')).toBeVisible();
      await page.waitForTimeout(50);
      expect(await page.evaluate(() => (window as unknown as { __ran: string[] }).__ran), 'script from a field ran').toEqual([]);
    }
    await page.locator('#findings summary').click();
    await page.fill('#search', '<img');
    await page.fill('#search', '');
    await page.waitForTimeout(200);

    expect(await page.evaluate(() => (window as unknown as { __ran: string[] }).__ran), 'script from a field ran').toEqual([]);
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
    // The markup was there, shown as text: no element came out of it.
    expect(await page.locator('body img, body svg, body script:not(#results-data)').count()).toBe(1); // the report's own script
    await page.locator('td.cell[data-engine="chromium"]').first().click();
    await expect(page.locator('#details')).toContainText(`X-Evil: ${payload('chromium: response header value')}`);
    await expect(page.locator('#details')).toContainText(payload('chromium: engine error message'));
    await expect(page.locator('#details')).toContainText(payload('chromium: engine console reason'));
    await expect(page.locator('#details h2')).toContainText(payload('test title'));
    const screenshot = testInfo.outputPath('escaping.png');
    await page.screenshot({ path: screenshot });
    await testInfo.attach('escaping.png', { path: screenshot, contentType: 'image/png' });
  } finally {
    await browser.close();
  }
});
