import { defineScenarios } from '../lib/model/scenario.ts';

// Simple requests (GET, HEAD, POST with a safelisted content type and safelisted headers) are sent without a
// preflight; the response's Allow-Origin alone decides whether the script may read it. The request always arrives.
export default defineScenarios({
  family: 'simple-requests',
  proves: 'simple requests go out without a preflight, reach the server, and are readable only when Allow-Origin matches',
  cases: [
    // Same-origin: CORS does not apply.
    { server: 'sends no CORS headers', to: 'same-origin', request: { method: 'GET' }, policy: { allowOrigin: 'none' } },
    { server: 'sends no CORS headers', to: 'same-origin', request: { method: 'HEAD' }, policy: { allowOrigin: 'none' } },
    { server: 'sends no CORS headers', to: 'same-origin', request: { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'x' }, policy: { allowOrigin: 'none' } },

    // Cross-site with Allow-Origin: * — no preflight for any of the three safelisted content types.
    { server: 'allows any origin', to: 'cross-site', request: { method: 'GET' }, policy: { allowOrigin: '*' } },
    { server: 'allows any origin', to: 'cross-site', request: { method: 'HEAD' }, policy: { allowOrigin: '*' } },
    { server: 'allows any origin', to: 'cross-site', request: { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'x' }, policy: { allowOrigin: '*' } },
    { server: 'allows any origin', to: 'cross-site', request: { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'a=1' }, policy: { allowOrigin: '*' } },
    { server: 'allows any origin', to: 'cross-site', request: { method: 'POST', headers: { 'Content-Type': 'multipart/form-data; boundary=x' }, body: '--x--' }, policy: { allowOrigin: '*' } },
    { server: 'allows any origin', to: 'cross-site', request: { method: 'POST', headers: { 'Content-Type': 'text/plain;charset=UTF-8' }, body: 'x' }, policy: { allowOrigin: '*' }, expect: { why: 'only the essence of Content-Type is checked; parameters do not matter' } },
    { server: 'allows any origin', to: 'cross-site', request: { method: 'GET', headers: { Accept: 'application/json' } }, policy: { allowOrigin: '*' } },
    { server: 'allows any origin', to: 'cross-site', request: { method: 'GET', headers: { 'Accept-Language': 'de-CH' } }, policy: { allowOrigin: '*' } },
    { server: 'allows any origin', to: 'cross-site', request: { method: 'GET', headers: { 'Content-Language': 'en' } }, policy: { allowOrigin: '*' } },

    // Cross-origin without Allow-Origin: the request still arrives and the handler runs; only reading is blocked.
    { server: 'sends no CORS headers', to: 'cross-site', request: { method: 'GET' }, policy: { allowOrigin: 'none' } },
    { server: 'sends no CORS headers', to: 'cross-site', request: { method: 'HEAD' }, policy: { allowOrigin: 'none' } },
    { server: 'sends no CORS headers', to: 'cross-site', request: { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'x' }, policy: { allowOrigin: 'none' }, expect: { why: 'the CSRF point: the POST reached the handler although the script cannot read the answer' } },
    { server: 'sends no CORS headers', to: 'cross-site', request: { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'a=1' }, policy: { allowOrigin: 'none' } },

    // Every kind of cross-origin target, each with and without Allow-Origin.
    { server: 'allows any origin', to: 'same-site', request: { method: 'GET' }, policy: { allowOrigin: '*' } },
    { server: 'sends no CORS headers', to: 'same-site', request: { method: 'GET' }, policy: { allowOrigin: 'none' }, expect: { why: 'same-site is still cross-origin' } },
    { server: 'allows any origin', to: 'other-port', request: { method: 'GET' }, policy: { allowOrigin: '*' } },
    { server: 'sends no CORS headers', to: 'other-port', request: { method: 'GET' }, policy: { allowOrigin: 'none' }, expect: { why: 'the port is part of the origin' } },
    { server: 'allows any origin', to: 'https', request: { method: 'GET' }, policy: { allowOrigin: '*' } },
    { server: 'sends no CORS headers', to: 'https', request: { method: 'GET' }, policy: { allowOrigin: 'none' }, expect: { why: 'the scheme is part of the origin' } },
    { server: 'allows any origin', from: 'null', to: 'cross-site', request: { method: 'GET' }, policy: { allowOrigin: '*' } },
  ],
});
