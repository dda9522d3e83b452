import { defineMiddlewareSuites } from '../lib/model/middleware-suite.ts';

const ECHOED_HEADERS = 'without an explicit allowed-headers option it echoes Access-Control-Request-Headers, so every header a page asks for (Authorization included) is allowed';
const DEFAULT_METHODS = 'its default methods include DELETE and PATCH, so they work cross-origin although the options never mention them';
const OUTSIDERS = ['same-site', 'other-port', 'null'] as const;
const REFLECTS_WITH_CREDENTIALS = '@koa/cors with credentials and no explicit origin (or origin "*") reflects every Origin with Allow-Credentials: true, so any site can read answers meant for credentialed users';

// Each built-in middleware, configured with a list of allowed origins, behind a real shared cache (varnishd): the
// route's answers are cacheable (s-maxage=60), and an outsider reads first, then each allowed origin, then the
// outsider again, through one URL. A middleware that omits Vary: Origin on any of those answers hands the answer
// stored for one origin to the next: the allowed origin after the outsider is blocked, or the second allowed origin
// gets the first one's Allow-Origin.
const CACHE_READERS = { readers: ['evil', 'page', 'other-port', 'evil'] } as const;
const BEHIND_CACHE = 'shared-cache-middleware';
const behindCache = defineMiddlewareSuites([
  {
    middleware: 'express-cors',
    label: 'behind-cache',
    family: BEHIND_CACHE,
    options: (o) => ({ origin: [o.page, o['other-port']] }),
    optionsText: '{ origin: [page, other-port] } behind a shared cache',
    intent: { origins: ['page', 'other-port'] },
    sharedCache: CACHE_READERS,
  },
  {
    middleware: 'fastify-cors',
    label: 'behind-cache',
    family: BEHIND_CACHE,
    options: (o) => ({ origin: [o.page, o['other-port']] }),
    optionsText: '{ origin: [page, other-port] } behind a shared cache',
    intent: { origins: ['page', 'other-port'] },
    sharedCache: CACHE_READERS,
  },
  {
    middleware: 'koa-cors',
    label: 'behind-cache',
    family: BEHIND_CACHE,
    options: (o) => ({ origin: (ctx) => ([o.page, o['other-port']].includes(ctx.get('Origin')) ? ctx.get('Origin') : '') }),
    optionsText: "{ origin: (ctx) => [page, other-port].includes(ctx.get('Origin')) ? ctx.get('Origin') : '' } behind a shared cache",
    intent: { origins: ['page', 'other-port'] },
    sharedCache: CACHE_READERS,
  },
  {
    middleware: 'hono-cors',
    label: 'behind-cache',
    family: BEHIND_CACHE,
    options: (o) => ({ origin: [o.page, o['other-port']] }),
    optionsText: '{ origin: [page, other-port] } behind a shared cache',
    intent: { origins: ['page', 'other-port'] },
    sharedCache: CACHE_READERS,
  },
]);

