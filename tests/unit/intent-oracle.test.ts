// An intent's expectation is the oracle's prediction for the exact request the harness sends, against a server that
// answers as the intent means; never an expectation the Fetch Standard does not make (issue 27 point 4).
import { test, expect } from '@playwright/test';
import { deriveProbes, intendedOutcome, probeRequest, type Intent } from '../../lib/model/intent.ts';
import type { RequestRow } from '../../lib/model/scenario.ts';
import { corsUnsafeRequestHeaderNames, isCorsSafelistedMethod, predict } from '../../lib/oracle/index.ts';

/** A small seeded generator (mulberry32): the same cases on every run, many combinations without a dependency. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const some = <T>(items: readonly T[]): T[] => items.filter(() => next() < 0.35);
  return { next, pick, some };
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'patch', 'OPTIONS', 'PROPFIND'] as const;
const HEADER_NAMES = ['Content-Type', 'Accept', 'Accept-Language', 'Content-Language', 'Authorization', 'X-Api-Key', 'X-Requested-With'] as const;
/** Safelisted names with safelisted and unsafelisted values, and unsafelisted names. */
const HEADER_LINES: readonly (readonly [string, string])[] = [
  ['Content-Type', 'text/plain'],
  ['Content-Type', 'application/x-www-form-urlencoded'],
  ['Content-Type', 'application/json'],
  ['Content-Type', 'text/plain; charset=utf-8'],
  ['Accept', 'application/json'],
  ['Accept', 'text/html, application/json;q=0.9'],
  ['Accept', 'application/{json}'],
  ['Accept', 'a'.repeat(129)],
  ['Accept-Language', 'en-GB'],
  ['Accept-Language', 'en@x'],
  ['Content-Language', 'de'],
  ['Authorization', 'Bearer t'],
  ['X-Api-Key', 'k'],
];
const CREDENTIALS = ['omit', 'same-origin', 'include'] as const;

function generatedIntent(g: ReturnType<typeof generator>): Omit<Intent, 'origins' | 'outsiders'> {
  return {
    methods: g.some(METHODS.filter((m) => !['GET', 'HEAD'].includes(m))),
    headers: g.some(HEADER_NAMES),
    credentials: g.next() < 0.5,
    exposedHeaders: g.some(['X-Total', 'X-Request-Id']),
  };
}

/** What the intent means, stated from the standard's rules by hand: the oracle must agree with it. */
function meant(intent: Omit<Intent, 'origins' | 'outsiders'>, mayRead: boolean, request: RequestRow): { verdict: string; preflight: boolean } {
  const unsafe = corsUnsafeRequestHeaderNames(Object.entries(request.headers ?? {})).names;
  const preflight = !isCorsSafelistedMethod(request.method) || unsafe.length > 0;
  const credentialed = (request.credentials ?? 'same-origin') === 'include';
  if (preflight) {
    const allowsMethod = isCorsSafelistedMethod(request.method) || (intent.methods ?? []).includes(request.method);
    const allowsHeaders = unsafe.every((name) => (intent.headers ?? []).some((h) => h.toLowerCase() === name));
    const credentialsOk = !credentialed || intent.credentials === true;
    if (!mayRead || !allowsMethod || !allowsHeaders || !credentialsOk) return { verdict: 'blocked-at-preflight', preflight };
  }
  if (!mayRead || (credentialed && intent.credentials !== true)) return { verdict: 'blocked-at-response', preflight };
  return { verdict: 'allowed', preflight };
}

