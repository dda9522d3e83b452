// The ledger records what went on the wire, in every mode: real servers on 127.0.0.1, real requests with Node's
// fetch and http (which do not enforce CORS), no browser. Each row is an app answering one way — headers handed to
// writeHead(), set with setHeader(), a streamed body, each built-in middleware behind its framework, the policy server,
// your server behind the front proxy — and the ledger must show the status and the header lines as sent.
import { test, expect } from '@playwright/test';
import { createServer, request as httpRequest, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildMiddlewareApp, type BuiltApp, type MiddlewareName, type MiddlewareOptions, type RouteHooks } from '../../lib/middleware/index.ts';
import { CASE_QUERY } from '../../lib/model/case-identity.ts';
import { Ledger, type LedgerEntry } from '../../lib/model/ledger.ts';
import { sessionCookiePath } from '../../lib/model/session-cookies.ts';
import { startFrontProxy } from '../../servers/front-proxy.ts';
import { startServers, type RunningServers } from '../../servers/start-servers.ts';

const PAGE = 'http://a.localhost:8001';

let servers: RunningServers;
test.beforeAll(async () => void (servers = await startServers()));
test.afterAll(async () => servers.close());

const apiUrl = (key: string): string => `http://127.0.0.1:${servers.ports.primary}/api/${key}`;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The header lines of an entry whose name starts with `access-control-` or is one of `also`, as `name: value`. */
function lines(entry: LedgerEntry | undefined, ...also: string[]): string[] {
  return (entry?.responseHeaders ?? [])
    .filter((h) => h.name.toLowerCase().startsWith('access-control-') || also.includes(h.name.toLowerCase()))
    .map((h) => `${h.name}: ${h.value}`);
}

const preflightFrom = (origin: string) => ({ method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'PUT' } });

interface AppRow {
  readonly title: string;
  readonly app: RequestListener;
  /** Header lines the ledger must show (CORS ones, plus the names in `also`), exactly and in order. */
  readonly expected: readonly string[];
  readonly also?: readonly string[];
  readonly status: number;
}

const appRows: readonly AppRow[] = [
  {
    title: 'headers handed to writeHead(status, object), as @hono/node-server and Fastify do',
    app: (_req, res) => void res.writeHead(200, { 'Access-Control-Allow-Origin': PAGE, 'Access-Control-Expose-Headers': 'X-Total', 'X-Total': '3' }).end('ok'),
    expected: [`Access-Control-Allow-Origin: ${PAGE}`, 'Access-Control-Expose-Headers: X-Total', 'X-Total: 3'],
    also: ['x-total'],
    status: 200,
  },
  {
    title: 'headers handed to writeHead(status, raw list), duplicates kept as separate lines',
    app: (_req, res) => void res.writeHead(201, ['Access-Control-Allow-Origin', '*', 'Vary', 'Origin', 'Vary', 'Accept']).end('ok'),
    expected: ['Access-Control-Allow-Origin: *', 'Vary: Origin', 'Vary: Accept'],
    also: ['vary'],
    status: 201,
  },
  {
    title: 'headers set with setHeader() and a status set on the response, as Express and Koa do',
    app: (_req, res) => {
      res.setHeader('Access-Control-Allow-Origin', PAGE);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.statusCode = 202;
      res.end('ok');
    },
    expected: [`Access-Control-Allow-Origin: ${PAGE}`, 'Access-Control-Allow-Credentials: true'],
    status: 202,
  },
  {
    title: 'setHeader() and writeHead() mixed: both sets of lines',
    app: (_req, res) => {
      res.setHeader('Access-Control-Allow-Origin', PAGE);
      res.writeHead(200, { 'Access-Control-Expose-Headers': 'X-Total' }).end('ok');
    },
    expected: [`Access-Control-Allow-Origin: ${PAGE}`, 'Access-Control-Expose-Headers: X-Total'],
    status: 200,
  },
];

