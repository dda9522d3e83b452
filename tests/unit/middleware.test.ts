// The middleware adapters against real sockets, no browser: each row starts the adapter's app on 127.0.0.1, sends one
// raw request with Node's fetch (which does not enforce CORS, so what comes back is exactly what the server said), and
// checks the status, the CORS headers and whether the route's own handler ran. Expectations follow each middleware's
// documentation; where the documentation is silent the row says "observed".
import { test, expect } from '@playwright/test';
import { IncomingMessage, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  MIDDLEWARE_ADAPTERS,
  MIDDLEWARE_NAMES,
  ROUTE_METHODS,
  buildMiddlewareApp,
  type BuiltApp,
  type MiddlewareName,
  type MiddlewareOptions,
  type RouteHooks,
} from '../../lib/middleware/index.ts';

const PAGE = 'http://a.localhost:8001';
const SAME_SITE = 'http://api.a.localhost:8001';
const CROSS_SITE = 'http://b.localhost:8001';
/** Starts with the page's host: what an unanchored pattern for `a.localhost` lets in. */
const LOOKALIKE = 'http://a.localhost.evil.test:8001';

/** The handler's own extra header in every row, so exposed-header rows can see it arrive. */
const HANDLER_HEADERS = { 'X-Custom': 'yes' } as const;

interface Server {
  readonly adapter: MiddlewareName;
  readonly build: (hooks: RouteHooks) => Promise<BuiltApp>;
}

/** An adapter with its middleware's own options (type-checked per adapter). */
function on<Name extends MiddlewareName>(adapter: Name, options: MiddlewareOptions[Name]): Server {
  return { adapter, build: (hooks) => buildMiddlewareApp(adapter, options, hooks) };
}

interface Sent {
  readonly method: string;
  readonly path?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

interface Answer {
  readonly status: number;
  /** Header name → exact value, or null where the header must be absent. */
  readonly headers: Readonly<Record<string, string | null>>;
  /** How many times the route's own handler ran (0: the middleware answered, or refused). */
  readonly handlerRuns: number;
  readonly body?: string;
}

interface Row {
  readonly title: string;
  readonly server: Server;
  readonly send: Sent;
  readonly expect: Answer;
}

interface Started {
  readonly url: string;
  readonly handled: readonly IncomingMessage[];
  close(): Promise<void>;
}

async function start(server: Server): Promise<Started> {
  const handled: IncomingMessage[] = [];
  const built = await server.build({ onHandler: (req) => void handled.push(req), responseHeaders: HANDLER_HEADERS });
  const http = createServer(built.listener);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    handled,
    close: async () => {
      http.closeAllConnections();
      await new Promise<void>((resolve, reject) => http.close((error) => (error ? reject(error) : resolve())));
      await built.close();
    },
  };
}

async function exchange(server: Server, sent: Sent): Promise<{ response: Response; body: string; handled: readonly IncomingMessage[] }> {
  const started = await start(server);
  try {
    const response = await fetch(`${started.url}${sent.path ?? '/api/case-1'}`, {
      method: sent.method,
      headers: { ...sent.headers },
      ...(sent.body === undefined ? {} : { body: sent.body }),
    });
    const body = await response.text();
    return { response, body, handled: [...started.handled] };
  } finally {
    await started.close();
  }
}

/** A CORS preflight as a browser sends it. */
function preflight(origin: string, method = 'PUT', requestHeaders?: string): Sent {
  return {
    method: 'OPTIONS',
    headers: {
      Origin: origin,
      'Access-Control-Request-Method': method,
      ...(requestHeaders === undefined ? {} : { 'Access-Control-Request-Headers': requestHeaders }),
    },
  };
}

function get(origin: string): Sent {
  return { method: 'GET', headers: { Origin: origin } };
}

const ACAO = 'access-control-allow-origin';
const ACAC = 'access-control-allow-credentials';
const ACAM = 'access-control-allow-methods';
const ACAH = 'access-control-allow-headers';
const ACEH = 'access-control-expose-headers';
const ACMA = 'access-control-max-age';
const VARY = 'vary';

// ---------------------------------------------------------------------------------------------------------------------
// cors + Express 5
// ---------------------------------------------------------------------------------------------------------------------

