// A redirect on the wire: the page's one fetch call reaches the API twice (the moved route, then the list it is sent
// on to). Both hops are recorded from the proxy's ledger, and the second belongs to the call the chain began with:
// its credentials mode is the call's, not assumed.
import { test, expect } from 'cors-matrix/test';

test("a redirect's later hop is judged with the page's call that began the chain", async ({ page, cors }) => {
  await page.goto('/');
  const status = await page.evaluate(async () => (await fetch('https://api.shop.example/api/moved', { credentials: 'omit' })).status);
  expect(status).toBe(200);
  await expect(cors.request('GET', /\/api\/moved$/)).toBeAllowed();
  await expect(cors.request('GET', /\/api\/orders$/)).toBeAllowed();
  const hop = cors.records().filter((r) => new URL(r.url).pathname === '/api/orders' && r.credentials.mode === 'omit');
  expect(hop).toHaveLength(1);
  expect(hop[0]!.credentials).toEqual({ mode: 'omit', from: "the page's fetch call" });
  expect(hop[0]!.routed).toBe(true);
});
