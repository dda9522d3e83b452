import type { CaseRow, StatedExpectation } from '../lib/model/scenario.ts';
import { defineScenarios } from '../lib/model/scenario.ts';
import type { Verdict } from '../lib/oracle/vocabulary.ts';

// The `public` and `public-granted` origins live on a port each engine is told to count as a public address
// (Chromium: --ip-address-space-overrides; Firefox: network.lna.address_space.public.override), so a fetch from there
// to any other origin here (all on 127.0.0.1) is a request from a public site into the loopback address space.
// `public-granted` holds Playwright's `local-network-access` permission (Chromium and Firefox); `public` is denied it
// (servers/public-address.ts: Chromium denies what is not granted, Firefox is set to block rather than prompt).
const WEBKIT_STATE = 'WebKitGTK 2.50 has no Local Network Access (nor Private Network Access) and no switch to make an address public: every page here is loopback, and plain CORS decides';

function granted(verdict: Verdict, why: string, preflight?: boolean): StatedExpectation {
  return {
    verdict,
    ...(preflight !== undefined && { preflight }),
    why: `Local Network Access is granted to this origin (Chromium, Firefox), so the request leaves the engine and plain CORS decides: ${why}`,
    engines: { webkit: { verdict, because: WEBKIT_STATE } },
  };
}

/**
 * A denied request: Chromium and Firefox refuse it before any byte leaves (blocked-before-sending, typed as a Local
 * Network Access refusal with the engine's own words). The Fetch Standard would send it: the refusal is engine policy
 * (the WICG Local Network Access proposal both ship), stated here per engine with what was measured. WebKitGTK has no
 * such gate: it sends the request, which reaches the handler, and plain CORS decides (`preflight`: whether that request
 * needs one).
 */
function denied(webkitVerdict: Verdict, why: string, preflight = false): StatedExpectation {
  return {
    verdict: 'blocked-before-sending',
    preflight: false,
    reachedHandler: false,
    why: `Local Network Access is denied to this public origin: Chromium and Firefox refuse the request before sending it (engine policy, not the Fetch Standard), and no server is asked; WebKitGTK sends it: ${why}`,
    engines: {
      chromium: {
        verdict: 'blocked-before-sending',
        because:
          'measured: Chromium 156 refuses an ungranted request into the loopback address space before sending anything ("Permission was denied for this request to access the `loopback` address space", DevTools corsErrorStatus LocalNetworkAccessPermissionDenied; a WebSocket: net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS; under automation no prompt is shown)',
      },
      firefox: {
        verdict: 'blocked-before-sending',
        because: 'measured: Firefox 153 set to block local network requests (permissions.default.local-network / loopback-network 2) fails the request with a NetworkError ("CORS request did not succeed") and sends nothing',
      },
      webkit: { verdict: webkitVerdict, preflight, reachedHandler: true, because: WEBKIT_STATE },
    },
  };
}

/** Firefox 153 does not hold a WebSocket to Local Network Access: denied or not, the handshake reaches loopback. */
function deniedWebSocket(): StatedExpectation {
  const expect = denied('allowed', 'a WebSocket has no CORS at all');
  const firefox = {
    verdict: 'allowed',
    preflight: false,
    reachedHandler: true,
    because:
      'measured: Firefox 153, set to block local network requests, still lets a public site open a WebSocket into loopback (its Local Network Access checks cover WebSockets only with network.lna.websocket.enabled, off as shipped: measured, with it on the handshake is refused)',
  } as const;
  return { ...expect, engines: { ...expect.engines, firefox } };
}

function fromDenied(to: CaseRow['to'], server: string, request: CaseRow['request'], policy: CaseRow['policy'], expect: StatedExpectation): CaseRow {
  return { server, from: 'public', to, request, policy, expect };
}

function fromGranted(to: CaseRow['to'], server: string, request: CaseRow['request'], policy: CaseRow['policy'], expect: StatedExpectation): CaseRow {
  return { server, from: 'public-granted', to, request, policy, expect };
}

