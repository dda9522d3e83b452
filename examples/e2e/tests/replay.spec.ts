// The shop's own traffic, recorded in this engine (Chromium, Firefox), sent again in WebKit — WebKitGTK's MiniBrowser
// here, launched by cors-matrix's engine layer — from the same page origin to the same API through the same proxy, and
// judged as the matrix judges: the same verdicts, the declared broken PUT blocked at its preflight. Where WebKit
// cannot be launched, cors.replayIn throws and the test fails: it never skips.
import { test, expect } from 'cors-matrix/test';

// The red variant (CORS_E2E_RED=1) expects saving to work in WebKit too, and fails with the cause and the fix.
const red = !!process.env['CORS_E2E_RED'];

test('the shop traffic replayed in WebKit gets the same verdicts', async ({ page, cors, browserName }) => {
  await page.goto('/');
  await expect(page.locator('#orders li')).toHaveCount(2);
  await expect(page.locator('#health')).toHaveText('api health: ok');
  await page.click('#save');
  await expect(page.locator('#status')).toHaveText(/could not save/);

  const webkit = await cors.replayIn('webkit');
  expect(webkit.engine.name).toBe('webkit');
  await expect(webkit.requests(/\/api\/orders$/)).toBeAllowed();
  await expect(webkit.requests(/\/api\/orders$/)).not.toHaveSentPreflight();
  await expect(webkit.requests(/\/api\/orders$/)).toHaveReadHeader('x-total');
  // The worker's request, replayed from the page (its origin is the page's).
  await expect(webkit.requests('/api/health')).toBeAllowed();
  if (red) {
    await expect(webkit.request('PUT', /\/api\/orders\/\d+/)).toBeAllowed();
  } else {
    // Declared: the API's preflight for /api/orders/:id lists GET and POST only (api.mjs). Known, not yet fixed.
    await expect(webkit.request('PUT', /\/api\/orders\/\d+/)).toBeBlockedByCors({ stage: 'preflight' });
    await expect(webkit.request('PUT', /\/api\/orders\/\d+/)).toHaveSentPreflight();
    await expect(webkit).not.toHaveNoCorsErrors();
  }
  // Every replayed request comes to what it came to in this engine; the <img> without crossorigin is not replayed.
  for (const replayed of webkit.records()) {
    const own = cors.records().find((r) => r.method === replayed.method && r.url === replayed.url);
    expect(replayed.verdict, `${replayed.method} ${replayed.url}`).toBe(own?.verdict);
    expect(replayed.replayed?.from).toBe(browserName);
  }
  expect(webkit.skipped.map((s) => s.record.initiator)).toEqual(['image']);
  // The PUT's text body comes from the page's call (Firefox gives Playwright no request bodies), so it is replayed as
  // the page sent it, with no stand-in, from either engine.
  const [put] = webkit.records().filter((r) => r.method === 'PUT');
  expect(put?.replayed).toBeDefined();
  expect(put?.replayed?.bodyStandIn).toBeUndefined();
});