test.describe('recorder: an app answering through Node’s own API', () => {
  for (const [i, row] of appRows.entries()) {
    test(`The ledger shows the status and header lines of ${row.title}.`, async () => {
      const key = servers.registry.register(`app-row-${i}`, { kind: 'app', listener: row.app });
      const response = await fetch(apiUrl(key), { headers: { Origin: PAGE } });
      await response.text();
      const [entry] = servers.ledger.entriesFor(key);
      expect(entry?.answered).toBe(true);
      expect(entry?.status).toBe(row.status);
      expect(lines(entry, ...(row.also ?? []))).toEqual(row.expected);
      expect(entry?.path).toBe(`/api/${key}`);
    });
  }

  test('A streamed body: the answer is in the ledger as soon as its head is written, before the body ends.', async () => {
    let finish: () => void = () => {};
    const bodyEnds = new Promise<void>((resolve) => (finish = resolve));
    const key = servers.registry.register('streaming', {
      kind: 'app',
      listener: (_req, res) => {
        res.writeHead(200, { 'Access-Control-Allow-Origin': PAGE, 'Content-Type': 'text/event-stream' });
        res.write('data: 1\n\n');
        void bodyEnds.then(() => res.end('data: 2\n\n'));
      },
    });
    const response = await fetch(apiUrl(key), { headers: { Origin: PAGE } });
    const reader = response.body?.getReader();
    await reader?.read();
    const whileStreaming = servers.ledger.entriesFor(key)[0];
    expect(whileStreaming?.answered).toBe(true);
    expect(lines(whileStreaming)).toEqual([`Access-Control-Allow-Origin: ${PAGE}`]);
    expect(whileStreaming?.responseHeaders.some((h) => h.name === 'Transfer-Encoding' && h.value === 'chunked')).toBe(true);
    finish();
    while (!(await reader?.read())?.done);
    await pause(20);
    expect(servers.ledger.entriesFor(key)[0]?.cutOff).toBeUndefined();
  });

  test('A request is in the ledger when it arrives, unanswered, before the app has answered.', async () => {
    let answer: () => void = () => {};
    const answered = new Promise<void>((resolve) => (answer = resolve));
    const key = servers.registry.register('slow', { kind: 'app', listener: (_req, res) => void answered.then(() => res.writeHead(204).end()) });
    const pending = fetch(apiUrl(key), preflightFrom(PAGE));
    await expect.poll(() => servers.ledger.entriesFor(key).length).toBe(1);
    expect(servers.ledger.entriesFor(key)[0]).toMatchObject({ kind: 'preflight', answered: false, status: 0, responseHeaders: [] });
    answer();
    await pending;
    expect(servers.ledger.entriesFor(key)[0]).toMatchObject({ kind: 'preflight', answered: true, status: 204 });
  });

  test('A connection dropped after a preflight arrived reads as "arrived, no answer", not as an answer.', async () => {
    const key = servers.registry.register('dropped', { kind: 'app', listener: (req) => void req.socket.destroy() });
    await expect(fetch(apiUrl(key), preflightFrom(PAGE))).rejects.toThrow();
    await expect.poll(() => servers.ledger.entriesFor(key)[0]?.cutOff).toBe(true);
    expect(servers.ledger.entriesFor(key)).toEqual([expect.objectContaining({ kind: 'preflight', answered: false, status: 0, responseHeaders: [], cutOff: true })]);
  });

  test('An app that throws is a fault carrying its case key, and the 500 it got is in the ledger.', async () => {
    const key = servers.registry.register('throws', {
      kind: 'app',
      listener: () => {
        throw new Error('boom');
      },
    });
    expect((await fetch(apiUrl(key))).status).toBe(500);
    expect(servers.ledger.faultsFor(key).map((f) => f.message)).toEqual([`case ${key}: the app threw: boom`]);
    expect(servers.ledger.entriesFor(key)[0]).toMatchObject({ answered: true, status: 500 });
  });
});

/** An adapter with its middleware's own options (type-checked per adapter). */
function adapter<Name extends MiddlewareName>(name: Name, options: MiddlewareOptions[Name]): (hooks: RouteHooks) => Promise<BuiltApp> {
  return (hooks) => buildMiddlewareApp(name, options, hooks);
}

const adapterRows = [
  { name: 'express-cors', build: adapter('express-cors', { origin: PAGE, methods: ['GET', 'PUT'], exposedHeaders: ['X-Total'] }) },
  { name: 'fastify-cors', build: adapter('fastify-cors', { origin: PAGE, methods: ['GET', 'PUT'], exposedHeaders: ['X-Total'] }) },
  { name: 'koa-cors', build: adapter('koa-cors', { origin: PAGE, allowMethods: ['GET', 'PUT'], exposeHeaders: ['X-Total'] }) },
  { name: 'hono-cors', build: adapter('hono-cors', { origin: PAGE, allowMethods: ['GET', 'PUT'], exposeHeaders: ['X-Total'] }) },
] as const;