// Real middleware behind the API origin (cross-site to the page), each with option sets as users write them, checked
// against what those options were meant to do. `findings` are where a middleware does something else: expected by
// the suite, reported by the run.
const builtIn = defineMiddlewareSuites([
  // expressjs/cors with Express 5.
  {
    middleware: 'express-cors',
    label: 'string',
    options: (o) => ({ origin: o.page, methods: ['GET', 'PUT'], allowedHeaders: ['X-Request-Id'], exposedHeaders: ['X-Total'] }),
    optionsText: '{ origin: page, methods: [GET, PUT], allowedHeaders: [X-Request-Id], exposedHeaders: [X-Total] }',
    intent: { origins: ['page'], methods: ['PUT'], headers: ['X-Request-Id'], exposedHeaders: ['X-Total'] },
  },
  {
    middleware: 'express-cors',
    label: 'list',
    options: (o) => ({ origin: [o.page, o['other-port']], methods: ['GET', 'PUT'] }),
    optionsText: '{ origin: [page, other-port], methods: [GET, PUT] }',
    intent: { origins: ['page', 'other-port'], methods: ['PUT'] },
    findings: [{ probe: 'unintended-header', observed: { verdict: 'allowed' }, finding: `cors: ${ECHOED_HEADERS}` }],
  },
  {
    middleware: 'express-cors',
    label: 'regexp',
    options: () => ({ origin: /^http:\/\/a\.localhost:\d+$/, methods: ['GET', 'PUT'], allowedHeaders: ['X-Request-Id'] }),
    optionsText: '{ origin: /^http:\\/\\/a\\.localhost:\\d+$/, methods: [GET, PUT], allowedHeaders: [X-Request-Id] }',
    intent: { origins: ['page', 'other-port'], methods: ['PUT'], headers: ['X-Request-Id'] },
  },
  {
    middleware: 'express-cors',
    label: 'function',
    options: (o) => ({ origin: (origin, callback) => callback(null, origin === o.page), methods: ['PUT'], allowedHeaders: ['X-Request-Id'] }),
    optionsText: '{ origin: (origin, cb) => cb(null, origin === page), methods: [PUT], allowedHeaders: [X-Request-Id] }',
    intent: { origins: ['page'], methods: ['PUT'], headers: ['X-Request-Id'] },
  },
  {
    middleware: 'express-cors',
    label: 'reflect-credentials',
    options: () => ({ origin: true, credentials: true }),
    optionsText: '{ origin: true, credentials: true }',
    intent: { origins: '*', credentials: true },
    findings: [
      { probe: 'unintended-method', observed: { verdict: 'allowed' }, finding: `cors: ${DEFAULT_METHODS}` },
      { probe: 'unintended-header', observed: { verdict: 'allowed' }, finding: `cors: ${ECHOED_HEADERS}` },
    ],
  },
  {
    middleware: 'express-cors',
    label: 'credentials',
    options: (o) => ({ origin: o.page, credentials: true, methods: ['GET', 'PUT'], allowedHeaders: ['X-Request-Id'] }),
    optionsText: '{ origin: page, credentials: true, methods: [GET, PUT], allowedHeaders: [X-Request-Id] }',
    intent: { origins: ['page'], credentials: true, methods: ['PUT'], headers: ['X-Request-Id'] },
  },
  {
    middleware: 'express-cors',
    label: 'preflight-continue',
    options: (o) => ({ origin: o.page, methods: ['PUT'], allowedHeaders: ['X-Request-Id'], preflightContinue: true }),
    optionsText: '{ origin: page, methods: [PUT], allowedHeaders: [X-Request-Id], preflightContinue: true }',
    intent: { origins: ['page'], methods: ['PUT'], headers: ['X-Request-Id'] },
  },

  // @fastify/cors with Fastify.
  {
    middleware: 'fastify-cors',
    label: 'string',
    options: (o) => ({ origin: o.page, methods: ['GET', 'PUT'], allowedHeaders: ['X-Request-Id'], exposedHeaders: ['X-Total'] }),
    optionsText: '{ origin: page, methods: [GET, PUT], allowedHeaders: [X-Request-Id], exposedHeaders: [X-Total] }',
    intent: { origins: ['page'], methods: ['PUT'], headers: ['X-Request-Id'], exposedHeaders: ['X-Total'] },
  },
  {
    middleware: 'fastify-cors',
    label: 'list',
    options: (o) => ({ origin: [o.page, o['other-port']], methods: ['GET', 'PUT'] }),
    optionsText: '{ origin: [page, other-port], methods: [GET, PUT] }',
    intent: { origins: ['page', 'other-port'], methods: ['PUT'] },
    findings: [{ probe: 'unintended-header', observed: { verdict: 'allowed' }, finding: `@fastify/cors: ${ECHOED_HEADERS}` }],
  },
  {
    middleware: 'fastify-cors',
    label: 'regexp',
    options: () => ({ origin: /^http:\/\/a\.localhost:\d+$/, methods: ['GET', 'PUT'], allowedHeaders: ['X-Request-Id'] }),
    optionsText: '{ origin: /^http:\\/\\/a\\.localhost:\\d+$/, methods: [GET, PUT], allowedHeaders: [X-Request-Id] }',
    intent: { origins: ['page', 'other-port'], methods: ['PUT'], headers: ['X-Request-Id'] },
  },
  {
    middleware: 'fastify-cors',
    label: 'function',
    options: (o) => ({ origin: (origin, callback) => callback(null, origin === o.page), methods: ['GET', 'PUT'], allowedHeaders: ['X-Request-Id'] }),
    optionsText: '{ origin: (origin, cb) => cb(null, origin === page), methods: [GET, PUT], allowedHeaders: [X-Request-Id] }',
    intent: { origins: ['page'], methods: ['PUT'], headers: ['X-Request-Id'] },
  },
  {
    middleware: 'fastify-cors',
    label: 'credentials',
    options: (o) => ({ origin: o.page, credentials: true, methods: ['GET', 'PUT'], allowedHeaders: ['X-Request-Id'] }),
    optionsText: '{ origin: page, credentials: true, methods: [GET, PUT], allowedHeaders: [X-Request-Id] }',
    intent: { origins: ['page'], credentials: true, methods: ['PUT'], headers: ['X-Request-Id'] },
  },
  {
    middleware: 'fastify-cors',
    label: 'preflight-continue',
    options: (o) => ({ origin: o.page, methods: ['GET', 'PUT'], allowedHeaders: ['X-Request-Id'], preflightContinue: true }),
    optionsText: '{ origin: page, methods: [GET, PUT], allowedHeaders: [X-Request-Id], preflightContinue: true }',
    intent: { origins: ['page'], methods: ['PUT'], headers: ['X-Request-Id'] },
  },

  // @koa/cors with Koa.
  {
    middleware: 'koa-cors',
    label: 'string',
    options: (o) => ({ origin: o.page, allowMethods: ['GET', 'PUT'], allowHeaders: ['X-Request-Id'], exposeHeaders: ['X-Total'] }),
    optionsText: '{ origin: page, allowMethods: [GET, PUT], allowHeaders: [X-Request-Id], exposeHeaders: [X-Total] }',
    intent: { origins: ['page'], methods: ['PUT'], headers: ['X-Request-Id'], exposedHeaders: ['X-Total'] },
  },
  {
    middleware: 'koa-cors',
    label: 'function',
    options: (o) => ({ origin: (ctx) => (ctx.get('Origin') === o.page ? o.page : ''), allowMethods: ['GET', 'PUT'], allowHeaders: ['X-Request-Id'] }),
    optionsText: "{ origin: (ctx) => ctx.get('Origin') === page ? page : '', allowMethods: [GET, PUT], allowHeaders: [X-Request-Id] }",
    intent: { origins: ['page'], methods: ['PUT'], headers: ['X-Request-Id'] },
  },
  {
    middleware: 'koa-cors',
    label: 'credentials',
    options: () => ({ credentials: true, allowMethods: ['GET', 'PUT'], allowHeaders: ['X-Request-Id'] }),
    optionsText: '{ credentials: true, allowMethods: [GET, PUT], allowHeaders: [X-Request-Id] }',
    intent: { origins: ['page'], credentials: true, methods: ['PUT'], headers: ['X-Request-Id'] },
    findings: [
      { probe: 'simple-read', from: OUTSIDERS, observed: { verdict: 'allowed' }, finding: REFLECTS_WITH_CREDENTIALS },
      { probe: 'credentialed-read', from: OUTSIDERS, observed: { verdict: 'allowed' }, finding: REFLECTS_WITH_CREDENTIALS },
      { probe: 'intended-method', from: OUTSIDERS, observed: { verdict: 'allowed' }, finding: REFLECTS_WITH_CREDENTIALS },
    ],
  },
  {
    middleware: 'koa-cors',
    label: 'star-credentials',
    options: () => ({ origin: '*', credentials: true }),
    optionsText: "{ origin: '*', credentials: true }",
    intent: { origins: '*', credentials: false },
    findings: [
      { probe: 'credentialed-read', observed: { verdict: 'allowed' }, finding: REFLECTS_WITH_CREDENTIALS },
      { probe: 'unintended-method', observed: { verdict: 'allowed' }, finding: `@koa/cors: ${DEFAULT_METHODS}` },
      { probe: 'unintended-header', observed: { verdict: 'allowed' }, finding: `@koa/cors: ${ECHOED_HEADERS}` },
    ],
  },

  // hono's cors with @hono/node-server.
  {
    middleware: 'hono-cors',
    label: 'string',
    options: (o) => ({ origin: o.page, allowMethods: ['GET', 'PUT'], allowHeaders: ['X-Request-Id'], exposeHeaders: ['X-Total'] }),
    optionsText: '{ origin: page, allowMethods: [GET, PUT], allowHeaders: [X-Request-Id], exposeHeaders: [X-Total] }',
    intent: { origins: ['page'], methods: ['PUT'], headers: ['X-Request-Id'], exposedHeaders: ['X-Total'] },
  },
  {
    middleware: 'hono-cors',
    label: 'list',
    options: (o) => ({ origin: [o.page, o['other-port']], allowMethods: ['GET', 'PUT'] }),
    optionsText: '{ origin: [page, other-port], allowMethods: [GET, PUT] }',
    intent: { origins: ['page', 'other-port'], methods: ['PUT'] },
    findings: [{ probe: 'unintended-header', observed: { verdict: 'allowed' }, finding: `hono cors: ${ECHOED_HEADERS}` }],
  },
  {
    middleware: 'hono-cors',
    label: 'function',
    options: (o) => ({ origin: (origin) => (origin === o.page ? origin : null), allowMethods: ['GET', 'PUT'], allowHeaders: ['X-Request-Id'] }),
    optionsText: '{ origin: (origin) => origin === page ? origin : null, allowMethods: [GET, PUT], allowHeaders: [X-Request-Id] }',
    intent: { origins: ['page'], methods: ['PUT'], headers: ['X-Request-Id'] },
  },
  {
    middleware: 'hono-cors',
    label: 'credentials',
    options: (o) => ({ origin: o.page, credentials: true, allowMethods: ['GET', 'PUT'], allowHeaders: ['X-Request-Id'] }),
    optionsText: '{ origin: page, credentials: true, allowMethods: [GET, PUT], allowHeaders: [X-Request-Id] }',
    intent: { origins: ['page'], credentials: true, methods: ['PUT'], headers: ['X-Request-Id'] },
  },
  {
    middleware: 'hono-cors',
    label: 'star-credentials',
    options: () => ({ origin: '*', credentials: true }),
    optionsText: "{ origin: '*', credentials: true }",
    intent: { origins: '*', credentials: false },
    findings: [
      { probe: 'unintended-method', observed: { verdict: 'allowed' }, finding: `hono cors: ${DEFAULT_METHODS}` },
      { probe: 'unintended-header', observed: { verdict: 'allowed' }, finding: `hono cors: ${ECHOED_HEADERS}` },
    ],
  },
]);

export default defineMiddlewareSuites([...builtIn, ...behindCache]);
