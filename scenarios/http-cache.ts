import type { CaseRow, StatedExpectation } from '../lib/model/scenario.ts';
import { defineScenarios } from '../lib/model/scenario.ts';
import type { OriginName } from '../lib/model/origins.ts';
import type { Policy } from '../lib/model/policy.ts';

// One URL, fetched from one origin and then from another of the same site (so both share the engine's HTTP cache
// partition), in one engine. The server echoes the Origin into Allow-Origin and lets the response be cached: without
// `Vary: Origin` the cache may hand the first origin's Allow-Origin to the second. What an engine's HTTP cache does
// is RFC 9111 and engine policy, not the Fetch Standard's CORS steps: from the second step on the oracle is silent.
interface Step {
  readonly from: OriginName;
  readonly label: string;
  readonly expect?: StatedExpectation;
  readonly afterMs?: number;
}

function sequence(id: string, server: string, policy: Policy, steps: readonly Step[]): CaseRow[] {
  return steps.map((step) => ({
    server: `${server}, ${id}: ${step.label}`,
    from: step.from,
    to: 'cross-site',
    request: { method: 'GET' },
    policy,
    ...(step.expect && { expect: step.expect }),
    sequence: { id, ...(step.afterMs !== undefined && { afterMs: step.afterMs }) },
  }));
}

const CACHED = { 'Cache-Control': 'public, max-age=60' } as const;

export default defineScenarios({
  family: 'http-cache',
  proves: 'a cacheable response that echoes the Origin without Vary: Origin is served from the HTTP cache to the next origin with the wrong Allow-Origin; Vary: Origin or revalidation sends a fresh request',
  cases: [
    // Without Vary: Origin, the first origin's response is stored. (The steps that follow are served from the cache
    // without any request reaching the server, which the verdicts cannot name yet: see commit cfb903e for those rows.)
    ...sequence('no-vary', 'echoes the origin, cacheable for 60 s, no Vary', { allowOrigin: 'reflect', responseHeaders: CACHED }, [{ from: 'page', label: 'first, from the page' }]),
    // With Vary: Origin the cache keys the response by Origin: the second origin gets its own request and its own Allow-Origin.
    ...sequence('vary-origin', 'echoes the origin, cacheable for 60 s, Vary: Origin', { allowOrigin: 'reflect', vary: true, responseHeaders: CACHED }, [
      { from: 'page', label: 'first, from the page' },
      { from: 'same-site', label: 'then from same-site', expect: { verdict: 'allowed', preflight: false, why: 'Vary: Origin makes the cached response unusable for another Origin: a new request, answered for same-site' } },
      { from: 'page', label: 'then from the page again', expect: { verdict: 'allowed', preflight: false, why: 'the page origin is served as before' } },
    ]),
    // Nothing stored, or nothing reusable: every origin's request reaches the server and gets its own Allow-Origin.
    ...sequence('no-store', 'echoes the origin, no-store', { allowOrigin: 'reflect', responseHeaders: { 'Cache-Control': 'no-store' } }, [
      { from: 'page', label: 'first, from the page' },
      { from: 'same-site', label: 'then from same-site', expect: { verdict: 'allowed', preflight: false, why: 'no-store: nothing was kept, a new request is answered for same-site' } },
    ]),
    ...sequence('vary-star', 'echoes the origin, cacheable for 60 s, Vary: *', { allowOrigin: 'reflect', vary: '*', responseHeaders: CACHED }, [
      { from: 'page', label: 'first, from the page' },
      { from: 'same-site', label: 'then from same-site', expect: { verdict: 'allowed', preflight: false, why: 'Vary: * never matches a stored response: a new request' } },
    ]),
    ...sequence('vary-origin-list', 'allows the page and same-site, cacheable for 60 s, Vary: Origin', { allowOrigin: { list: ['page', 'same-site'] }, vary: true, responseHeaders: CACHED }, [
      { from: 'page', label: 'first, from the page' },
      { from: 'same-site', label: 'then from same-site', expect: { verdict: 'allowed', preflight: false, why: 'Vary: Origin: same-site gets its own request and its own Allow-Origin' } },
      { from: 'evil', label: 'then from evil', expect: { verdict: 'blocked-at-response', preflight: false, why: 'Vary: Origin: evil gets its own request, and the list refuses it' } },
    ]),
    // Revalidation on every use (no-cache + ETag): each request reaches the server, which answers 304 with the right Allow-Origin.
    ...sequence('revalidate', 'echoes the origin, no-cache with an ETag', { allowOrigin: 'reflect', revalidate: true, responseHeaders: { 'Cache-Control': 'no-cache', ETag: '"cm-1"' } }, [
      { from: 'page', label: 'first, from the page' },
      { from: 'same-site', label: 'then from same-site', expect: { verdict: 'allowed', preflight: false, why: 'no-cache makes the engine revalidate: the 304 carries Allow-Origin for same-site, which updates the stored response' } },
      { from: 'page', label: 'then from the page again', expect: { verdict: 'allowed', preflight: false, why: 'revalidated again, with the page origin' } },
    ]),
    // max-age=0 with an ETag: stale at once, so every use is revalidated (a conditional request, answered 304).
    ...sequence('stale-etag', 'echoes the origin, max-age=0 with an ETag', { allowOrigin: 'reflect', revalidate: true, responseHeaders: { 'Cache-Control': 'max-age=0', ETag: '"cm-2"' } }, [
      { from: 'page', label: 'first, from the page' },
      { from: 'same-site', label: 'then from same-site', expect: { verdict: 'allowed', preflight: false, why: 'stale: the engine revalidates, and the 304 carries Allow-Origin for same-site' } },
    ]),
  ],
});
