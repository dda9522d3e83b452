// Bad input to the matchers is an error naming the argument and the rule, under .not as well: never a pass or a fail.
import { test, expect } from 'cors-matrix/test';

const quick = expect.configure({ timeout: 300 });

test('a matcher given something that is not what it reads names the argument and the rule', async ({ page, cors }) => {
  await page.goto('/');
  await expect(page.locator('#orders li')).toHaveCount(2);
  await expect(quick(cors).toBeAllowed()).rejects.toThrow('toBeAllowed: expect(received) must be a request set from cors.requests(pattern) or cors.request(method, pattern); got the cors fixture itself');
  await expect(quick([]).not.toHaveSentPreflight()).rejects.toThrow('toHaveSentPreflight: expect(received) must be a request set from cors.requests(pattern) or cors.request(method, pattern); got an array');
  await expect(quick(cors.requests()).toHaveNoCorsErrors()).rejects.toThrow('toHaveNoCorsErrors: expect(received) must be the cors fixture');
  await expect(quick(cors.requests(/orders/)).toBeBlockedByCors({ stage: 'server' as 'preflight' })).rejects.toThrow("toBeBlockedByCors: options.stage must be 'preflight' or 'response'");
  await expect(quick(cors.requests(/orders/)).toHaveReadHeader('x total')).rejects.toThrow("toHaveReadHeader: the header must be a header name such as 'x-total'");
  expect(() => cors.requests(42 as unknown as string)).toThrow('cors.requests(42): the URL pattern must be a RegExp, a string (part of the URL) or a function (url) => boolean; got number');
  expect(() => cors.request('PUT x', /orders/)).toThrow(`cors.request("PUT x", /orders/): the method must be an HTTP method such as 'PUT'`);
});

test('a pattern that matches no recorded request is an error that lists what was recorded, under .not too', async ({ page, cors }) => {
  await page.goto('/');
  await expect(page.locator('#orders li')).toHaveCount(2);
  await expect(quick(cors.requests(/\/api\/invoices/)).toBeAllowed()).rejects.toThrow(/toBeAllowed: cors\.requests\(\/\\\/api\\\/invoices\/\) matched none of the \d+ cross-origin requests recorded/);
  await expect(quick(cors.request('DELETE', /\/api\/orders/)).not.toBeBlockedByCors()).rejects.toThrow(/matched none of the \d+ cross-origin requests recorded; a pattern must name at least one request the page made:\n[\s\S]*GET https:\/\/api\.shop\.example\/api\/orders/);
});

test('a replay in an engine the matrix does not have names the argument and the rule', async ({ page, cors }) => {
  await page.goto('/');
  await expect(page.locator('#orders li')).toHaveCount(2);
  await expect(cors.replayIn('safari' as 'webkit')).rejects.toThrow(`cors.replayIn("safari"): the engine must be one of 'chromium', 'firefox', 'webkit'; Safari's engine is 'webkit' (here WebKitGTK's MiniBrowser)`);
});

test('a replay before the page made any request it can replay says so, and launches nothing', async ({ cors }) => {
  await expect(cors.replayIn('webkit')).rejects.toThrow("cors.replayIn('webkit'): none of the 0 cross-origin requests recorded so far can be replayed");
});
