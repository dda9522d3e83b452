// The fixture does not wait for its own setup (the init script, and Chromium's DevTools session, are set up while the
// test's first steps run): the calls the first document makes as it loads must still be known from the page, in every
// engine, however early the test navigates. Several times over, as an ordering bug would show only sometimes.
import { test, expect } from 'cors-matrix/test';

for (let run = 1; run <= 5; run++) {
  test(`the first document's calls are known from the page, right after the fixture's setup (${run})`, async ({ page, cors }) => {
    await page.goto('/todos.html?patches=1');
    await expect(page.locator('#done')).toHaveText('done');
    await expect(cors.request('GET', /\/api\/todos$/)).toBeAllowed();
    const first = cors.records().filter((r) => r.method === 'GET' && new URL(r.url).pathname === '/api/todos');
    expect(first).toHaveLength(1);
    expect(first[0]!.credentials).toEqual({ mode: 'include', from: "the page's fetch call" });
  });
}
