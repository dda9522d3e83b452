import type { CaseRow, RequestRow, StatedExpectation } from '../lib/model/scenario.ts';
import { defineScenarios } from '../lib/model/scenario.ts';
import type { Policy } from '../lib/model/policy.ts';

// Rows of one sequence share one URL and the first row's policy, and run in order in one engine: the preflight cache
// each step leaves behind is what the next one meets. The oracle chains the cache from step to step, by the standard
// and by each engine's own cache (lib/oracle/cache.ts ENGINE_PREFLIGHT_CACHES); waits are real time (afterMs).
interface Step {
  readonly label: string;
  readonly request?: RequestRow;
  readonly afterMs?: number;
  readonly expect?: StatedExpectation;
}

const PUT: RequestRow = { method: 'PUT' };

function sequence(id: string, server: string, policy: Policy, steps: readonly Step[]): CaseRow[] {
  return steps.map((step, i) => ({
    server: `${server}, ${id} step ${i + 1}: ${step.label}`,
    to: 'cross-site',
    request: step.request ?? PUT,
    policy,
    ...(step.expect && { expect: step.expect }),
    sequence: { id, ...(step.afterMs !== undefined && { afterMs: step.afterMs }) },
  }));
}

const allowsPut = (maxAge?: number | string): Policy => ({ allowOrigin: '*', allowMethods: ['PUT'], ...(maxAge !== undefined && { maxAge }) });

export default defineScenarios({
  family: 'preflight-cache',
  proves: 'Access-Control-Max-Age decides whether a repeated request skips its preflight, only for the method, headers and credentials mode that were allowed',
  cases: [
    // Max-Age 600: a second request inside the window sends no preflight.
    ...sequence('max-age-600', 'allows PUT for 600 s', allowsPut(600), [{ label: 'first' }, { label: 'again at once' }, { label: 'again after 1 s', afterMs: 1000 }]),
    // No Max-Age: the default is 5 s, so a request at once is served from the cache and one after 6 s is preflighted again.
    ...sequence('max-age-absent', 'allows PUT without Max-Age', allowsPut(), [{ label: 'first' }, { label: 'again at once' }, { label: 'again after 6 s', afterMs: 6000 }]),
    // Max-Age 0 and negative values cache nothing.
    ...sequence('max-age-0', 'allows PUT with Max-Age 0', allowsPut(0), [{ label: 'first' }, { label: 'again at once' }]),
    ...sequence('max-age-negative', 'allows PUT with Max-Age -1', allowsPut(-1), [{ label: 'first' }, { label: 'again at once' }]),
    // An unparseable Max-Age is treated like none (the 5 s default). Firefox caches nothing: its own rule in the oracle
    // (lib/model/engine-deviations.ts), so "again at once" is preflighted again there.
    ...sequence('max-age-invalid', 'allows PUT with Max-Age "abc"', allowsPut('abc'), [{ label: 'first' }, { label: 'again at once' }]),
    // A short Max-Age expires between two requests further apart. 3 s, not 1 s: "again at once" must fall inside the
    // window on a loaded CI machine too (with 1 s, Firefox once preflighted "at once" because the step came > 1 s later).
    ...sequence('max-age-3', 'allows PUT with Max-Age 3', allowsPut(3), [{ label: 'first' }, { label: 'again at once' }, { label: 'again after 3.5 s', afterMs: 3500 }]),
    // Beyond every engine's cap (Chromium 2 h, Firefox 24 h, WebKit 10 min): cached now; the caps themselves cannot be waited out here.
    ...sequence('max-age-beyond-caps', 'allows PUT for 30 days', allowsPut(2_592_000), [{ label: 'first' }, { label: 'again at once' }]),
    // A method outside the cached entry needs a preflight of its own, which fails here. (Whether PUT is preflighted
    // again afterwards is not here: WebKitGTK 2.50 answered both ways in three runs.)
    ...sequence('other-method', 'allows PUT only, for 600 s', allowsPut(600), [{ label: 'PUT first' }, { label: 'DELETE', request: { method: 'DELETE' } }]),
    // A header outside the cached entry needs a new preflight.
    ...sequence('other-header', 'allows X-A only, for 600 s', { allowOrigin: '*', allowHeaders: ['X-A'], maxAge: 600 }, [
      { label: 'X-A first', request: { method: 'GET', headers: { 'X-A': '1' } } },
      { label: 'X-A again', request: { method: 'GET', headers: { 'X-A': '1' } } },
      { label: 'X-B', request: { method: 'GET', headers: { 'X-B': '1' } } },
    ]),
    // An entry stored by a request without credentials does not serve one with credentials (and the reverse).
    ...sequence('credentials', 'allows PUT for the page with credentials, for 600 s', { allowOrigin: 'reflect', allowCredentials: true, allowMethods: ['PUT'], maxAge: 600 }, [
      { label: 'omitting credentials', request: { method: 'PUT', credentials: 'omit' } },
      { label: 'including credentials', request: { method: 'PUT', credentials: 'include' } },
      { label: 'including credentials again', request: { method: 'PUT', credentials: 'include' } },
    ]),
    // The cache is keyed by the requesting origin: another origin's request is preflighted on its own.
    ...sequence('other-origin', 'allows PUT for 600 s to any origin', allowsPut(600), [{ label: 'from the page' }]),
    { server: 'allows PUT for 600 s to any origin, other-origin step 2: from other-port', from: 'other-port', to: 'cross-site', request: PUT, policy: allowsPut(600), sequence: { id: 'other-origin' } },
    { server: 'allows PUT for 600 s to any origin, other-origin step 3: from the page again', to: 'cross-site', request: PUT, policy: allowsPut(600), sequence: { id: 'other-origin' } },
  ],
});
