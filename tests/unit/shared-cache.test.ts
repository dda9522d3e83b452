// The shared cache, three ways: the pure model the oracle uses (lib/oracle/shared-cache.ts), the typed note the
// ledger carries (servedBy), and the real varnishd the harness starts, reached with Node's http (no browser, no CORS
// enforcement): the front's ledger must say which answer the cache served, stored for which Origin, and the API's
// own ledger must hold only the requests that really reached it.
import { test, expect } from '@playwright/test';
import { request as httpRequest } from 'node:http';
import { describeService, servedByCache, type LedgerEntry } from '../../lib/model/ledger.ts';
import { ScenarioError } from '../../lib/model/load-cases.ts';
import { loadMiddlewareCases } from '../../lib/model/load-middleware-cases.ts';
import type { AnyMiddlewareSuite } from '../../lib/model/middleware-suite.ts';
import type { Policy } from '../../lib/model/policy.ts';
import { EMPTY_SHARED_CACHE, lookupSharedCache, storeSharedCache, type HeaderPairs, type OracleResponse, type SharedCacheState } from '../../lib/oracle/index.ts';
import { findVarnishd } from '../../servers/shared-cache.ts';
import { startServers, type RunningServers } from '../../servers/start-servers.ts';

const A = 'https://a.example';
const B = 'https://b.example';
const URL_1 = 'https://cdn.example/data';
const get = (origin: string | undefined, more: HeaderPairs = []) => ({ url: URL_1, method: 'GET', headers: [...(origin === undefined ? [] : [['Origin', origin] as const]), ...more] });
const answer = (...headers: HeaderPairs): OracleResponse => ({ status: 200, headers: [['Access-Control-Allow-Origin', A], ...headers] });

function storedBy(response: OracleResponse, request = get(A), now = 0): { state: SharedCacheState; stored: boolean; why: string } {
  return storeSharedCache(EMPTY_SHARED_CACHE, request, response, now);
}

test.describe('the shared-cache model (RFC 9111)', () => {
  test('Without Vary, an answer stored for origin A is served to origin B.', () => {
    const { state, stored } = storedBy(answer(['Cache-Control', 's-maxage=60']));
    expect(stored).toBe(true);
    const found = lookupSharedCache(state, get(B), 10);
    expect(found.served?.storedFor).toBe(A);
    expect(found.why).toContain('no Vary');
  });

  test('With Vary: Origin, origin B is not served what was stored for A, and A is.', () => {
    const { state } = storedBy(answer(['Cache-Control', 's-maxage=60'], ['Vary', 'Origin']));
    expect(lookupSharedCache(state, get(B), 10).served).toBeUndefined();
    expect(lookupSharedCache(state, get(B), 10).why).toContain('Vary (origin)');
    expect(lookupSharedCache(state, get(A), 10).served?.storedFor).toBe(A);
    expect(lookupSharedCache(state, get(undefined), 10).served).toBeUndefined();
  });

  test('A stored answer is served only while fresh: s-maxage wins over max-age for a shared cache.', () => {
    const { state } = storedBy(answer(['Cache-Control', 'max-age=600, s-maxage=5']));
    expect(lookupSharedCache(state, get(B), 4.9).served).toBeDefined();
    expect(lookupSharedCache(state, get(B), 5).served).toBeUndefined();
  });

  const notStored: readonly { readonly title: string; readonly response: OracleResponse; readonly request?: ReturnType<typeof get>; readonly because: RegExp }[] = [
    { title: 'no-store', response: answer(['Cache-Control', 'no-store, s-maxage=60']), because: /no-store forbids/ },
    { title: 'private', response: answer(['Cache-Control', 'private, max-age=60']), because: /private forbids a shared cache/ },
    { title: 'no-cache', response: answer(['Cache-Control', 'no-cache, s-maxage=60']), because: /no-cache/ },
    { title: 'no explicit freshness', response: answer(), because: /no explicit freshness/ },
    { title: 'Vary: *', response: answer(['Cache-Control', 's-maxage=60'], ['Vary', '*']), because: /Vary: \*/ },
    { title: 'Set-Cookie', response: answer(['Cache-Control', 's-maxage=60'], ['Set-Cookie', 'a=1']), because: /Set-Cookie/ },
    { title: 'a request with Authorization', response: answer(['Cache-Control', 's-maxage=60']), request: get(A, [['Authorization', 'Bearer t']]), because: /RFC 9111 §3\.5/ },
    { title: 'a 500', response: { status: 500, headers: [['Cache-Control', 's-maxage=60']] }, because: /status 500/ },
  ];
  for (const row of notStored) {
    test(`An answer with ${row.title} is not stored, and the next origin's request goes to the API.`, () => {
      const result = storedBy(row.response, row.request ?? get(A));
      expect(result.stored).toBe(false);
      expect(result.why).toMatch(row.because);
      expect(lookupSharedCache(result.state, get(B), 1).served).toBeUndefined();
    });
  }

  test('A Vary on a header the engine adds on its own cannot be predicted: refused naming the field.', () => {
    expect(() => storedBy(answer(['Cache-Control', 's-maxage=60'], ['Vary', 'Accept-Encoding']))).toThrow(/response\.headers\.Vary: names "accept-encoding"/);
  });

  test('Storing again under the same URL without Vary replaces the stored answer.', () => {
    const first = storedBy(answer(['Cache-Control', 's-maxage=60']));
    const second = storeSharedCache(first.state, get(B), { status: 200, headers: [['Access-Control-Allow-Origin', B], ['Cache-Control', 's-maxage=60']] }, 1);
    expect(second.state.entries).toHaveLength(1);
    expect(lookupSharedCache(second.state, get(A), 2).served?.storedFor).toBe(B);
  });
});

