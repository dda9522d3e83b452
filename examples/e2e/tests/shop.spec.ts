import { test, expect } from 'cors-matrix/test';

// The red variant (CORS_E2E_RED=1) expects what the team means — saving works — and fails with the cause and the fix.
const red = !!process.env['CORS_E2E_RED'];

test('the orders page loads its orders from the API on another origin', async ({ page, cors }) => {
  await page.goto('/');
  await expect(page.locator('#orders li')).toHaveCount(2);
  await expect(cors.requests(/\/api\/orders$/)).toBeAllowed();
  await expect(cors.requests(/\/api\/orders$/)).not.toHaveSentPreflight();
  await expect(cors.requests(/\/api\/orders$/)).toHaveReadHeader('x-total');
  // The worker's requests are recorded too.
  await expect(page.locator('#health')).toHaveText('api health: ok');
  await expect(cors.requests('/api/health')).toBeAllowed();
  // An <img> without crossorigin is no CORS request.
  expect(cors.records().find((r) => r.url.endsWith('/img/teapot.svg'))?.verdict).toBe('not-cors');
  await expect(cors).toHaveNoCorsErrors();
});

test('saving an order', async ({ page, cors }) => {
  await page.goto('/');
  await page.click('#save');
  if (red) {
    await expect(cors.request('PUT', /\/api\/orders\/\d+/)).toBeAllowed();
  } else {
    // Declared: the API's preflight for /api/orders/:id lists GET and POST only (api.mjs). Known, not yet fixed.
    await expect(page.locator('#status')).toHaveText(/could not save/);
    await expect(cors.request('PUT', /\/api\/orders\/\d+/)).toBeBlockedByCors({ stage: 'preflight' });
    await expect(cors.request('PUT', /\/api\/orders\/\d+/)).toHaveSentPreflight();
    const [put] = cors.records().filter((r) => r.method === 'PUT');
    expect(put?.cause?.fix).toContain('PUT');
  }
});