test.describe('intent expectations come from the oracle', () => {
  test('every derived probe: expectation = oracle(the request the harness sends), for 400 generated intents', () => {
    const g = generator(27);
    let probes = 0;
    const seen = new Set<string>();
    // Collected and asserted once: one Playwright `expect` per probe (8,000 of them, each a reported step) made this
    // test take 50 s in CI; the comparison is the same.
    const wrong: string[] = [];
    const same = (a: object, b: object): boolean => JSON.stringify(a) === JSON.stringify(b);
    for (let i = 0; i < 400; i++) {
      const intent = generatedIntent(g);
      const tried: [string, boolean][] = [['https://app.example', true], ['https://evil.example', false], ['null', g.next() < 0.5]];
      // Half as the middleware suites derive them, half as your own server's audit (writes as the page sends them).
      const rows = deriveProbes(intent, tried, i % 2 === 0 ? 'omit' : 'as-the-page-sends');
      for (const row of rows) {
        const mayRead = new Map(tried).get(row.from) === true;
        const sent = probeRequest(row.request, row.from);
        const where = () => `${JSON.stringify(intent)} ${row.probe} ${row.request.method} ${JSON.stringify(row.request.headers ?? {})} ${row.request.credentials} from ${row.from}`;
        const expected = { verdict: row.expect.verdict, preflight: row.expect.preflight };
        const intended = meant(intent, mayRead, row.request);
        if (!same(expected, intended)) wrong.push(`${where()}: row expects ${JSON.stringify(expected)}, the intent means ${JSON.stringify(intended)}`);
        // The harness sends exactly this request: the oracle's own prediction for it is what the row expects.
        const { verdict, preflightSent } = predict({ request: sent, preflight: { status: 204, headers: [] }, response: { status: 200, headers: [] } });
        if (!mayRead && !same(expected, { verdict, preflight: preflightSent })) wrong.push(`${where()}: row expects ${JSON.stringify(expected)}, the oracle predicts ${JSON.stringify({ verdict, preflight: preflightSent })}`);
        seen.add(`${row.request.method} ${row.expect.preflight} ${row.expect.verdict}`);
        probes++;
      }
    }
    expect(wrong).toEqual([]);
    expect(probes).toBeGreaterThan(3000);
    // The generator reached the cases that matter: an intended POST and a GET read without a preflight, refused outsiders both ways.
    for (const must of ['POST false allowed', 'GET false allowed', 'POST false blocked-at-response', 'PUT true blocked-at-preflight', 'GET true allowed']) expect(seen).toContain(must);
  });

  test('generated requests: methods, safelisted names with safelisted and unsafelisted values, credentials both ways', () => {
    const g = generator(30);
    const seen = new Set<string>();
    for (let i = 0; i < 3000; i++) {
      const intent = generatedIntent(g);
      const lines = g.some(HEADER_LINES);
      const request: RequestRow = { method: g.pick(METHODS), headers: Object.fromEntries(lines), credentials: g.pick(CREDENTIALS) };
      const mayRead = g.next() < 0.7;
      const from = g.next() < 0.2 ? 'null' : 'https://app.example';
      const got = intendedOutcome(intent, mayRead, from, request);
      expect({ verdict: got.verdict, preflight: got.preflightSent }, `${JSON.stringify(intent)} ${JSON.stringify(request)} mayRead ${mayRead}`).toEqual(meant(intent, mayRead, request));
      seen.add(`${got.preflightSent}:${lines.map(([n]) => n).join(',')}`);
    }
    // Safelisted values alone send no preflight; an unsafelisted value of a safelisted name does.
    expect(intendedOutcome({}, true, 'https://app.example', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, credentials: 'omit' })).toEqual({ verdict: 'allowed', preflightSent: false });
    expect(intendedOutcome({}, true, 'https://app.example', { method: 'POST', headers: { 'Content-Type': 'application/json' }, credentials: 'omit' })).toEqual({ verdict: 'blocked-at-preflight', preflightSent: true });
    expect(intendedOutcome({ headers: ['Content-Type'] }, true, 'https://app.example', { method: 'POST', headers: { 'Content-Type': 'application/json' }, credentials: 'include' })).toEqual({ verdict: 'blocked-at-preflight', preflightSent: true });
    expect(intendedOutcome({ headers: ['Content-Type'], credentials: true }, true, 'https://app.example', { method: 'POST', headers: { 'Content-Type': 'application/json' }, credentials: 'include' })).toEqual({ verdict: 'allowed', preflightSent: true });
    expect(intendedOutcome({}, true, 'https://app.example', { method: 'GET', headers: { Accept: 'a'.repeat(129) }, credentials: 'omit' }).preflightSent).toBe(true);
    expect(intendedOutcome({}, true, 'https://app.example', { method: 'GET', headers: { Accept: 'application/{json}' }, credentials: 'omit' }).preflightSent).toBe(true);
    expect(seen.size).toBeGreaterThan(50);
  });

  test('issue 27: an intended POST without a custom header is expected to reach the server without a preflight', () => {
    const rows = deriveProbes({ methods: ['POST', 'PATCH', 'DELETE'], headers: ['Content-Type'], credentials: true }, [['https://todos.example', true], ['https://evil.test', false]] as const);
    const post = rows.find((r) => r.probe === 'intended-method' && r.request.method === 'POST' && r.from === 'https://todos.example');
    expect(post?.expect).toMatchObject({ verdict: 'allowed', preflight: false });
    const outsiderPost = rows.find((r) => r.probe === 'intended-method' && r.from === 'https://evil.test');
    expect(outsiderPost?.expect).toMatchObject({ verdict: 'blocked-at-response', preflight: false });
    const patch = rows.find((r) => r.probe === 'intended-method' && r.request.method === 'PATCH');
    expect(patch?.expect).toMatchObject({ verdict: 'allowed', preflight: true });
  });

  test("issue 27: your own server's writes are probed as the page sends them, with and without the session, from every origin", () => {
    const tried = [['https://todos.example', true], ['https://evil.test', false]] as const;
    const rows = deriveProbes({ methods: ['POST', 'PATCH', 'DELETE'], credentials: true }, tried, 'as-the-page-sends');
    const writes = (probe: string, from: string) => rows.filter((r) => r.probe === probe && r.from === from).map((r) => `${r.request.method} ${r.request.credentials} ${r.expect.verdict}`);
    expect(writes('credentialed-method', 'https://todos.example')).toEqual(['POST include allowed', 'PATCH include allowed', 'DELETE include allowed']);
    expect(writes('credentialed-method', 'https://evil.test')).toEqual(['POST include blocked-at-response', 'PATCH include blocked-at-preflight', 'DELETE include blocked-at-preflight']);
    expect(writes('intended-method', 'https://evil.test')).toEqual(['POST omit blocked-at-response', 'PATCH omit blocked-at-preflight', 'DELETE omit blocked-at-preflight']);
    // Without credentials in the intent there is no credentialed write; the middleware suites keep one outsider write.
    expect(deriveProbes({ methods: ['PUT'] }, tried, 'as-the-page-sends').some((r) => r.probe === 'credentialed-method')).toBe(false);
    expect(deriveProbes({ methods: ['PUT', 'PATCH'], credentials: true }, tried).filter((r) => r.from === 'https://evil.test' && r.probe.endsWith('-method')).length).toBe(1);
  });
});
