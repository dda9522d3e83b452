import type { CaseRow, StatedExpectation } from '../lib/model/scenario.ts';
import { defineScenarios } from '../lib/model/scenario.ts';

// With credentials: 'include' the response must name the origin exactly (never `*`) and carry
// Access-Control-Allow-Credentials: true; without credentials, Allow-Credentials is ignored. Cookies are the
// harness's own: cm_lax (SameSite=Lax) and cm_none (SameSite=None; Secure), set by a first-party visit first.
const grid: readonly [RequestCredentials, '*' | 'reflect', boolean, StatedExpectation][] = [
  ['omit', '*', false, { cookies: [] }],
  ['omit', '*', true, { cookies: [], why: 'Allow-Credentials is ignored for a request without credentials' }],
  ['omit', 'reflect', false, { cookies: [] }],
  ['omit', 'reflect', true, { cookies: [] }],
  ['include', '*', false, { why: '`*` never matches a request with credentials' }],
  ['include', '*', true, { why: '`*` never matches a request with credentials, even with Allow-Credentials' }],
  ['include', 'reflect', false, { why: 'Allow-Credentials: true is required' }],
  ['include', 'reflect', true, {}],
];

function serverText(allowOrigin: '*' | 'reflect', allowCredentials: boolean): string {
  return `${allowOrigin === '*' ? 'allows any origin' : 'echoes the origin'}${allowCredentials ? ' with credentials' : ''}`;
}

const sameSiteCookies = {
  cookies: ['cm_lax', 'cm_none'],
  engines: { webkit: { cookies: ['cm_lax'], because: 'measured: WebKitGTK does not store a Secure cookie set over http://*.localhost, so cm_none never exists there' } },
} as const;

// Under `strict` (lib/model/profiles.ts) every engine blocks third-party cookies: nothing rides along cross-site.
const STRICT_CROSS_SITE = {
  chromium: { cookies: [], because: 'profile strict: Chromium with "Block third-party cookies" (profile.cookie_controls_mode 1) withholds every cookie from a cross-site request' },
  firefox: { cookies: [], because: 'profile strict: Firefox with network.cookie.cookieBehavior 1 sends no third-party cookies at all' },
  webkit: { cookies: [], because: 'profile strict: WebKitGTK with Intelligent Tracking Prevention on (as Safari ships it) blocks every third-party cookie' },
} as const;

const crossSiteCookies = {
  cookies: ['cm_none'],
  engines: {
    firefox: { cookies: [], because: 'Total Cookie Protection: cm_none was set in the b.localhost partition by the top-level visit; the fetch runs in the a.localhost partition' },
  },
  profiles: { strict: STRICT_CROSS_SITE },
} as const;

function gridRows(to: 'same-site' | 'https-cross-site', cookiesWhenIncluded: typeof sameSiteCookies | typeof crossSiteCookies): CaseRow[] {
  return grid.map(([credentials, allowOrigin, allowCredentials, expected]) => {
    const expect = credentials === 'include' ? { ...cookiesWhenIncluded, ...expected } : expected;
    return {
      server: serverText(allowOrigin, allowCredentials),
      to,
      request: { method: 'GET', credentials },
      policy: { allowOrigin, ...(allowCredentials && { allowCredentials: true }) },
      expect,
    } satisfies CaseRow;
  });
}

export default defineScenarios({
  family: 'credentials',
  proves: 'credentialed requests need the exact origin and Allow-Credentials: true, and which cookies reach the server differs by engine',
  cases: [
    ...gridRows('same-site', sameSiteCookies),
    ...gridRows('https-cross-site', crossSiteCookies),
    {
      server: 'echoes the origin with credentials',
      to: 'cross-site',
      request: { method: 'GET', credentials: 'include' },
      policy: { allowOrigin: 'reflect', allowCredentials: true },
      expect: {
        cookies: [],
        why: 'cm_lax stays home on a cross-site request; cm_none goes only where third-party cookies are allowed and a Secure cookie exists for an http://*.localhost host',
        engines: {
          chromium: { cookies: ['cm_none'], because: 'measured: Chromium as shipped allows third-party cookies, and sends a Secure cookie to http://*.localhost (a potentially trustworthy origin)' },
          firefox: { cookies: [], because: 'Total Cookie Protection: cm_none lives in the b.localhost partition, the request runs in the a.localhost partition' },
          webkit: { cookies: [], because: 'measured: WebKitGTK does not store a Secure cookie set over http://*.localhost, so cm_none never exists there' },
        },
        profiles: { strict: { chromium: STRICT_CROSS_SITE.chromium } },
      },
    },
    {
      server: 'echoes the origin with credentials',
      to: 'https',
      request: { method: 'GET', credentials: 'include' },
      policy: { allowOrigin: 'reflect', allowCredentials: true },
      expect: {
        cookies: ['cm_lax', 'cm_none'],
        why: 'the page host over https: the same registrable domain, another scheme',
        engines: {
          chromium: { cookies: ['cm_none'], because: 'measured: Chromium counts the scheme in "same site" (schemeful same-site), so http://a.localhost → https://a.localhost is cross-site: cm_lax stays home, cm_none goes where third-party cookies are allowed' },
        },
        profiles: { strict: { chromium: { cookies: [], because: 'profile strict: for Chromium the https host is another site (schemeful same-site), so with third-party cookies blocked nothing is sent' } } },
      },
    },
    { server: 'echoes the origin with Allow-Credentials "True"', to: 'same-site', request: { method: 'GET', credentials: 'include' }, policy: { allowOrigin: 'reflect', allowCredentials: 'True' }, expect: { why: 'Allow-Credentials must be exactly "true"' } },
    { server: 'echoes the origin with credentials', to: 'same-origin', request: { method: 'GET', credentials: 'same-origin' }, policy: { allowOrigin: 'none' }, expect: { ...sameSiteCookies } },
    { server: 'allows any origin', to: 'same-site', request: { method: 'GET', credentials: 'same-origin' }, policy: { allowOrigin: '*' }, expect: { cookies: [], why: 'credentials "same-origin" sends no cookies to another origin' } },
    { server: 'echoes the origin with credentials, allows any method', to: 'same-site', request: { method: 'PUT', credentials: 'include' }, policy: { allowOrigin: 'reflect', allowCredentials: true, allowMethods: '*' }, expect: { why: 'with credentials, "*" in Allow-Methods is a method literally named "*"' } },
    { server: 'echoes the origin with credentials, allows PUT', to: 'same-site', request: { method: 'PUT', credentials: 'include' }, policy: { allowOrigin: 'reflect', allowCredentials: true, allowMethods: ['PUT'] }, expect: { ...sameSiteCookies } },
    { server: 'echoes the origin with credentials, allows any header', to: 'same-site', request: { method: 'GET', credentials: 'include', headers: { 'X-Custom': '1' } }, policy: { allowOrigin: 'reflect', allowCredentials: true, allowHeaders: '*' }, expect: { why: 'with credentials, "*" in Allow-Headers is a header literally named "*"' } },
    { server: 'echoes the origin with credentials, allows X-Custom', to: 'same-site', request: { method: 'GET', credentials: 'include', headers: { 'X-Custom': '1' } }, policy: { allowOrigin: 'reflect', allowCredentials: true, allowHeaders: ['X-Custom'] } },
    { server: 'echoes the origin, preflight without Allow-Credentials', to: 'same-site', request: { method: 'PUT', credentials: 'include' }, policy: { allowOrigin: 'reflect', allowMethods: ['PUT'] }, expect: { why: 'the preflight of a credentialed request needs Allow-Credentials: true too' } },
  ],
});
