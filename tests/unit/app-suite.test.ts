// Suites for your own app (`middleware: 'app'`): validation with suite, field and rule named; the cases derived from
// the intent; and the app catalog building the app once, with the hooks, behind a real socket (no browser).
import { test, expect } from '@playwright/test';
import { createServer, type IncomingMessage, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppCatalog } from '../../lib/measure/app-catalog.ts';
import { INTERNAL_HEADER } from '../../lib/model/intent.ts';
import { ScenarioError } from '../../lib/model/load-cases.ts';
import { loadMiddlewareCases } from '../../lib/model/load-middleware-cases.ts';
import { defineMiddlewareSuites, type AnyMiddlewareSuite, type AppSuite } from '../../lib/model/middleware-suite.ts';
import type { RouteHooks } from '../../lib/middleware/index.ts';
import { originMap } from '../../lib/model/origins.ts';
import { suiteOf } from '../../lib/model/scenario.ts';

const ORIGINS = originMap({ primary: 8001, secondary: 8002, tls: 8443, closed: 8003 });

/** A plain Node app: every request reaches its one handler, which tells the hooks and sets their headers. */
function plainApp(hooks: RouteHooks): RequestListener {
  return (req, res) => {
    hooks.onHandler(req);
    for (const [name, value] of Object.entries(hooks.responseHeaders ?? {})) res.setHeader(name, value);
    res.setHeader('Access-Control-Allow-Origin', ORIGINS.page);
    res.end('ok');
  };
}

const validApp: AppSuite = {
  middleware: 'app',
  label: 'notes-api',
  app: (_origins, hooks) => plainApp(hooks),
  optionsText: '{ origin: page }',
  intent: { origins: ['page'], methods: ['PUT'], exposedHeaders: ['X-Request-Id'] },
};

/** The problems the loader reports, or an empty list when it accepts the suites. Suites are `unknown` on purpose. */
function problemsOf(suites: readonly unknown[]): readonly string[] {
  try {
    loadMiddlewareCases(suites as readonly AnyMiddlewareSuite[]);
    return [];
  } catch (error) {
    if (error instanceof ScenarioError) return error.problems;
    throw error;
  }
}

test('An app suite derives its cases from the intent, named after the app, with the app as the server.', () => {
  const cases = loadMiddlewareCases(defineMiddlewareSuites([validApp]));
  // page: simple read, credentialed read, PUT, an unintended method, an unintended header; three outsiders × 3 probes.
  expect(cases).toHaveLength(5 + 3 * 3);
  const [first] = cases;
  expect(first).toMatchObject({
    id: 'app-notes-api-001-simple-read-get-page',
    family: 'middleware app',
    server: 'app (notes-api)',
    from: 'page',
    to: 'cross-site',
    target: { kind: 'app', suite: 'app/notes-api', middleware: 'app', options: '{ origin: page }' },
    probe: 'simple-read',
    verdictFrom: 'intent',
    expect: { verdict: 'allowed', readable: ['X-Request-Id'], hidden: [INTERNAL_HEADER] },
  });
  expect(first?.proves).toContain('notes-api');
  expect(first?.title).toBe('GET credentials=omit from page to cross-site, app (notes-api) → allowed');
});

test('An app suite takes a target, a family and findings like any other suite.', () => {
  const cases = loadMiddlewareCases([
    {
      ...validApp,
      target: 'https-cross-site',
      family: 'my-api',
      findings: [{ probe: 'unintended-header', observed: { verdict: 'allowed' }, finding: 'the app echoes every requested header back' }],
    },
  ]);
  expect(new Set(cases.map((c) => c.family))).toEqual(new Set(['my-api']));
  expect(cases.every((c) => c.to === 'https-cross-site')).toBe(true);
  const echoed = cases.find((c) => c.request.headers['X-Unintended'] !== undefined);
  expect(echoed?.expect.verdict).toBe('allowed');
  expect(echoed?.finding).toBe('the app echoes every requested header back');
});

test('App suites and adapter suites load side by side.', () => {
  const cases = loadMiddlewareCases([
    validApp,
    { middleware: 'express-cors', label: 'notes-api', options: (o) => ({ origin: o.page }), optionsText: '{ origin: page }', intent: { origins: ['page'] } },
  ]);
  expect(new Set(cases.map((c) => suiteOf(c)))).toEqual(new Set(['app/notes-api', 'express-cors/notes-api']));
});