test.describe('the ledger note on a request through the shared cache', () => {
  test('The cache\'s X-Cache and stored-for headers become a typed note, and its line names the origin it was stored for.', () => {
    const hit = servedByCache('HIT', A, false);
    expect(hit).toEqual({ cache: 'shared', outcome: 'hit', storedFor: A, reachedApi: false });
    expect(describeService(hit)).toBe(`served from the shared cache, stored for origin ${A}`);
    expect(servedByCache('MISS', '(no Origin)', true)).toEqual({ cache: 'shared', outcome: 'miss', storedFor: null, reachedApi: true });
    expect(servedByCache('PASS', A, true)).toEqual({ cache: 'shared', outcome: 'pass', reachedApi: true });
    expect(servedByCache(undefined, undefined, false).outcome).toBe('unknown');
    expect(describeService(servedByCache('PASS', A, true))).toBe('answered by the API through the shared cache, which did not store it');
  });
});

test.describe('the real shared cache (varnishd)', () => {
  test.setTimeout(120_000);
  let servers: RunningServers;
  test.beforeAll(async () => {
    // npm install puts varnishd there (scripts/install-engines.ts): its absence is a failure, never a skip.
    expect(findVarnishd(), 'varnishd is not installed (Debian package "varnish"; scripts/install-engines.ts installs it)').toBeDefined();
    servers = await startServers();
    await servers.sharedCache.ready;
  });
  test.afterAll(async () => servers?.close());

  function fetchThroughCache(key: string, origin: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
    return new Promise((resolve, reject) => {
      const host = new URL(servers.origins['shared-cache']).host;
      const req = httpRequest({ host: '127.0.0.1', port: servers.ports.cache, path: `/api/${key}`, headers: { Host: host, Origin: origin } }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  const note = (entry: LedgerEntry | undefined) => entry?.servedBy;

  test('Without Vary: Origin, origin B is served the answer stored for origin A, and the API sees one request.', async () => {
    const policy: Policy = { allowOrigin: 'reflect', responseHeaders: { 'Cache-Control': 'public, s-maxage=60' } };
    const key = servers.registry.register('unit-shared-cache-no-vary', policy);
    const first = await fetchThroughCache(key, servers.origins.page);
    const second = await fetchThroughCache(key, servers.origins.evil);
    expect(first.headers['access-control-allow-origin']).toBe(servers.origins.page);
    expect(second.headers['access-control-allow-origin']).toBe(servers.origins.page);
    expect(second.headers['x-cm-stored-for']).toBeUndefined();
    const [a, b] = servers.ledger.entriesFor(key);
    expect(note(a)).toEqual({ cache: 'shared', outcome: 'miss', storedFor: servers.origins.page, reachedApi: true });
    expect(note(b)).toEqual({ cache: 'shared', outcome: 'hit', storedFor: servers.origins.page, reachedApi: false });
    expect(a?.handlerRan).toBe(true);
    expect(b?.handlerRan).toBe(false);
    expect(b?.origin).toBe(servers.origins.evil);
    expect(servers.sharedCache.apiLedger.entriesFor(key).map((e) => e.origin)).toEqual([servers.origins.page]);
  });

  test('With Vary: Origin, each origin gets its own answer from the API, and a repeat is served its own stored one.', async () => {
    const policy: Policy = { allowOrigin: 'reflect', vary: true, responseHeaders: { 'Cache-Control': 'public, s-maxage=60' } };
    const key = servers.registry.register('unit-shared-cache-vary', policy);
    await fetchThroughCache(key, servers.origins.page);
    const evil = await fetchThroughCache(key, servers.origins.evil);
    const again = await fetchThroughCache(key, servers.origins.page);
    expect(evil.headers['access-control-allow-origin']).toBe(servers.origins.evil);
    expect(again.headers['access-control-allow-origin']).toBe(servers.origins.page);
    expect(servers.ledger.entriesFor(key).map((e) => note(e)?.outcome)).toEqual(['miss', 'miss', 'hit']);
    expect(servers.sharedCache.apiLedger.entriesFor(key)).toHaveLength(2);
  });

  test('With no-store, nothing is stored: every request reaches the API and the cache says pass.', async () => {
    const policy: Policy = { allowOrigin: 'reflect', responseHeaders: { 'Cache-Control': 'no-store' } };
    const key = servers.registry.register('unit-shared-cache-no-store', policy);
    await fetchThroughCache(key, servers.origins.page);
    const second = await fetchThroughCache(key, servers.origins.evil);
    expect(second.headers['access-control-allow-origin']).toBe(servers.origins.evil);
    expect(servers.ledger.entriesFor(key).map((e) => note(e))).toEqual([
      { cache: 'shared', outcome: 'pass', reachedApi: true },
      { cache: 'shared', outcome: 'pass', reachedApi: true },
    ]);
    expect(servers.sharedCache.apiLedger.entriesFor(key)).toHaveLength(2);
  });
});

test.describe('a middleware suite behind the shared cache', () => {
  const suite = (sharedCache: unknown, more: object = {}) => ({
    middleware: 'express-cors',
    label: 'behind-cache',
    options: () => ({ origin: 'http://a.localhost' }),
    optionsText: '{ origin: page }',
    intent: { origins: ['page'] },
    sharedCache,
    ...more,
  });
  function problemsOf(suites: readonly unknown[]): readonly string[] {
    try {
      loadMiddlewareCases(suites as readonly AnyMiddlewareSuite[]);
      return [];
    } catch (error) {
      if (error instanceof ScenarioError) return error.problems;
      throw error;
    }
  }

  const refusals: readonly { readonly title: string; readonly suite: unknown; readonly problem: RegExp }[] = [
    { title: 'a cache config that names no origin', suite: suite({ readers: [] }), problem: /field sharedCache\.readers: names no origin/ },
    { title: 'a cache config without readers', suite: suite({}), problem: /field sharedCache\.readers: / },
    { title: 'a cache config read from one origin only', suite: suite({ readers: ['page', 'page'] }), problem: /field sharedCache\.readers: names one origin only \(page\)/ },
    { title: 'a cache suite served elsewhere', suite: suite({ readers: ['evil', 'page'] }, { target: 'cross-site' }), problem: /field target: is "cross-site", but a suite behind the shared cache is served on the "shared-cache" origin/ },
  ];
  for (const refusal of refusals) {
    test(`Refused at load time, naming the field: ${refusal.title}.`, () => {
      const problems = problemsOf([refusal.suite]);
      expect(problems.some((p) => refusal.problem.test(p)), problems.join('\n')).toBe(true);
    });
  }

  test('Its cases are one sequence through the shared cache: each reader in order, held to what the intent means for it.', () => {
    const cases = loadMiddlewareCases([suite({ readers: ['evil', 'page', 'evil'] })] as readonly AnyMiddlewareSuite[]);
    expect(cases.map((c) => [c.from, c.to, c.sequence?.id, c.sequence?.step, c.expect.verdict])).toEqual([
      ['evil', 'shared-cache', 'express-cors-behind-cache', 0, 'blocked-at-response'],
      ['page', 'shared-cache', 'express-cors-behind-cache', 1, 'allowed'],
      ['evil', 'shared-cache', 'express-cors-behind-cache', 2, 'blocked-at-response'],
    ]);
  });
});
