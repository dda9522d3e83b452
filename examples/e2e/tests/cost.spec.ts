// What the fixture costs: the same user journey three ways, timed by `node bench.mjs` (CORS_E2E_BENCH=1) from
// Playwright's own test durations (fixtures included). Skipped in the ordinary run.
import { test as plain, expect as plainExpect } from '@playwright/test';
import { test, expect } from 'cors-matrix/test';
import { API_PORT } from '../ports.ts';

const bench = !!process.env['CORS_E2E_BENCH'];

/** The journey: open the shop, see the orders and the worker's health line, try to save. */
async function journey(page: import('@playwright/test').Page, query = ''): Promise<void> {
  await page.goto(`/${query}`);
  await plainExpect(page.locator('#orders li')).toHaveCount(2);
  await plainExpect(page.locator('#health')).toHaveText('api health: ok');
  await page.click('#save');
  await plainExpect(page.locator('#status')).toHaveText(/could not save/);
}

plain.describe('cost', () => {
  plain.skip(!bench, 'timed by bench.mjs only');
  // Without cors-matrix: the page calls the API at its own loopback origin directly.
  plain('plain playwright, API called directly', async ({ page }) => {
    await journey(page, `?api=${encodeURIComponent(`http://127.0.0.1:${API_PORT}`)}`);
  });
  test('cors fixture, recording only', async ({ page, cors }) => {
    await journey(page);
    expect(cors.records().length).toBeGreaterThan(0);
  });
  test('cors fixture, with matchers', async ({ page, cors }) => {
    await journey(page);
    await expect(cors.requests(/\/api\/orders$/)).toBeAllowed();
    await expect(cors.request('PUT', /\/api\/orders\/\d+/)).toBeBlockedByCors({ stage: 'preflight' });
  });
});
