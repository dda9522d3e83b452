import { test, expect } from '@playwright/test';
import type { LedgerEntry } from '../../lib/model/ledger.ts';
import type { ClassifyContext } from '../../lib/judge/outcome.ts';
import { describeRefusedRedirect, refusedRedirectOf } from '../../lib/judge/refused-redirect.ts';
import { classify } from './classify.ts';

// Firefox words a refused user:pass@ redirect as it words a refused connection (both measured on 153 ESR); only the
// wire tells them apart: the redirect answered in full, and no request at its Location on the server that answered.
const PAGE = 'http://a.localhost:8001';
const API = 'http://b.localhost:8001';
const PATH = '/api/redirects-032-x-32';
const LOCATION = `http://user:pass@b.localhost:8001${PATH}/hop/1`;
const FIREFOX_LINE = `console: Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ${API}${PATH}. (Reason: CORS request did not succeed). Status code: (null).`;

function redirect(overrides: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    at: 20,
    kind: 'actual',
    method: 'GET',
    target: API,
    path: PATH,
    origin: PAGE,
    accessControlRequestMethod: undefined,
    accessControlRequestHeaders: undefined,
    cookies: [],
    handlerRan: true,
    answered: true,
    status: 302,
    responseHeaders: [
      { name: 'Access-Control-Allow-Origin', value: '*' },
      { name: 'Location', value: LOCATION },
    ],
    ...overrides,
  };
}

const RULE = 'redirect-location-credentials';

test('a redirect answered in full, nothing at its Location, and the engine saying it blocked: the engine refused to follow it', () => {
  expect(refusedRedirectOf([redirect()], [FIREFOX_LINE], RULE)).toEqual({ kind: 'redirect-not-followed', status: 302, location: LOCATION, said: FIREFOX_LINE });
  // Same-origin first hop, cross-site Location on the same port (the harness's one server answers every *.localhost name).
  const sameOrigin = redirect({ target: PAGE, origin: undefined, responseHeaders: [{ name: 'Location', value: LOCATION }] });
  expect(refusedRedirectOf([sameOrigin], [FIREFOX_LINE], RULE)?.status).toBe(302);
});

test('nothing is claimed where the wire cannot rule out a network failure, or the engine did not say it blocked', () => {
  const cases: [string, LedgerEntry[], string[], Parameters<typeof refusedRedirectOf>[2]][] = [
    ['the engine said nothing', [redirect()], [], RULE],
    ['the engine followed: its request reached the Location', [redirect(), redirect({ at: 25, path: `${PATH}/hop/1`, status: 200, responseHeaders: [] })], [FIREFOX_LINE], RULE],
    ['the redirect was cut off on the wire', [redirect({ cutOff: true })], [FIREFOX_LINE], RULE],
    ['the redirect was never answered', [redirect({ answered: false, status: 0, responseHeaders: [] })], [FIREFOX_LINE], RULE],
    ['the Location is on another port, whose arrivals this server would not see', [redirect({ responseHeaders: [{ name: 'Location', value: 'http://user:pass@b.localhost:9999/x' }] })], [FIREFOX_LINE], RULE],
    ['the answer is no redirect', [redirect({ status: 200 })], [FIREFOX_LINE], RULE],
    ['the oracle puts the block down to another rule', [redirect()], [FIREFOX_LINE], 'allow-origin-missing'],
    ['redirect mode "error" is no refusal to follow under CORS', [redirect()], [FIREFOX_LINE], 'redirect-mode-error'],
    ['the oracle did not block', [redirect()], [FIREFOX_LINE], undefined],
  ];
  for (const [why, ledger, reasons, rule] of cases) expect(refusedRedirectOf(ledger, reasons, rule), why).toBeUndefined();
});

test('the judge counts the refusal as the engine confirming the block, and keeps it typed on the block', () => {
  const context: ClassifyContext = {
    request: { origin: PAGE, url: `${API}${PATH}`, method: 'GET', headers: [], credentials: 'same-origin', mode: 'cors' },
    engineReasons: [FIREFOX_LINE],
  };
  const report = { kind: 'rejected', name: 'TypeError', message: 'NetworkError when attempting to fetch resource.' } as const;
  const outcome = classify(report, [redirect()], [], context);
  expect(outcome.verdict).toBe('blocked-at-response');
  expect(outcome.block?.confirmedBy).toEqual(['oracle', 'engine']);
  expect(outcome.block?.oracleRule).toBe(RULE);
  expect(outcome.block?.engineReason).toBeUndefined();
  expect(outcome.block?.engineRefusal?.location).toBe(LOCATION);
  // Without the wire's word (a connection refused before anything arrived), the same line confirms nothing.
  expect(classify(report, [], [], context).verdict).not.toMatch(/^blocked/);
  expect(describeRefusedRedirect(outcome.block!.engineRefusal!)).toMatch(/^refused to follow the 302 redirect the server answered in full/);
});
