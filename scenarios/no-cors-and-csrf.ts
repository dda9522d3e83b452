import type { CaseRow, StatedExpectation } from '../lib/model/scenario.ts';
import { defineScenarios } from '../lib/model/scenario.ts';

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' } as const;
const TEXT = { 'Content-Type': 'text/plain' } as const;
const MULTIPART = { 'Content-Type': 'multipart/form-data; boundary=cm' } as const;
const MULTIPART_BODY = '--cm\r\nContent-Disposition: form-data; name="amount"\r\n\r\n1000\r\n--cm--\r\n';
const NO_CORS_HEADERS = { allowOrigin: 'none' } as const;

// Which of the victim's cookies ride along is engine cookie policy, not CORS: stated per engine with the policy that decides it.
const crossSiteCookies: StatedExpectation = {
  cookies: [],
  engines: {
    chromium: { cookies: ['cm_none'], because: 'measured: Chromium as shipped allows third-party cookies, so cm_none (SameSite=None; Secure, sent over http://*.localhost, a potentially trustworthy origin) rides along; cm_lax stays home under SameSite=Lax' },
    firefox: { cookies: [], because: 'Total Cookie Protection: cm_none lives in the b.localhost partition, the request runs in a.localhost\'s; cm_lax stays home under SameSite=Lax' },
    webkit: { cookies: [], because: 'WebKitGTK never stores cm_none (Secure over http://*.localhost) and blocks third-party cookies; cm_lax stays home under SameSite=Lax' },
  },
  profiles: {
    strict: { chromium: { cookies: [], because: 'profile strict: Chromium with "Block third-party cookies" withholds cm_none from a cross-site request; cm_lax stays home under SameSite=Lax' } },
  },
};
const sameSiteCookies: StatedExpectation = {
  cookies: ['cm_lax', 'cm_none'],
  engines: { webkit: { cookies: ['cm_lax'], because: 'cookie policy, not CORS: WebKitGTK does not store a Secure cookie set over http://*.localhost, so cm_none never exists there' } },
};

function write(to: 'cross-site' | 'same-site', contentType: Readonly<Record<string, string>>, body: string, cookies: StatedExpectation): CaseRow {
  return {
    server: 'sends no CORS headers but performs the write',
    to,
    request: { method: 'POST', headers: contentType, body, credentials: 'include' },
    policy: NO_CORS_HEADERS,
    expect: { ...cookies, reachedHandler: true, why: 'a simple request is sent without a preflight: the handler runs, only the reading is blocked' },
  };
}

function formPost(to: 'cross-site' | 'same-site', contentType: Readonly<Record<string, string>>, cookies: StatedExpectation): CaseRow {
  return {
    server: 'performs the write for a form post',
    to,
    request: { kind: 'form', method: 'POST', headers: contentType, body: 'amount=1000&to=attacker' },
    policy: NO_CORS_HEADERS,
    expect: {
      ...cookies,
      verdict: 'allowed',
      preflight: false,
      reachedHandler: true,
      why: 'a form post is a navigation of a frame: no CORS check at all; the page cannot read the response, the handler has already run',
    },
  };
}

export default defineScenarios({
  family: 'no-cors-and-csrf',
  proves: 'CORS stops reading, not sending: no-cors fetches, simple cross-site writes and form posts reach the handler, with whatever cookies the engine sends',
  cases: [
    // mode: 'no-cors' gives the script an opaque response (nothing readable), but the request is sent all the same.
    { server: 'sends no CORS headers', to: 'cross-site', request: { method: 'GET', mode: 'no-cors' }, policy: NO_CORS_HEADERS, expect: { reachedHandler: true } },
    { server: 'allows any origin', to: 'cross-site', request: { method: 'GET', mode: 'no-cors' }, policy: { allowOrigin: '*', responseHeaders: { 'X-Secret': '1' }, exposeHeaders: ['X-Secret'] }, expect: { reachedHandler: true, why: 'no-cors is opaque even when the server would share: nothing is readable' } },
    { server: 'sends no CORS headers but performs the write', to: 'cross-site', request: { method: 'POST', mode: 'no-cors', headers: TEXT, body: 'amount=1000', credentials: 'include' }, policy: NO_CORS_HEADERS, expect: { ...crossSiteCookies, reachedHandler: true } },
    { server: 'sends no CORS headers but performs the write', to: 'same-site', request: { method: 'POST', mode: 'no-cors', headers: FORM, body: 'amount=1000', credentials: 'include' }, policy: NO_CORS_HEADERS, expect: { ...sameSiteCookies, reachedHandler: true } },

    // A no-cors request may not carry what would need a preflight: fetch() refuses a non-safelisted method outright.
    { server: 'sends no CORS headers', to: 'cross-site', request: { method: 'GET', mode: 'no-cors', headers: { 'X-Custom': '1' } }, policy: NO_CORS_HEADERS, expect: { reachedHandler: true, why: 'in no-cors mode the browser drops a non-safelisted header instead of preflighting' } },

    // Simple cross-site writes in CORS mode: the script reads nothing, yet the write reached the handler.
    write('cross-site', FORM, 'amount=1000&to=attacker', crossSiteCookies),
    write('cross-site', TEXT, '{"amount":1000}', crossSiteCookies),
    write('cross-site', MULTIPART, MULTIPART_BODY, crossSiteCookies),
    // From a subdomain of the same site, SameSite=Lax does not help: a same-site write carries every cookie.
    write('same-site', FORM, 'amount=1000&to=attacker', sameSiteCookies),
    write('same-site', TEXT, '{"amount":1000}', sameSiteCookies),
    write('same-site', MULTIPART, MULTIPART_BODY, sameSiteCookies),

    // The JSON write a CSRF defence relies on: application/json is not safelisted, so it is preflighted and never sent.
    {
      server: 'sends no CORS headers',
      to: 'cross-site',
      request: { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"amount":1000}', credentials: 'include' },
      policy: NO_CORS_HEADERS,
      expect: { reachedHandler: false, why: 'a non-safelisted Content-Type is preflighted; the failed preflight keeps the write from the handler' },
    },

    // A real HTML form post (a frame navigation): no CORS at all, and the write reaches the handler.
    formPost('cross-site', FORM, crossSiteCookies),
    formPost('cross-site', TEXT, crossSiteCookies),
    formPost('cross-site', { 'Content-Type': 'multipart/form-data' }, crossSiteCookies),
    formPost('same-site', FORM, sameSiteCookies),
    formPost('same-site', TEXT, sameSiteCookies),
  ],
});
