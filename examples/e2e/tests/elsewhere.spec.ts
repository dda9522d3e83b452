// Calls to an origin that is not in corsOptions.apiOrigins: nothing of them is on the proxy's wire, so the fixture
// knows them from the page (the call, and from Resource Timing whether it completed) and from the engine (a failure,
// its reason). Here the page calls the API at its real loopback origin instead of https://api.shop.example.
import { test, expect } from 'cors-matrix/test';
import { API_PORT } from '../ports.ts';

test('a call elsewhere is recorded from the page and the engine: one that works, one the preflight refuses', async ({ page, cors }) => {
  await page.goto('/');
  const elsewhere = `http://127.0.0.1:${API_PORT}`;
  const seen = await page.evaluate(async (base) => ({
    list: await fetch(`${base}/api/orders`).then((r) => r.status, (e: unknown) => String(e)),
    save: await fetch(`${base}/api/orders/7`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"qty":2}' }).then((r) => r.status, (e: unknown) => String(e)),
  }), elsewhere);
  expect(seen.list).toBe(200);
  expect(seen.save).toMatch(/TypeError/);
  // Matchers take in what the page completed before each look (cors.records() read now may show the GET pending).
  await expect(cors.request('GET', `${elsewhere}/api/orders`)).toBeAllowed();
  await expect(cors.request('PUT', `${elsewhere}/api/orders/7`)).toBeBlockedByCors();
  const [save] = cors.request('PUT', `${elsewhere}/api/orders/7`).records();
  expect(save!.routed).toBe(false);
  expect(save!.credentials.from).toBe("the page's fetch call");
  // The script's body, from its call (Firefox gives Playwright no request bodies; a refused preflight sends none).
  expect(save!.request.body).toEqual({ kind: 'text', text: '{"qty":2}' });
  expect(save!.engineReason).toBeTruthy();
});
