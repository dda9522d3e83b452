// What the fixture costs: the same user journey without cors-matrix and with the cors fixture (recording only, and
// with matchers), timed by `node bench.mjs` (CORS_E2E_BENCH=1) from Playwright's own test durations (fixture setup and
// teardown included). The variants take turns in a rotating order, so no variant always runs first or last. Skipped in
// the ordinary run.
import { test as plain, expect as plainExpect, type Page } from '@playwright/test';
import { test, expect } from 'cors-matrix/test';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { API_PORT, API_TLS_PORT } from '../ports.ts';

const bench = !!process.env['CORS_E2E_BENCH'];
const rounds = Number(process.env['CORS_E2E_BENCH_ROUNDS'] ?? 1);

/** The journey: open the shop, see the orders and the worker's health line, try to save. */
async function journey(page: Page, query = ''): Promise<void> {
  await page.goto(`/${query}`);
  await plainExpect(page.locator('#orders li')).toHaveCount(2);
  await plainExpect(page.locator('#health')).toHaveText('api health: ok');
  await page.click('#save');
  await plainExpect(page.locator('#status')).toHaveText(/could not save/);
}

/**
 * The todo journey: 12 API requests with the user's session, 6 of them preflighted (a PATCH per new URL), https API
 * origin. It ends when the page's own journey does (app/todos.js's `todosDone`), awaited, not polled: Playwright's
 * `expect` retries after 0, 20, 50, 100, 100 and then 500 ms, so a journey that ends a few ms later can be seen 100 or
 * 500 ms later, and the test's duration moves in those steps (examples/e2e's bench, 2026-12-06: the same fixture read
 * ×1.18 of plain when polled and ×1.12 when awaited in one run, evidence/bench/2026-12-06T2300Z-e2e-polled-vs-awaited.txt).
 * The UI checks after it then pass at their first look.
 */
export const TODO_REQUESTS = 12;
async function todoJourney(page: Page, api?: string): Promise<void> {
  await page.goto(`/todos.html?patches=6${api ? `&api=${encodeURIComponent(api)}` : ''}`);
  const requestsMs = await page.evaluate(() => (window as unknown as { todosDone: Promise<number> }).todosDone);
  // The page's own time for its requests (app/todos.js): bench.mjs's per-request figure, free of the test's fixed parts.
  plain.info().annotations.push({ type: 'journey requests ms', description: String(requestsMs) });
  await plainExpect(page.locator('#done')).toHaveText('done');
  await plainExpect(page.locator('#todos li')).toHaveCount(3);
  await plainExpect(page.locator('#sync')).toHaveText('synced');
}

/**
 * A proxy that only tunnels (CONNECT, no TLS of its own, nothing recorded), in the test worker as the fixture's is:
 * what sending the API's requests through any proxy of the worker costs, the floor under the fixture's hop.
 */
let bareProxy: Promise<Server> | undefined;
function bareProxyUrl(): Promise<string> {
  bareProxy ??= new Promise((resolve) => {
    const server = createServer((_req, res) => res.writeHead(502).end());
    server.on('connect', (req, socket, head) => {
      // Every tunnel goes to this machine's API (the journey names it https://localhost:PORT).
      const port = (req.url ?? '').split(/:(?=\d+$)/)[1] ?? '443';
      const upstream = connect(Number(port), '127.0.0.1', () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (head.length > 0) upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      const end = (): void => {
        upstream.destroy();
        socket.destroy();
      };
      upstream.on('error', end);
      socket.on('error', end);
    });
    server.unref();
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
  return bareProxy.then((server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
}

const variants = {
  // The todo journey's baseline: the same API over https, called directly (its self-signed certificate accepted), so
  // that plain Playwright pays for TLS as the fixture's https API origin does.
  'todos: plain playwright, https API called directly': () =>
    plain.describe(() => {
      plain.use({ ignoreHTTPSErrors: true });
      plain('todos: plain playwright, https API called directly', async ({ page }) => {
        await todoJourney(page, `https://127.0.0.1:${API_TLS_PORT}`);
      });
    }),
  // The same https API through a bare tunnelling proxy in the worker, as https://localhost:PORT (the frontend on
  // 127.0.0.1 bypasses it; Playwright sends localhost through a context's proxy in Chromium, Firefox only with
  // allow_hijacking_localhost, so there this runs direct): the floor of any proxy hop in the worker.
  'todos: plain playwright, https API through a bare proxy': () =>
    plain('todos: plain playwright, https API through a bare proxy', async ({ browser }) => {
      const context = await browser.newContext({ ignoreHTTPSErrors: true, proxy: { server: await bareProxyUrl(), bypass: '127.0.0.1' }, baseURL: plain.info().project.use.baseURL });
      try {
        await todoJourney(await context.newPage(), `https://localhost:${API_TLS_PORT}`);
      } finally {
        await context.close();
      }
    }),
  // The same over plain http: what TLS itself costs the journey.
  'todos: plain playwright, http API called directly': () =>
    plain('todos: plain playwright, http API called directly', async ({ page }) => {
      await todoJourney(page, `http://127.0.0.1:${API_PORT}`);
    }),
  'todos: cors fixture, recording only': () =>
    test('todos: cors fixture, recording only', async ({ page, cors }) => {
      await todoJourney(page);
      expect(cors.records().length).toBeGreaterThanOrEqual(TODO_REQUESTS);
    }),
  // Without cors-matrix: the page calls the API at its own loopback origin directly.
  'plain playwright, API called directly': () =>
    plain('plain playwright, API called directly', async ({ page }) => {
      await journey(page, `?api=${encodeURIComponent(`http://127.0.0.1:${API_PORT}`)}`);
    }),
  'cors fixture, recording only': () =>
    test('cors fixture, recording only', async ({ page, cors }) => {
      await journey(page);
      expect(cors.records().length).toBeGreaterThan(0);
    }),
  'cors fixture, with matchers': () =>
    test('cors fixture, with matchers', async ({ page, cors }) => {
      await journey(page);
      await expect(cors.requests(/\/api\/orders$/)).toBeAllowed();
      await expect(cors.request('PUT', /\/api\/orders\/\d+/)).toBeBlockedByCors({ stage: 'preflight' });
    }),
};

plain.describe('cost', () => {
  plain.skip(!bench, 'timed by bench.mjs only');
  const names = Object.keys(variants) as (keyof typeof variants)[];
  for (let round = 0; round < rounds; round++) {
    plain.describe(`round ${round}`, () => {
      for (let i = 0; i < names.length; i++) variants[names[(round + i) % names.length]!]();
    });
  }
});