test.describe('recorder: each built-in middleware behind its framework', () => {
  for (const row of adapterRows) {
    test(`${row.name}: the ledger shows the Allow-Origin its preflight and actual answers carried on the wire.`, async () => {
      const built = await row.build({ onHandler: (req) => void servers.handlerRuns.add(req), responseHeaders: { 'X-Total': '3' } });
      try {
        const key = servers.registry.register(`adapter-${row.name}`, { kind: 'app', listener: built.listener });
        await (await fetch(apiUrl(key), preflightFrom(PAGE))).text();
        const actual = await fetch(apiUrl(key), { method: 'PUT', headers: { Origin: PAGE } });
        expect(await actual.text()).toBe('ok');
        const [preflight, put] = servers.ledger.entriesFor(key);
        expect(preflight).toMatchObject({ kind: 'preflight', answered: true, handlerRan: false });
        // Fastify and hono write lower-case names on the wire; the ledger keeps them as written.
        const lower = (entry: LedgerEntry | undefined, ...also: string[]) => lines(entry, ...also).map((l) => l.replace(/^[^:]+/, (n) => n.toLowerCase()));
        expect(lower(preflight)).toContain(`access-control-allow-origin: ${PAGE}`);
        expect(put).toMatchObject({ kind: 'actual', answered: true, handlerRan: true, status: 200 });
        expect(lower(put, 'x-total')).toEqual(expect.arrayContaining([`access-control-allow-origin: ${PAGE}`, 'x-total: 3']));
        // Exactly what the client received, line for line (Node's fetch sees every line the server wrote).
        const received: string[] = [];
        actual.headers.forEach((value, name) => void (name.startsWith('access-control-') && received.push(`${name}: ${value}`)));
        expect(lower(put).sort()).toEqual(received.sort());
      } finally {
        await built.close();
      }
    });
  }
});

test.describe('recorder: the policy server', () => {
  test('A policy case is recorded from the wire: every header line sent, the handler ran for the actual request only.', async () => {
    const key = servers.registry.register('policy-wire', { allowOrigin: 'reflect', allowMethods: ['PUT'], exposeHeaders: ['X-Total'], responseHeaders: { 'X-Total': '3' } });
    await (await fetch(apiUrl(key), preflightFrom(PAGE))).text();
    await (await fetch(apiUrl(key), { method: 'PUT', headers: { Origin: PAGE, Cookie: 'cm_lax=1; cm_none=1' } })).text();
    const [preflight, put] = servers.ledger.entriesFor(key);
    expect(preflight).toMatchObject({ kind: 'preflight', answered: true, handlerRan: false, status: 204 });
    expect(lines(preflight)).toEqual([`Access-Control-Allow-Origin: ${PAGE}`, 'Access-Control-Allow-Methods: PUT']);
    expect(put).toMatchObject({ kind: 'actual', answered: true, handlerRan: true, status: 200, cookies: ['cm_lax', 'cm_none'] });
    expect(lines(put, 'x-total')).toEqual([`Access-Control-Allow-Origin: ${PAGE}`, 'Access-Control-Expose-Headers: X-Total', 'X-Total: 3']);
    expect(put?.responseHeaders.map((h) => h.name)).toEqual(expect.arrayContaining(['Content-Type', 'Content-Length', 'Date']));
  });

  test('A request naming an unknown case is a fault carrying that key.', async () => {
    expect((await fetch(apiUrl('never-registered-1'))).status).toBe(404);
    expect(servers.ledger.faultsFor('never-registered-1')).toHaveLength(1);
  });

  test('The session-cookie route sets exactly the cookies its path names, and the default session without one.', async () => {
    const custom = await fetch(`http://127.0.0.1:${servers.ports.primary}${sessionCookiePath([{ name: '__Host-sid', value: 'v1', sameSite: 'None', httpOnly: true }, { name: 'csrf', sameSite: 'Strict' }])}`);
    expect(custom.headers.getSetCookie()).toEqual(['__Host-sid=v1; Path=/; SameSite=None; Secure; HttpOnly', 'csrf=1; Path=/; SameSite=Strict']);
    const defaults = await fetch(`http://127.0.0.1:${servers.ports.primary}/__cm/set-cookies`);
    expect(defaults.headers.getSetCookie()).toEqual(['cm_lax=1; Path=/; SameSite=Lax', 'cm_none=1; Path=/; SameSite=None; Secure']);
    const broken = await fetch(`http://127.0.0.1:${servers.ports.primary}/__cm/set-cookies?c=bm90LWpzb24`);
    expect(broken.status).toBe(400);
  });
});

