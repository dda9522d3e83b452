// Launch switches that change CORS (a worker's setting: this file runs in a worker of its own). Chromium's
// --disable-web-security turns the check off; Firefox's content.cors.disable makes it refuse every CORS request.
import { test, expect } from 'cors-matrix/test';

test.use({
  launchOptions: [
    async ({ launchOptions, browserName }, use) => {
      if (browserName === 'chromium') await use({ ...launchOptions, args: [...(launchOptions.args ?? []), '--disable-web-security'] });
      else await use({ ...launchOptions, firefoxUserPrefs: { ...launchOptions.firefoxUserPrefs, 'content.cors.disable': true } });
    },
    { scope: 'worker' },
  ],
});

test('a switch that changes CORS warns, and the requests no longer come out as they do for users', async ({ page, cors, browserName }) => {
  await page.goto('/');
  await page.click('#save');
  expect(cors.warnings.map((w) => w.name)).toEqual(['disable-web-security']);
  if (browserName === 'chromium') {
    // The API's broken preflight is never asked: the PUT goes through.
    await expect(page.locator('#status')).toHaveText('saved');
    await expect(cors.request('PUT', /\/api\/orders\/7/)).not.toBeBlockedByCors();
  } else {
    // The list that loads for users is refused.
    await expect(page.locator('#status')).toHaveText(/could not/);
    await expect(cors.requests(/\/api\/orders$/)).toBeBlockedByCors();
  }
});
