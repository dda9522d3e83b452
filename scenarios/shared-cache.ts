import type { CaseRow, StatedExpectation } from '../lib/model/scenario.ts';
import { defineScenarios } from '../lib/model/scenario.ts';
import type { OriginName } from '../lib/model/origins.ts';
import type { Policy } from '../lib/model/policy.ts';

// One URL behind a real shared cache (varnishd, servers/assets/shared-cache.vcl), read first from one origin and then from
// another site. The first read's answer is stored; whether the second origin is handed that answer — with the first
// origin's Allow-Origin in it — is RFC 9111's to say: without Vary: Origin nothing tells the cache the answer depends
// on the Origin. The oracle predicts each step with a model of the cache (lib/oracle/shared-cache.ts) and the Fetch
// Standard's CORS check on whatever the cache hands over; the ledger says which answers the API really sent and which
// the cache served, stored for which origin (LedgerEntry.servedBy).
//
// `s-maxage` only: a shared cache may keep the answer for 60 s, an engine's own (private) cache may not reuse it, so
// what a later step gets is the shared cache's doing alone. The origins are different sites, so no engine's
// partitioned HTTP cache is shared between them either.
interface Step {
  readonly from: OriginName;
  readonly label: string;
  readonly credentials?: RequestCredentials;
  readonly expect?: StatedExpectation;
}

function sequence(id: string, server: string, policy: Policy, steps: readonly Step[]): CaseRow[] {
  return steps.map((step) => ({
    server: `${server}, ${id}: ${step.label}`,
    from: step.from,
    to: 'shared-cache',
    request: { method: 'GET', ...(step.credentials && { credentials: step.credentials }) },
    policy,
    ...(step.expect && { expect: step.expect }),
    sequence: { id },
  }));
}

const SHARED = { 'Cache-Control': 'public, s-maxage=60' } as const;

export default defineScenarios({
  family: 'shared-cache',
  proves:
    'a shared cache hands an answer stored for one origin to the next unless the answer varies on Origin: a reflected Allow-Origin without Vary: Origin blocks the second origin (or, from an allow-list, the legitimate one), while Vary: Origin, "*", no-store, private or no freshness keep every origin\'s answer its own',
  cases: [
    // The poisoning: origin A's answer, with A's Allow-Origin, is stored and served to origin B, which is blocked.
    ...sequence('reflect-no-vary', 'echoes the origin, s-maxage=60, no Vary', { allowOrigin: 'reflect', responseHeaders: SHARED }, [
      { from: 'page', label: 'first from the page (stored)' },
      { from: 'evil', label: 'then from evil (served what was stored for the page)' },
    ]),
    // Vary: Origin keys the stored answer by Origin: every origin gets its own answer, and a repeat is served its own.
    ...sequence('reflect-vary', 'echoes the origin, s-maxage=60, Vary: Origin', { allowOrigin: 'reflect', vary: true, responseHeaders: SHARED }, [
      { from: 'page', label: 'first from the page (stored)' },
      { from: 'evil', label: 'then from evil (its own answer)' },
      { from: 'page', label: 'then from the page again (served its own stored answer)' },
    ]),
    // An allow-list that answers outsiders without Allow-Origin, no Vary: the outsider's answer is stored and served
    // to the allowed origin, which is now blocked (expressjs/cors#106: a rejected origin poisoned a CDN).
    ...sequence('list-outsider-first', 'allows the page only, s-maxage=60, no Vary', { allowOrigin: { list: ['page'] }, responseHeaders: SHARED }, [
      { from: 'evil', label: 'first from evil (answered without Allow-Origin, stored)' },
      { from: 'page', label: 'then from the page (served the answer stored for evil)' },
    ]),
    ...sequence('list-outsider-first-vary', 'allows the page only, s-maxage=60, Vary: Origin', { allowOrigin: { list: ['page'] }, vary: true, responseHeaders: SHARED }, [
      { from: 'evil', label: 'first from evil (answered without Allow-Origin, stored)' },
      { from: 'page', label: 'then from the page (its own answer)' },
    ]),
    // "*" does not depend on the Origin: serving the stored answer to anyone is right, no Vary needed.
    ...sequence('wildcard', 'allows any origin, s-maxage=60, no Vary', { allowOrigin: '*', responseHeaders: SHARED }, [
      { from: 'page', label: 'first from the page (stored)' },
      { from: 'evil', label: 'then from evil (served the stored "*")' },
    ]),
    // Credentialed: the stored answer names the page and allows credentials; evil's credentialed read gets it.
    ...sequence('credentialed-no-vary', 'echoes the origin with credentials, s-maxage=60, no Vary', { allowOrigin: 'reflect', allowCredentials: true, responseHeaders: SHARED }, [
      { from: 'page', credentials: 'include', label: 'first from the page with credentials (stored)' },
      { from: 'same-site', credentials: 'include', label: 'then from same-site with credentials (served what was stored for the page)' },
    ]),
    ...sequence('credentialed-vary', 'echoes the origin with credentials, s-maxage=60, Vary: Origin', { allowOrigin: 'reflect', allowCredentials: true, vary: true, responseHeaders: SHARED }, [
      { from: 'page', credentials: 'include', label: 'first from the page with credentials (stored)' },
      { from: 'same-site', credentials: 'include', label: 'then from same-site with credentials (its own answer)' },
    ]),
    // "*" stored by a read without credentials, then read with credentials: the stored "*" fails the credentials check.
    ...sequence('wildcard-then-credentialed', 'allows any origin, s-maxage=60, no Vary', { allowOrigin: '*', responseHeaders: SHARED }, [
      { from: 'page', label: 'first from the page without credentials (stored)' },
      { from: 'evil', credentials: 'include', label: 'then from evil with credentials (served the stored "*")' },
    ]),
    // Cache-Control that forbids storing, or gives no freshness: nothing is kept, every origin's read reaches the API.
    ...sequence('no-store', 'echoes the origin, no-store, no Vary', { allowOrigin: 'reflect', responseHeaders: { 'Cache-Control': 'no-store' } }, [
      { from: 'page', label: 'first from the page (not stored)' },
      { from: 'evil', label: 'then from evil (its own answer)' },
    ]),
    ...sequence('private', 'echoes the origin, private, no Vary', { allowOrigin: 'reflect', responseHeaders: { 'Cache-Control': 'private' } }, [
      { from: 'page', label: 'first from the page (not stored by a shared cache)' },
      { from: 'evil', label: 'then from evil (its own answer)' },
    ]),
    ...sequence('no-freshness', 'echoes the origin, no Cache-Control, no Vary', { allowOrigin: 'reflect' }, [
      { from: 'page', label: 'first from the page (no freshness, not stored)' },
      { from: 'evil', label: 'then from evil (its own answer)' },
    ]),
  ],
});