export default defineScenarios({
  family: 'local-network-access',
  proves: 'a public site reaches a loopback server only once Local Network Access is granted (Chromium, Firefox): denied, the engine refuses before sending (blocked-before-sending, engine policy); granted, plain CORS still decides; WebKitGTK has no such gate',
  cases: [
    // Granted: the permission opens the door, CORS still decides what the script reads.
    fromGranted('cross-site', 'allows any origin', { method: 'GET' }, { allowOrigin: '*' }, granted('allowed', 'Allow-Origin * shares the response')),
    fromGranted('cross-site', 'sends no CORS headers', { method: 'GET' }, { allowOrigin: 'none' }, granted('blocked-at-response', 'no Allow-Origin, so the response is not shared')),
    fromGranted('cross-site', 'allows PUT', { method: 'PUT' }, { allowOrigin: '*', allowMethods: ['PUT'] }, granted('allowed', 'the preflight allows PUT', true)),
    fromGranted('cross-site', 'allows any origin but no methods', { method: 'PUT' }, { allowOrigin: '*' }, granted('blocked-at-preflight', 'the preflight does not allow PUT', true)),
    fromGranted('cross-site', 'echoes the origin with credentials', { method: 'GET', credentials: 'include' }, { allowOrigin: 'reflect', allowCredentials: true }, granted('allowed', 'the exact origin and Allow-Credentials: true')),
    fromGranted('cross-site', 'allows the page origin only', { method: 'GET' }, { allowOrigin: { list: ['page'] } }, granted('blocked-at-response', 'the allow-list does not hold the public origin')),
    fromGranted('same-site', 'allows any origin', { method: 'GET' }, { allowOrigin: '*' }, granted('allowed', 'Allow-Origin * shares the response')),
    fromGranted('other-port', 'allows any origin', { method: 'GET' }, { allowOrigin: '*' }, granted('allowed', 'Allow-Origin * shares the response')),
    fromGranted('cross-site', 'sends no CORS headers', { method: 'GET', mode: 'no-cors' }, { allowOrigin: 'none' }, granted('allowed', 'a no-cors request is sent; the script gets an opaque response')),
    fromGranted('cross-site', 'accepts every WebSocket handshake', { kind: 'websocket', method: 'GET' }, { allowOrigin: 'none' }, { ...granted('allowed', 'a WebSocket has no CORS at all'), preflight: false, reachedHandler: true }),

    // Denied: the request never leaves the engine (Chromium, Firefox): blocked-before-sending, with the engine's own
    // words; WebKitGTK, which has no such gate, sends it.
    fromDenied('cross-site', 'allows any origin', { method: 'GET' }, { allowOrigin: '*' }, denied('allowed', 'Allow-Origin * shares the response')),
    fromDenied('cross-site', 'allows PUT', { method: 'PUT' }, { allowOrigin: '*', allowMethods: ['PUT'] }, denied('allowed', 'the preflight allows PUT', true)),
    fromDenied('cross-site', 'echoes the origin with credentials', { method: 'GET', credentials: 'include' }, { allowOrigin: 'reflect', allowCredentials: true }, denied('allowed', 'the exact origin and Allow-Credentials: true')),
    fromDenied('cross-site', 'sends no CORS headers but performs the write', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'amount=1000' }, { allowOrigin: 'none' }, denied('blocked-at-response', 'the write reaches the handler, only the reading is blocked')),
    fromDenied('cross-site', 'accepts every WebSocket handshake', { kind: 'websocket', method: 'GET' }, { allowOrigin: 'none' }, deniedWebSocket()),

    // Public to public (both origins on the overridden port): not a local network request, plain CORS only.
    { server: 'allows any origin', from: 'public', to: 'public-granted', request: { method: 'GET' }, policy: { allowOrigin: '*' }, expect: { verdict: 'allowed', why: 'both sites are public: no Local Network Access check, Allow-Origin * shares the response' } },
    { server: 'sends no CORS headers', from: 'public', to: 'public-granted', request: { method: 'GET' }, policy: { allowOrigin: 'none' }, expect: { verdict: 'blocked-at-response', why: 'both sites are public: no Local Network Access check, and no Allow-Origin' } },
    { server: 'allows PUT', from: 'public', to: 'public-granted', request: { method: 'PUT' }, policy: { allowOrigin: '*', allowMethods: ['PUT'] }, expect: { verdict: 'allowed', preflight: true, why: 'both sites are public: an ordinary preflight, with no Access-Control-Request-Private-Network' } },
  ],
});