const CORS_DEFAULT_METHODS = 'GET,HEAD,PUT,PATCH,POST,DELETE';
const allowPageOnly = (origin: string | undefined, callback: (error: Error | null, allow?: boolean) => void): void =>
  callback(null, origin === PAGE);

const expressRows: readonly Row[] = [
  {
    title: 'defaults: a preflight gets *, the default methods, and the requested headers reflected (allowedHeaders unset)',
    server: on('express-cors', {}),
    send: preflight(PAGE, 'PUT', 'x-custom,authorization'),
    expect: {
      status: 204,
      headers: { [ACAO]: '*', [ACAM]: CORS_DEFAULT_METHODS, [ACAH]: 'x-custom,authorization', [ACAC]: null, [VARY]: 'Access-Control-Request-Headers' },
      handlerRuns: 0,
      body: '',
    },
  },
  {
    title: 'defaults: a GET from any origin gets * and runs the handler',
    server: on('express-cors', {}),
    send: get(CROSS_SITE),
    expect: { status: 200, headers: { [ACAO]: '*', [ACAC]: null, 'x-custom': 'yes' }, handlerRuns: 1, body: 'ok' },
  },
  {
    title: 'origin string: sent as it is to every requester, which the browser then compares',
    server: on('express-cors', { origin: PAGE }),
    send: get(CROSS_SITE),
    expect: { status: 200, headers: { [ACAO]: PAGE, [VARY]: 'Origin' }, handlerRuns: 1 },
  },
  {
    title: 'origin list: a listed origin is reflected',
    server: on('express-cors', { origin: [PAGE, /^http:\/\/api\.a\.localhost:\d+$/] }),
    send: get(SAME_SITE),
    expect: { status: 200, headers: { [ACAO]: SAME_SITE, [VARY]: 'Origin' }, handlerRuns: 1 },
  },
  {
    title: 'origin list: an unlisted origin gets no Allow-Origin, and the handler still runs',
    server: on('express-cors', { origin: [PAGE, /^http:\/\/api\.a\.localhost:\d+$/] }),
    send: get(CROSS_SITE),
    expect: { status: 200, headers: { [ACAO]: null, [VARY]: 'Origin' }, handlerRuns: 1, body: 'ok' },
  },
  {
    title: 'origin RegExp is tested unanchored: /a\\.localhost/ reflects a look-alike host',
    server: on('express-cors', { origin: /a\.localhost/ }),
    send: get(LOOKALIKE),
    expect: { status: 200, headers: { [ACAO]: LOOKALIKE, [VARY]: 'Origin' }, handlerRuns: 1 },
  },
  {
    title: 'origin true with credentials: any origin is reflected with Allow-Credentials',
    server: on('express-cors', { origin: true, credentials: true }),
    send: get(CROSS_SITE),
    expect: { status: 200, headers: { [ACAO]: CROSS_SITE, [ACAC]: 'true', [VARY]: 'Origin' }, handlerRuns: 1 },
  },
  {
    title: 'credentials with the default origin: * together with Allow-Credentials (observed)',
    server: on('express-cors', { credentials: true }),
    send: get(CROSS_SITE),
    expect: { status: 200, headers: { [ACAO]: '*', [ACAC]: 'true' }, handlerRuns: 1 },
  },
  {
    title: 'exposedHeaders: Expose-Headers on the answer, next to the handler header',
    server: on('express-cors', { origin: PAGE, exposedHeaders: ['X-Custom'] }),
    send: get(PAGE),
    expect: { status: 200, headers: { [ACAO]: PAGE, [ACEH]: 'X-Custom', 'x-custom': 'yes' }, handlerRuns: 1 },
  },
  {
    title: 'allowedHeaders set: sent as configured whatever the preflight asked for',
    server: on('express-cors', { allowedHeaders: 'Content-Type' }),
    send: preflight(PAGE, 'PUT', 'authorization'),
    expect: { status: 204, headers: { [ACAO]: '*', [ACAH]: 'Content-Type', [VARY]: null }, handlerRuns: 0 },
  },
  {
    title: 'methods as an array: Allow-Methods joined with "," (observed)',
    server: on('express-cors', { methods: ['GET', 'PUT'] }),
    send: preflight(PAGE),
    expect: { status: 204, headers: { [ACAM]: 'GET,PUT' }, handlerRuns: 0 },
  },
  {
    title: 'origin true: a HEAD gets the reflected origin and runs the handler',
    server: on('express-cors', { origin: true }),
    send: { method: 'HEAD', headers: { Origin: CROSS_SITE } },
    expect: { status: 200, headers: { [ACAO]: CROSS_SITE, 'x-custom': 'yes' }, handlerRuns: 1, body: '' },
  },
  {
    title: 'maxAge: Max-Age on the preflight',
    server: on('express-cors', { maxAge: 600 }),
    send: preflight(PAGE),
    expect: { status: 204, headers: { [ACMA]: '600' }, handlerRuns: 0 },
  },
  {
    title: 'optionsSuccessStatus: the preflight is still answered by the middleware, with that status',
    server: on('express-cors', { optionsSuccessStatus: 200 }),
    send: preflight(PAGE),
    expect: { status: 200, headers: { [ACAO]: '*', [ACAM]: CORS_DEFAULT_METHODS }, handlerRuns: 0, body: '' },
  },
  {
    title: 'preflightContinue: the preflight reaches the route handler, CORS headers already set',
    server: on('express-cors', { preflightContinue: true }),
    send: preflight(PAGE),
    expect: { status: 200, headers: { [ACAO]: '*', [ACAM]: CORS_DEFAULT_METHODS, 'x-custom': 'yes' }, handlerRuns: 1, body: 'ok' },
  },
  {
    title: 'an OPTIONS without Access-Control-Request-Method is answered like a preflight (observed)',
    server: on('express-cors', {}),
    send: { method: 'OPTIONS', headers: { Origin: PAGE } },
    expect: { status: 204, headers: { [ACAO]: '*', [ACAM]: CORS_DEFAULT_METHODS }, handlerRuns: 0 },
  },
  {
    title: 'origin function: an allowed origin’s preflight is answered by the middleware',
    server: on('express-cors', { origin: allowPageOnly }),
    send: preflight(PAGE),
    expect: { status: 204, headers: { [ACAO]: PAGE, [ACAM]: CORS_DEFAULT_METHODS, [VARY]: 'Origin, Access-Control-Request-Headers' }, handlerRuns: 0 },
  },
  {
    title: 'origin function answering false disables CORS for the request: the preflight reaches the route handler (observed)',
    server: on('express-cors', { origin: allowPageOnly }),
    send: preflight(CROSS_SITE),
    expect: { status: 200, headers: { [ACAO]: null, [ACAM]: null, [VARY]: null }, handlerRuns: 1, body: 'ok' },
  },
];

