// The request as the page made it: the todo frontend's fetch calls pass credentials: 'include', its XHR and its
// EventSource withCredentials. The fixture reads each call's credentials mode, mode, redirect mode and headers from
// the page itself (an init script that wraps the calls and changes nothing), so the verdict, the cause and the checked
// fix are those of the real request: the profile route's fix must bring Access-Control-Allow-Credentials: true.
import { test, expect } from 'cors-matrix/test';

// The red variant (CORS_E2E_RED=1) expects what the team means — the profile shows — and fails at its own UI
// assertion; the fixture then prints each blocked request's verdict, cause and checked fix (tests/failure-output.spec.ts).
const red = !!process.env['CORS_E2E_RED'];

test('the todo list: each request is judged with the credentials mode the page gave it', async ({ page, cors }) => {
  await page.goto('/todos.html?profile=1');
  await expect(page.locator('#done')).toHaveText('done');
  if (red) await expect(page.locator('#profile')).toHaveText('signed in as ada', { timeout: 2_000 });
  await expect(page.locator('#todos li')).toHaveCount(3);
  await expect(page.locator('#sync')).toHaveText('synced');

  const records = cors.records();
  const one = (method: string, path: string, initiator?: string) => {
    const found = records.filter((r) => r.method === method && new URL(r.url).pathname === path && (initiator === undefined || r.initiator === initiator));
    expect(found, `${method} ${path}`).toHaveLength(1);
    return found[0]!;
  };
  const list = one('GET', '/api/todos', 'fetch');
  expect(list.credentials).toEqual({ mode: 'include', from: "the page's fetch call" });
  expect(list.pageCall).toMatchObject({ api: 'fetch', credentials: 'include', mode: 'cors', redirect: 'follow' });
  expect(list.verdict).toBe('allowed');

  const count = one('GET', '/api/todos/count');
  expect(count.credentials).toEqual({ mode: 'include', from: "the page's XMLHttpRequest call" });
  const events = one('GET', '/api/events');
  expect(events.credentials).toEqual({ mode: 'include', from: "the page's EventSource call" });
  expect(events.verdict).toBe('allowed');

  // Three PATCHes with JSON: each preflighted, the header from the page's call.
  const patches = records.filter((r) => r.method === 'PATCH');
  expect(patches).toHaveLength(3);
  for (const patch of patches) {
    expect(patch.verdict).toBe('allowed');
    expect(patch.preflight.sent).toBe(true);
    expect(patch.pageCall?.headers).toContainEqual(['content-type', 'application/json']);
    expect(patch.credentials.mode).toBe('include');
  }
  // Three concurrent reads of different items, each paired with its own call.
  for (const id of [1, 2, 3]) expect(one('GET', `/api/todos/${id}`).credentials.mode).toBe('include');

  // The one route without Access-Control-Allow-Credentials: blocked at the response, and the checked fix adds it.
  await expect(cors.request('GET', /\/api\/profile$/)).toBeBlockedByCors({ stage: 'response' });
  const profile = one('GET', '/api/profile');
  expect(profile.credentials).toEqual({ mode: 'include', from: "the page's fetch call" });
  expect(profile.cause?.fix).toContain('Access-Control-Allow-Credentials: true');
  expect(profile.cause?.fixChecked).toBe(true);
  // "assumed" only where there is no script call.
  for (const r of records) if (r.credentials.from.includes('assumed')) expect(r.pageCall).toBeUndefined();
});

test("a popup's first calls and a cross-site iframe's calls are read from the page too", async ({ page, cors, baseURL }) => {
  await page.goto('/');
  // A popup calls the API as it loads: before the fixture has heard of the new page.
  const [popup] = await Promise.all([page.waitForEvent('popup'), page.evaluate(() => window.open('/embed.html'))]);
  await expect(popup.locator('#done')).toHaveText('done');
  // The same document from another site (localhost is not 127.0.0.1) in an iframe: Chromium runs it in a process of its own.
  const crossSite = new URL('/embed.html', baseURL);
  crossSite.hostname = 'localhost';
  await page.evaluate((src) => {
    const frame = document.createElement('iframe');
    frame.src = src;
    document.body.append(frame);
  }, crossSite.href);
  await expect(page.frameLocator('iframe').locator('#done')).toHaveText('done');
  const calls = () => cors.records().filter((r) => new URL(r.url).pathname === '/api/todos');
  await expect.poll(() => calls().map((r) => r.pageOrigin).sort()).toEqual([crossSite.origin, new URL(baseURL!).origin].sort());
  // The iframe's call reaches the fixture once the iframe's own DevTools session is attached, which may be a moment
  // after its request: until then its record says the credentials mode was assumed.
  await expect.poll(() => calls().map((r) => `${r.pageOrigin} ${r.credentials.mode} (${r.credentials.from})`).sort()).toEqual(
    [crossSite.origin, new URL(baseURL!).origin].sort().map((origin) => `${origin} include (the page's fetch call)`),
  );
});
