// Each setting of a test that changes what the browser does about CORS gives one warning, named; a test can turn a
// warning off by name. Where the setting hides the example's real bug (the PUT preflight), the test shows that too.
import { test, expect } from 'cors-matrix/test';

const names = (cors: { readonly warnings: readonly { readonly name: string }[] }) => cors.warnings.map((w) => w.name);

test.describe('extraHTTPHeaders', () => {
  test.use({ extraHTTPHeaders: { 'X-Test-Run': 'e2e' } });
  test('a header that is not CORS-safelisted warns; in Chromium the simple GET now needs a preflight', async ({ page, cors, browserName }) => {
    await page.goto('/');
    await expect(page.locator('#orders li')).toHaveCount(2);
    expect(names(cors)).toEqual(['extra-http-headers']);
    expect(cors.warnings[0]?.setting).toContain('X-Test-Run');
    // Measured: Chromium preflights for the added header; Firefox adds it after its CORS check.
    if (browserName === 'chromium') await expect(cors.requests(/\/api\/orders$/)).toHaveSentPreflight();
    else await expect(cors.requests(/\/api\/orders$/)).not.toHaveSentPreflight();
  });
});

test.describe('safelisted extraHTTPHeaders', () => {
  test.use({ extraHTTPHeaders: { 'Accept-Language': 'fr' } });
  test('a CORS-safelisted header gives no warning', async ({ page, cors }) => {
    await page.goto('/');
    await expect(page.locator('#orders li')).toHaveCount(2);
    expect(names(cors)).toEqual([]);
  });
});

test.describe('bypassCSP', () => {
  test.use({ bypassCSP: true });
  test('bypassCSP warns', async ({ page, cors }) => {
    await page.goto('/');
    expect(names(cors)).toEqual(['bypass-csp']);
  });
});

test.describe('ignoreHTTPSErrors', () => {
  test.use({ ignoreHTTPSErrors: true });
  test('ignoreHTTPSErrors toward an https API origin warns', async ({ page, cors }) => {
    await page.goto('/');
    expect(names(cors)).toEqual(['ignore-https-errors']);
    expect(cors.warnings[0]?.change).toContain('https://api.shop.example');
  });
});

test('page.route anywhere warns, and hides the broken preflight: Playwright answers it', async ({ page, cors }) => {
  await page.route('**/nothing-here', (route) => route.continue());
  await page.goto('/');
  await page.click('#save');
  await expect(page.locator('#status')).toHaveText('saved');
  expect(names(cors)).toEqual(['route']);
  // The API refuses PUT in its preflight; under a route the preflight never reached it and the PUT went through.
  await expect(cors.request('PUT', /\/api\/orders\/7/)).toBeAllowed();
  await expect(cors.request('PUT', /\/api\/orders\/7/)).not.toHaveSentPreflight();
});

test('route.fulfill on a cross-origin request warns', async ({ page, cors }) => {
  await page.route('https://api.shop.example/api/orders', (route) => route.fulfill({ json: [{ id: 1, item: 'mock', qty: 1 }, { id: 2, item: 'mock', qty: 2 }] }));
  await page.goto('/');
  await expect(page.locator('#orders li')).toHaveCount(2);
  expect(names(cors)).toEqual(['route', 'route-fulfill']);
});

test('route.continue on a cross-origin request warns', async ({ page, cors }) => {
  await page.route('https://api.shop.example/api/orders', (route) => route.continue());
  await page.goto('/');
  await expect(page.locator('#orders li')).toHaveCount(2);
  expect(names(cors)).toEqual(['route', 'route-continue']);
});

test('route.continue on a same-origin request gives only the route warning', async ({ page, cors }) => {
  await page.route('**/app.js', (route) => route.continue());
  await page.goto('/');
  await expect(page.locator('#orders li')).toHaveCount(2);
  expect(names(cors)).toEqual(['route']);
});

test.describe('turned off by name', () => {
  test.use({ corsQuiet: ['route', 'route-continue'], bypassCSP: true });
  test('corsQuiet and cors.quiet() silence the warnings they name, and no other', async ({ page, cors }) => {
    await page.route('https://api.shop.example/api/orders', (route) => route.continue());
    await page.goto('/');
    await expect(page.locator('#orders li')).toHaveCount(2);
    expect(names(cors)).toEqual(['bypass-csp']);
    cors.quiet('bypass-csp');
    expect(names(cors)).toEqual([]);
  });
});