// ---------------------------------------------------------------------------------------------------------------------
// @fastify/cors + Fastify
// ---------------------------------------------------------------------------------------------------------------------

const FASTIFY_DEFAULT_METHODS = 'GET,HEAD,POST';

const fastifyRows: readonly Row[] = [
  {
    title: 'defaults: a preflight for PUT gets *, the safelisted methods only, and the requested headers reflected',
    server: on('fastify-cors', {}),
    send: preflight(PAGE, 'PUT', 'x-custom,authorization'),
    expect: {
      status: 204,
      headers: { [ACAO]: '*', [ACAM]: FASTIFY_DEFAULT_METHODS, [ACAH]: 'x-custom,authorization', [ACAC]: null, [VARY]: 'Access-Control-Request-Headers' },
      handlerRuns: 0,
      body: '',
    },
  },
  {
    title: 'defaults: a GET from any origin gets * and runs the handler',
    server: on('fastify-cors', {}),
    send: get(CROSS_SITE),
    expect: { status: 200, headers: { [ACAO]: '*', 'x-custom': 'yes' }, handlerRuns: 1, body: 'ok' },
  },
  {
    title: 'strictPreflight (default): an OPTIONS without Access-Control-Request-Method gets 400',
    server: on('fastify-cors', {}),
    send: { method: 'OPTIONS', headers: { Origin: PAGE } },
    expect: { status: 400, headers: { [ACAM]: null }, handlerRuns: 0, body: 'Invalid Preflight Request' },
  },
  {
    title: 'strictPreflight false: the same OPTIONS is answered as a preflight',
    server: on('fastify-cors', { strictPreflight: false }),
    send: { method: 'OPTIONS', headers: { Origin: PAGE } },
    expect: { status: 204, headers: { [ACAO]: '*', [ACAM]: FASTIFY_DEFAULT_METHODS }, handlerRuns: 0 },
  },
  {
    title: 'methods as an array: Allow-Methods joined with ", " (observed)',
    server: on('fastify-cors', { methods: ['GET', 'PUT'] }),
    send: preflight(PAGE),
    expect: { status: 204, headers: { [ACAM]: 'GET, PUT' }, handlerRuns: 0 },
  },
  {
    title: 'origin RegExp is applied as written: /a\\.localhost/ reflects a look-alike host',
    server: on('fastify-cors', { origin: /a\.localhost/ }),
    send: get(LOOKALIKE),
    expect: { status: 200, headers: { [ACAO]: LOOKALIKE, [VARY]: 'Origin' }, handlerRuns: 1 },
  },
  {
    title: 'origin RegExp anchored with scheme and port: the look-alike host gets nothing',
    server: on('fastify-cors', { origin: /^http:\/\/a\.localhost:\d+$/ }),
    send: get(LOOKALIKE),
    expect: { status: 200, headers: { [ACAO]: null, [VARY]: 'Origin' }, handlerRuns: 1 },
  },
  {
    title: 'origin list: an unlisted origin gets no Allow-Origin, and the handler still runs',
    server: on('fastify-cors', { origin: [PAGE] }),
    send: get(CROSS_SITE),
    expect: { status: 200, headers: { [ACAO]: null, [VARY]: 'Origin' }, handlerRuns: 1, body: 'ok' },
  },
  {
    title: 'origin true with credentials and exposedHeaders: any origin reflected, credentialed, X-Custom exposed',
    server: on('fastify-cors', { origin: true, credentials: true, exposedHeaders: 'X-Custom' }),
    send: get(CROSS_SITE),
    expect: {
      status: 200,
      headers: { [ACAO]: CROSS_SITE, [ACAC]: 'true', [ACEH]: 'X-Custom', [VARY]: 'Origin', 'x-custom': 'yes' },
      handlerRuns: 1,
    },
  },
  {
    title: 'origin true: a HEAD gets the reflected origin and runs the handler',
    server: on('fastify-cors', { origin: true }),
    send: { method: 'HEAD', headers: { Origin: CROSS_SITE } },
    expect: { status: 200, headers: { [ACAO]: CROSS_SITE, 'x-custom': 'yes' }, handlerRuns: 1, body: '' },
  },
  {
    title: 'preflightContinue: the preflight reaches the route handler, CORS headers already set',
    server: on('fastify-cors', { preflightContinue: true }),
    send: preflight(PAGE),
    expect: { status: 200, headers: { [ACAO]: '*', [ACAM]: FASTIFY_DEFAULT_METHODS, 'x-custom': 'yes' }, handlerRuns: 1, body: 'ok' },
  },
  {
    title: 'preflight false: the preflight reaches the route handler with Allow-Origin but no Allow-Methods',
    server: on('fastify-cors', { preflight: false }),
    send: preflight(PAGE),
    expect: { status: 200, headers: { [ACAO]: '*', [ACAM]: null }, handlerRuns: 1, body: 'ok' },
  },
  {
    title: 'async origin function answering false: the preflight reaches the route handler without CORS headers (observed)',
    server: on('fastify-cors', { origin: async (origin: string | undefined) => origin === PAGE }),
    send: preflight(CROSS_SITE),
    expect: { status: 200, headers: { [ACAO]: null, [ACAM]: null, [VARY]: 'Origin' }, handlerRuns: 1, body: 'ok' },
  },
  {
    title: 'async origin function answering true: the origin is reflected',
    server: on('fastify-cors', { origin: async (origin: string | undefined) => origin === PAGE }),
    send: get(PAGE),
    expect: { status: 200, headers: { [ACAO]: PAGE, [VARY]: 'Origin' }, handlerRuns: 1 },
  },
];