const rejections: readonly { readonly title: string; readonly suites: readonly unknown[]; readonly problem: readonly string[] }[] = [
  {
    title: 'an app suite without app',
    suites: [{ ...validApp, app: undefined }],
    problem: ['middleware suite "app/notes-api"', 'field app:', 'must be a function (origins, hooks) => request listener'],
  },
  {
    title: 'an app that is not a function',
    suites: [{ ...validApp, app: 'express()' }],
    problem: ['middleware suite "app/notes-api"', 'field app:', 'must be a function'],
  },
  {
    title: 'options on an app suite',
    suites: [{ ...validApp, options: () => ({ origin: true }) }],
    problem: ['middleware suite "app/notes-api"', 'field options:', 'belongs to the built-in adapters'],
  },
  {
    title: 'an app on an adapter suite',
    suites: [{ middleware: 'express-cors', label: 'x', options: () => ({}), app: () => plainApp, optionsText: '{}', intent: { origins: ['page'] } }],
    problem: ['middleware suite "express-cors/x"', 'field app:', "is only for middleware: 'app'"],
  },
  {
    title: 'an unknown middleware',
    suites: [{ ...validApp, middleware: 'my-app' }],
    problem: ['middleware suite "my-app/notes-api"', 'field middleware:', "or 'app' for your own app"],
  },
  {
    title: 'a label that is not kebab-case',
    suites: [{ ...validApp, label: 'Notes API' }],
    problem: ['middleware suite "app/Notes API"', 'field label:', 'must be kebab-case'],
  },
  {
    title: 'two app suites with one label',
    suites: [validApp, validApp],
    problem: ['middleware suite "app/notes-api"', 'field label:', 'is used twice'],
  },
  {
    title: "an intent that names the API's own origin",
    suites: [{ ...validApp, intent: { origins: ['cross-site'] } }],
    problem: ['middleware suite "app/notes-api"', 'field intent.origins:', "names the API's own origin"],
  },
  {
    title: 'a finding about an unknown probe',
    suites: [{ ...validApp, findings: [{ probe: 'everything', observed: {}, finding: 'a finding long enough to pass' }] }],
    problem: ['middleware suite "app/notes-api"', 'field findings[0].probe:'],
  },
];

for (const { title, suites, problem } of rejections) {
  test(`Rejected, naming suite, field and rule: ${title}.`, () => {
    const problems = problemsOf(suites);
    expect(problems.length, problems.join('\n')).toBeGreaterThan(0);
    expect(problems.some((p) => problem.every((part) => p.includes(part))), `no problem has all of ${JSON.stringify(problem)}:\n${problems.join('\n')}`).toBe(true);
  });
}

interface Served {
  readonly get: (path: string) => Promise<Response>;
  readonly close: () => Promise<void>;
}

async function serve(listener: RequestListener): Promise<Served> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    get: (path) => fetch(`http://127.0.0.1:${port}${path}`),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

test('The catalog builds an app suite once, with the harness origins and hooks that mark the handler and add the headers.', async () => {
  const handlerRuns = new WeakSet<IncomingMessage>();
  const seen: IncomingMessage[] = [];
  let builds = 0;
  let originsSeen: unknown;
  const suite: AppSuite = {
    ...validApp,
    app: async (origins, hooks) => {
      builds += 1;
      originsSeen = origins;
      const inner = plainApp(hooks);
      return (req, res) => {
        seen.push(req);
        inner(req, res);
      };
    },
  };
  const catalog = new AppCatalog([suite], { origins: ORIGINS, handlerRuns });
  const listener = await catalog.listenerFor('app/notes-api');
  expect(await catalog.listenerFor('app/notes-api')).toBe(listener);
  expect(builds).toBe(1);
  expect(originsSeen).toBe(ORIGINS);
  const served = await serve(listener);
  try {
    const response = await served.get('/api/case-1');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('exposed');
    expect(response.headers.get(INTERNAL_HEADER)).toBe('secret');
    expect(seen).toHaveLength(1);
    expect(handlerRuns.has(seen[0] as IncomingMessage)).toBe(true);
  } finally {
    await served.close();
    await catalog.close();
  }
});

test('An app factory may return { listener, close }; the catalog closes it with the worker.', async () => {
  let closed = 0;
  const suite: AppSuite = { ...validApp, app: (_origins, hooks) => ({ listener: plainApp(hooks), close: async () => void (closed += 1) }) };
  const catalog = new AppCatalog([suite], { origins: ORIGINS, handlerRuns: new WeakSet() });
  expect(typeof (await catalog.listenerFor('app/notes-api'))).toBe('function');
  await catalog.close();
  expect(closed).toBe(1);
});

test('An app factory that throws, or returns no listener, fails naming the suite; the catalog still closes.', async () => {
  const throwing: AppSuite = {
    ...validApp,
    label: 'throws',
    app: () => {
      throw new Error('DATABASE_URL is not set');
    },
  };
  const empty = { ...validApp, label: 'empty', app: () => ({ port: 3000 }) } as unknown as AppSuite;
  const catalog = new AppCatalog([throwing, empty], { origins: ORIGINS, handlerRuns: new WeakSet() });
  await expect(catalog.listenerFor('app/throws')).rejects.toThrow('middleware suite "app/throws": app() threw while building the app: DATABASE_URL is not set');
  await expect(catalog.listenerFor('app/empty')).rejects.toThrow('middleware suite "app/empty": field app: must return a request listener');
  await catalog.close();
});
