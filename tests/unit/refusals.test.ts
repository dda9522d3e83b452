// The judge's refusals other than mixed content (tests/unit/mixed-content.test.ts): a bad port and Local Network
// Access denied are blocked-before-sending only with all of their evidence; anything less stays a harness error.
import { expect, test } from '@playwright/test';
import { classify } from './classify.ts';
import { describeRefusal, isBadPort, refusalOf } from '../../lib/judge/refusals.ts';
import type { LedgerEntry, ServerFault } from '../../lib/model/ledger.ts';
import type { PageReport } from '../../lib/model/page-report.ts';
import { ORIGINS } from '../../lib/model/origins.ts';
import { beforeSending, oracleRequestOf } from '../../lib/judge/recorded-oracle.ts';

const REJECTED: PageReport = { kind: 'rejected', name: 'TypeError', message: 'Failed to fetch' };
const PUBLIC = `http://${ORIGINS.public.host}:41255`;
const LOOPBACK_URL = 'http://b.localhost:35125/api/k-11';
const CHROMIUM_LNA = "console: Access to fetch at 'http://b.localhost:35125/api/k-11' from origin 'http://public.localhost:41255' has been blocked by CORS policy: Permission was denied for this request to access the `loopback` address space.";
const FIREFOX_FAILED = 'console: Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://b.localhost:34709/api/k-11. (Reason: CORS request did not succeed). Status code: (null).';
const ARRIVED = { kind: 'actual', method: 'GET', status: 200, answered: true } as LedgerEntry;
const FAULT: ServerFault = { at: 1, message: 'the server could not parse a request', key: 'k-11', code: 'unparseable-request' };

test('the Fetch Standard\'s bad ports, and only those', () => {
  expect(['http://127.0.0.1:6000/x', 'http://localhost:10080/', 'https://a.test:25/', 'ws://127.0.0.1:6666/'].map(isBadPort)).toEqual([true, true, true, true]);
  expect(['http://127.0.0.1:8080/x', 'http://localhost/', 'https://a.test:443/', 'http://127.0.0.1:6001/'].map(isBadPort)).toEqual([false, false, false, false]);
});

test.describe('a refusal needs all of its evidence', () => {
  const ROWS: readonly { name: string; report?: PageReport; ledger?: readonly LedgerEntry[]; faults?: readonly ServerFault[]; request?: { origin: string; url: string }; reasons?: readonly string[]; refusal: object | undefined }[] = [
    { name: 'Chromium names Local Network Access', reasons: [CHROMIUM_LNA], refusal: { kind: 'local-network-access', pageOrigin: PUBLIC, requestUrl: LOOPBACK_URL, standard: 'engine-policy', engineReason: CHROMIUM_LNA } },
    { name: 'Chromium\'s DevTools code alone, from any page', request: { origin: 'http://a.localhost:1', url: LOOPBACK_URL }, reasons: ['devtools: corsErrorStatus LocalNetworkAccessPermissionDenied for http://b.localhost:35125/api/k-11'], refusal: { kind: 'local-network-access', pageOrigin: 'http://a.localhost:1', requestUrl: LOOPBACK_URL, standard: 'engine-policy', engineReason: 'devtools: corsErrorStatus LocalNetworkAccessPermissionDenied for http://b.localhost:35125/api/k-11' } },
    { name: 'a WebSocket Chromium refused', reasons: ["console: WebSocket connection to 'ws://b.localhost:35125/api/k-11' failed: Error in connection establishment: net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS"], refusal: { kind: 'local-network-access', pageOrigin: PUBLIC, requestUrl: LOOPBACK_URL, standard: 'engine-policy', engineReason: "console: WebSocket connection to 'ws://b.localhost:35125/api/k-11' failed: Error in connection establishment: net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS" } },
    { name: 'Firefox\'s network failure from the public (denied) origin to loopback', reasons: [FIREFOX_FAILED], refusal: { kind: 'local-network-access', pageOrigin: PUBLIC, requestUrl: LOOPBACK_URL, standard: 'engine-policy', engineReason: FIREFOX_FAILED } },
    { name: 'the same network failure from an ordinary loopback page is no refusal', request: { origin: 'http://a.localhost:1', url: LOOPBACK_URL }, reasons: [FIREFOX_FAILED], refusal: undefined },
    { name: 'the same from the public origin to a public URL is no refusal', request: { origin: PUBLIC, url: 'http://api.example.test/x' }, reasons: [FIREFOX_FAILED], refusal: undefined },
    { name: 'a bad port, with Chromium\'s words', request: { origin: 'http://a.localhost:1', url: 'http://127.0.0.1:6000/api/k-11' }, reasons: ['devtools: net::ERR_UNSAFE_PORT for http://127.0.0.1:6000/api/k-11'], refusal: { kind: 'bad-port', pageOrigin: 'http://a.localhost:1', requestUrl: 'http://127.0.0.1:6000/api/k-11', standard: 'bad-port', engineReason: 'devtools: net::ERR_UNSAFE_PORT for http://127.0.0.1:6000/api/k-11' } },
    { name: 'a bad port without words: the standard says it', request: { origin: 'http://a.localhost:1', url: 'http://127.0.0.1:10080/x' }, reasons: [], refusal: { kind: 'bad-port', pageOrigin: 'http://a.localhost:1', requestUrl: 'http://127.0.0.1:10080/x', standard: 'bad-port' } },
    { name: 'something arrived', ledger: [ARRIVED], reasons: [CHROMIUM_LNA], refusal: undefined },
    { name: 'a server fault for the case', faults: [FAULT], reasons: [CHROMIUM_LNA], refusal: undefined },
    { name: 'not a network error', report: { kind: 'rejected', name: 'AbortError', message: 'aborted' }, reasons: [CHROMIUM_LNA], refusal: undefined },
  ];
  for (const row of ROWS) {
    test(row.name, () => {
      const request = row.request ?? { origin: PUBLIC, url: LOOPBACK_URL };
      expect(refusalOf(row.report ?? REJECTED, row.ledger ?? [], row.faults ?? [], beforeSending(request.origin, request.url), row.reasons ?? [])).toEqual(row.refusal);
    });
  }
});