// ---------------------------------------------------------------------------------------------------------------------
// @koa/cors + Koa
// ---------------------------------------------------------------------------------------------------------------------

const KOA_DEFAULT_METHODS = 'GET,HEAD,PUT,POST,DELETE,PATCH';
const koaPageOnly = { origin: (ctx: { get(field: string): string }) => (ctx.get('Origin') === PAGE ? PAGE : '') };

const koaRows: readonly Row[] = [
  {
    title: 'defaults: a preflight gets *, the default methods, and the requested headers reflected',
    server: on('koa-cors', {}),
    send: preflight(PAGE, 'PUT', 'x-custom,authorization'),
    expect: {
      status: 204,
      headers: { [ACAO]: '*', [ACAM]: KOA_DEFAULT_METHODS, [ACAH]: 'x-custom,authorization', [ACAC]: null, [VARY]: 'Origin' },
      handlerRuns: 0,
      body: '',
    },
  },
  {
    title: 'defaults: a GET from any origin gets * and runs the handler',
    server: on('koa-cors', {}),
    send: get(CROSS_SITE),
    expect: { status: 200, headers: { [ACAO]: '*', 'x-custom': 'yes' }, handlerRuns: 1, body: 'ok' },
  },
  {
    title: 'credentials with the default origin: the request origin is reflected, credentialed',
    server: on('koa-cors', { credentials: true }),
    send: get(CROSS_SITE),
    expect: { status: 200, headers: { [ACAO]: CROSS_SITE, [ACAC]: 'true' }, handlerRuns: 1 },
  },
  {
    title: 'origin * with credentials: the request origin is reflected, not * (observed)',
    server: on('koa-cors', { origin: '*', credentials: true }),
    send: get(CROSS_SITE),
    expect: { status: 200, headers: { [ACAO]: CROSS_SITE, [ACAC]: 'true' }, handlerRuns: 1 },
  },
  {
    title: 'origin * with credentials: a preflight from any origin is reflected too (observed)',
    server: on('koa-cors', { origin: '*', credentials: true }),
    send: preflight(CROSS_SITE),
    expect: { status: 204, headers: { [ACAO]: CROSS_SITE, [ACAC]: 'true', [ACAM]: KOA_DEFAULT_METHODS }, handlerRuns: 0 },
  },
  {
    title: 'credentials and no Origin header: an empty Allow-Origin (observed)',
    server: on('koa-cors', { credentials: true }),
    send: { method: 'GET' },
    expect: { status: 200, headers: { [ACAO]: '', [ACAC]: 'true' }, handlerRuns: 1 },
  },
  {
    title: 'origin string: sent as it is to every requester',
    server: on('koa-cors', { origin: PAGE }),
    send: get(CROSS_SITE),
    expect: { status: 200, headers: { [ACAO]: PAGE, [VARY]: 'Origin' }, handlerRuns: 1 },
  },
  {
    title: 'origin function returning "": no CORS headers, the handler still runs',
    server: on('koa-cors', koaPageOnly),
    send: get(CROSS_SITE),
    expect: { status: 200, headers: { [ACAO]: null, [VARY]: 'Origin' }, handlerRuns: 1, body: 'ok' },
  },
  {
    title: 'origin function returning "": the preflight passes on to the route handler (observed)',
    server: on('koa-cors', koaPageOnly),
    send: preflight(CROSS_SITE),
    expect: { status: 200, headers: { [ACAO]: null, [ACAM]: null, 'x-custom': 'yes' }, handlerRuns: 1, body: 'ok' },
  },
  {
    title: 'origin function: an allowed origin’s preflight is answered by the middleware',
    server: on('koa-cors', koaPageOnly),
    send: preflight(PAGE),
    expect: { status: 204, headers: { [ACAO]: PAGE, [ACAM]: KOA_DEFAULT_METHODS }, handlerRuns: 0 },
  },
  {
    title: 'an OPTIONS without Access-Control-Request-Method is not a preflight: it reaches the handler (observed)',
    server: on('koa-cors', {}),
    send: { method: 'OPTIONS', headers: { Origin: PAGE } },
    expect: { status: 200, headers: { [ACAM]: null, 'x-custom': 'yes' }, handlerRuns: 1, body: 'ok' },
  },
  {
    title: 'exposeHeaders: Expose-Headers on the answer, next to the handler header',
    server: on('koa-cors', { origin: PAGE, exposeHeaders: ['X-Custom'] }),
    send: get(PAGE),
    expect: { status: 200, headers: { [ACAO]: PAGE, [ACEH]: 'X-Custom', 'x-custom': 'yes' }, handlerRuns: 1 },
  },
  {
    title: 'allowHeaders and maxAge: sent as configured on the preflight',
    server: on('koa-cors', { allowHeaders: ['Content-Type'], maxAge: 600 }),
    send: preflight(PAGE, 'PUT', 'authorization'),
    expect: { status: 204, headers: { [ACAH]: 'Content-Type', [ACMA]: '600' }, handlerRuns: 0 },
  },
];