/** Sends one request through a plain-http forwarding proxy (an absolute URL as the request target). */
function viaProxy(proxy: string, url: string, init: { method?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; headers: IncomingMessage['headers'] }> {
  const { hostname, port } = new URL(proxy);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, method: init.method ?? 'GET', path: url, headers: { Host: new URL(url).host, ...init.headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

test.describe('recorder: your server behind the front proxy', () => {
  let target: Server;
  let ledger: Ledger;
  let proxy: Awaited<ReturnType<typeof startFrontProxy>>;
  test.beforeAll(async () => {
    target = createServer((req, res) => {
      if (req.method === 'OPTIONS') return void res.writeHead(204, { 'Access-Control-Allow-Origin': 'https://app.example.test', 'Access-Control-Allow-Methods': 'PUT' }).end();
      res.writeHead(req.url?.startsWith('/api/broken') ? 503 : 200, { 'Access-Control-Allow-Origin': 'https://app.example.test', 'Access-Control-Allow-Credentials': 'true' }).end('{}');
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    ledger = new Ledger();
    proxy = await startFrontProxy({
      pageHosts: ['app.example.test'],
      apiHost: 'api.example.test',
      target: new URL(`http://127.0.0.1:${(target.address() as AddressInfo).port}`),
      pages: servers.listener,
      ledger,
      handlerRuns: servers.handlerRuns,
    });
  });
  test.afterAll(async () => {
    await proxy.close();
    target.closeAllConnections();
    await new Promise((resolve) => target.close(resolve));
  });

  test('Preflight and actual request are recorded with path, cookies, status and the headers your server sent.', async () => {
    const url = `http://api.example.test/api/orders?${CASE_QUERY}=own-orders-1`;
    await viaProxy(proxy.url, url, preflightFrom('https://app.example.test'));
    await viaProxy(proxy.url, url, { method: 'PUT', headers: { Origin: 'https://app.example.test', Cookie: 'sid=1; csrf=2' } });
    const [preflight, put] = ledger.entriesFor('own-orders-1');
    expect(preflight).toMatchObject({ kind: 'preflight', path: `/api/orders?${CASE_QUERY}=own-orders-1`, answered: true, status: 204 });
    expect(lines(preflight)).toEqual(['Access-Control-Allow-Origin: https://app.example.test', 'Access-Control-Allow-Methods: PUT']);
    expect(put).toMatchObject({ kind: 'actual', target: 'http://api.example.test', cookies: ['sid', 'csrf'], answered: true, status: 200 });
    expect(lines(put)).toEqual(['Access-Control-Allow-Origin: https://app.example.test', 'Access-Control-Allow-Credentials: true']);
  });

  test('A target that does not answer is a fault carrying the case key, and the 502 the proxy wrote is in the ledger.', async () => {
    const down = new Ledger();
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const downProxy = await startFrontProxy({ pageHosts: [], apiHost: 'api.example.test', target: new URL(`http://127.0.0.1:${port}`), pages: servers.listener, ledger: down, handlerRuns: servers.handlerRuns });
    try {
      await viaProxy(downProxy.url, `http://api.example.test/api/orders?${CASE_QUERY}=own-down-2`);
      expect(down.faultsFor('own-down-2').map((f) => f.message)).toEqual([expect.stringContaining('did not answer GET /api/orders')]);
      expect(down.entriesFor('own-down-2')).toEqual([expect.objectContaining({ answered: true, status: 502 })]);
    } finally {
      await downProxy.close();
    }
  });

  test('The proxy plants the session on your API host itself: exactly the cookies named, never forwarded.', async () => {
    const answer = await viaProxy(proxy.url, `http://api.example.test${sessionCookiePath([{ name: 'session', sameSite: 'None' }])}`);
    expect(answer.headers['set-cookie']).toEqual(['session=1; Path=/; SameSite=None; Secure']);
    expect(ledger.entriesFor('unnamed')).toEqual([]);
  });
});