test('classify makes a Local Network Access refusal blocked-before-sending, and the report names it', () => {
  const request = oracleRequestOf({ requestOrigin: PUBLIC, url: LOOPBACK_URL, request: { method: 'GET', headers: {}, body: null, credentials: 'same-origin', mode: 'cors', redirect: 'follow' } });
  const outcome = classify(REJECTED, [], [], { request, engineReasons: [CHROMIUM_LNA] });
  expect([outcome.verdict, outcome.refusal?.kind, outcome.harnessCode]).toEqual(['blocked-before-sending', 'local-network-access', undefined]);
  expect(outcome.refusal && describeRefusal(outcome.refusal)).toContain('Local Network Access was not granted');
  // Without the evidence it stays a harness error: an ordinary page whose fetch failed with no arrival.
  const plain = classify(REJECTED, [], [], { request: { ...request, origin: 'http://a.localhost:1' }, engineReasons: [] });
  expect([plain.verdict, plain.harnessCode]).toEqual(['harness-error', 'no-arrival']);
});

test('a null-origin frame in an https page is judged by its creator\'s context: WebKit\'s refusal of http://localhost is mixed content', () => {
  const url = 'http://localhost:5173/api/source?cm_case=k-1';
  const said = 'console: [blocked] The page at https://app.example.com/__cm/frame requested insecure content from http://localhost:5173/api/source?cm_case=k-1. This content was blocked and must';
  const request = oracleRequestOf({ requestOrigin: 'null', url, request: { method: 'GET', headers: {}, body: null, credentials: 'same-origin', mode: 'cors', redirect: 'follow' } });
  const asFrame = classify({ kind: 'rejected', name: 'TypeError', message: 'Load failed' }, [], [], { request, engineReasons: [said], pageOrigin: 'https://app.example.com' });
  expect([asFrame.verdict, asFrame.refusal?.kind, asFrame.refusal?.pageOrigin, asFrame.refusal?.standard]).toEqual(['blocked-before-sending', 'mixed-content', 'https://app.example.com', 'potentially-trustworthy']);
  // Read from the request's own origin (null) it was a harness error: the bug this guards.
  const asRequest = classify({ kind: 'rejected', name: 'TypeError', message: 'Load failed' }, [], [], { request, engineReasons: [said] });
  expect(asRequest.verdict).toBe('harness-error');
});