// ---------------------------------------------------------------------------------------------------------------------
// hono/cors + @hono/node-server
// ---------------------------------------------------------------------------------------------------------------------

const HONO_DEFAULT_METHODS = 'GET,HEAD,PUT,POST,DELETE,PATCH,QUERY';

const honoRows: readonly Row[] = [
  {
    title: 'defaults: a preflight gets *, the default methods, and the requested headers reflected',
    server: on('hono-cors', {}),
    send: preflight(PAGE, 'PUT', 'x-custom,authorization'),
    expect: {
      status: 204,
      headers: { [ACAO]: '*', [ACAM]: HONO_DEFAULT_METHODS, [ACAH]: 'x-custom,authorization', [ACAC]: null, [VARY]: 'Access-Control-Request-Headers' },
      handlerRuns: 0,
      body: '',
    },
  },
  {
    title: 'defaults: a GET from any origin gets * and runs the handler',
    server: on('hono-cors', {}),
    send: get(CROSS_SITE),
    expect: { status: 200, headers: { [ACAO]: '*', 'x-custom': 'yes' }, handlerRuns: 1, body: 'ok' },
  },
  {
    title: 'origin string: sent to that origin',
    server: on('hono-cors', { origin: PAGE }),
    send: get(PAGE),
    expect: { status: 200, headers: { [ACAO]: PAGE, [VARY]: 'Origin' }, handlerRuns: 1 },
  },
  {
    title: 'origin string: another origin gets no Allow-Origin (observed), and the handler still runs',
    server: on('hono-cors', { origin: PAGE }),
    send: get(CROSS_SITE),
    expect: { status: 200, headers: { [ACAO]: null, [VARY]: 'Origin' }, handlerRuns: 1, body: 'ok' },
  },
  {
    title: 'origin array: a listed origin is reflected',
    server: on('hono-cors', { origin: [PAGE, SAME_SITE] }),
    send: get(SAME_SITE),
    expect: { status: 200, headers: { [ACAO]: SAME_SITE, [VARY]: 'Origin' }, handlerRuns: 1 },
  },
  {
    title: 'origin array: an unlisted origin gets no Allow-Origin',
    server: on('hono-cors', { origin: [PAGE, SAME_SITE] }),
    send: get(CROSS_SITE),
    expect: { status: 200, headers: { [ACAO]: null, [VARY]: 'Origin' }, handlerRuns: 1 },
  },
  {
    title: 'origin function returning its argument, with credentials: any origin reflected, credentialed',
    server: on('hono-cors', { origin: (origin: string) => origin, credentials: true }),
    send: get(CROSS_SITE),
    expect: { status: 200, headers: { [ACAO]: CROSS_SITE, [ACAC]: 'true', [VARY]: 'Origin' }, handlerRuns: 1 },
  },
  {
    title: 'credentials with the default origin: * together with Allow-Credentials',
    server: on('hono-cors', { credentials: true }),
    send: get(CROSS_SITE),
    expect: { status: 200, headers: { [ACAO]: '*', [ACAC]: 'true' }, handlerRuns: 1 },
  },
  {
    title: 'origin function returning null: a disallowed preflight is still answered by the middleware, without Allow-Origin',
    server: on('hono-cors', { origin: (origin: string) => (origin === PAGE ? origin : null) }),
    send: preflight(CROSS_SITE),
    expect: { status: 204, headers: { [ACAO]: null, [ACAM]: HONO_DEFAULT_METHODS }, handlerRuns: 0 },
  },
  {
    title: 'any OPTIONS is answered by the middleware: there is no way on to the handler (observed)',
    server: on('hono-cors', {}),
    send: { method: 'OPTIONS' },
    expect: { status: 204, headers: { [ACAO]: '*', [ACAM]: HONO_DEFAULT_METHODS }, handlerRuns: 0, body: '' },
  },
  {
    title: 'exposeHeaders: Expose-Headers on the answer, next to the handler header',
    server: on('hono-cors', { origin: PAGE, exposeHeaders: ['X-Custom'] }),
    send: get(PAGE),
    expect: { status: 200, headers: { [ACAO]: PAGE, [ACEH]: 'X-Custom', 'x-custom': 'yes' }, handlerRuns: 1 },
  },
  {
    title: 'allowMethods function: the methods depend on the requesting origin',
    server: on('hono-cors', { allowMethods: (origin: string) => (origin === PAGE ? ['GET', 'PUT'] : ['GET']) }),
    send: preflight(CROSS_SITE),
    expect: { status: 204, headers: { [ACAO]: '*', [ACAM]: 'GET' }, handlerRuns: 0 },
  },
  {
    title: 'allowHeaders and maxAge: sent as configured on the preflight',
    server: on('hono-cors', { allowHeaders: ['Content-Type'], maxAge: 600 }),
    send: preflight(PAGE, 'PUT', 'authorization'),
    expect: { status: 204, headers: { [ACAH]: 'Content-Type', [ACMA]: '600' }, handlerRuns: 0 },
  },
];

