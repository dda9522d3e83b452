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

const crossSiteCookies = {
  cookies: ['cm_none'],
  engines: {
    chromium: { cookies: [], because: 'measured: Chromium 156 as launched here withholds cookies from cross-site requests (third-party cookies blocked)' },
    firefox: { cookies: [], because: 'Total Cookie Protection: cm_none was set in the b.localhost partition by the top-level visit; the fetch runs in the a.localhost partition' },
  },
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
    { server: 'echoes the origin with credentials', to: 'cross-site', request: { method: 'GET', credentials: 'include' }, policy: { allowOrigin: 'reflect', allowCredentials: true }, expect: { cookies: [], why: 'cm_lax stays home on a cross-site request; no engine here sends cm_none to a third-party http host' } },
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