const ROWS: readonly Row[] = [...expressRows, ...fastifyRows, ...koaRows, ...honoRows];

test.describe('middleware adapters: what each middleware answers', () => {
  for (const row of ROWS) {
    test(`${row.server.adapter}: ${row.title}`, async () => {
      const { response, body, handled } = await exchange(row.server, row.send);
      const headers = Object.fromEntries(Object.keys(row.expect.headers).map((name) => [name, response.headers.get(name)]));
      expect({ status: response.status, headers, handlerRuns: handled.length }).toEqual({
        status: row.expect.status,
        headers: row.expect.headers,
        handlerRuns: row.expect.handlerRuns,
      });
      if (row.expect.body !== undefined) expect(body).toBe(row.expect.body);
      for (const req of handled) expect(req.method).toBe(row.send.method);
    });
  }
});

// Every adapter routes every method and path to its one handler, which gets the raw request, sets the hooks' headers
// and answers 200 text/plain "ok" (no Origin, so nothing here depends on CORS). OPTIONS is left out: whether it reaches
// the handler is each middleware's own behaviour, covered by the rows above.
const ROUTED_PATHS = ['/', '/api/case-1', '/a/b/c?x=1'] as const;

test.describe('middleware adapters: routing', () => {
  for (const adapter of MIDDLEWARE_NAMES) {
    for (const method of ROUTE_METHODS.filter((name) => name !== 'OPTIONS')) {
      test(`${adapter}: ${method} on every path reaches the handler once, with the raw request`, async () => {
        const started = await start(on(adapter, {}));
        try {
          for (const path of ROUTED_PATHS) {
            const before = started.handled.length;
            const withBody = method !== 'GET' && method !== 'HEAD';
            const response = await fetch(`${started.url}${path}`, {
              method,
              ...(withBody ? { body: 'a=1', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } } : {}),
            });
            const body = await response.text();
            expect(response.status, `${method} ${path}`).toBe(200);
            expect(response.headers.get('content-type') ?? '', `${method} ${path}`).toMatch(/^text\/plain\b/);
            expect(response.headers.get('x-custom'), `${method} ${path}`).toBe('yes');
            expect(body, `${method} ${path}`).toBe(method === 'HEAD' ? '' : 'ok');
            expect(started.handled.length - before, `${method} ${path}`).toBe(1);
            const req = started.handled.at(-1);
            expect(req).toBeInstanceOf(IncomingMessage);
            expect({ method: req?.method, url: req?.url }).toEqual({ method, url: path });
          }
        } finally {
          await started.close();
        }
      });
    }
  }
});

test.describe('middleware adapters: identity', () => {
  const expectedPackages: Readonly<Record<MiddlewareName, RegExp>> = {
    'express-cors': /^cors@\d+\.\d+\.\d+ \+ express@5\.\d+\.\d+$/,
    'fastify-cors': /^@fastify\/cors@\d+\.\d+\.\d+ \+ fastify@\d+\.\d+\.\d+$/,
    'koa-cors': /^@koa\/cors@\d+\.\d+\.\d+ \+ koa@\d+\.\d+\.\d+$/,
    'hono-cors': /^hono@\d+\.\d+\.\d+ \+ @hono\/node-server@\d+\.\d+\.\d+$/,
  };
  for (const name of MIDDLEWARE_NAMES) {
    test(`${name}: is registered under its name and names its packages with their installed versions`, () => {
      const adapter = MIDDLEWARE_ADAPTERS[name];
      expect(adapter.name).toBe(name);
      expect(adapter.packages).toMatch(expectedPackages[name]);
    });
  }
});
