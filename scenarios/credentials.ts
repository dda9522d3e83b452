import type { CaseRow } from '../lib/scenario.ts';
import { defineScenarios } from '../lib/scenario.ts';

// With credentials: 'include' the response must name the origin exactly (never `*`) and carry
// Access-Control-Allow-Credentials: true; without credentials, Allow-Credentials is ignored. Cookies are the
// harness's own: cm_lax (SameSite=Lax) and cm_none (SameSite=None; Secure), set by a first-party visit first.
const grid: readonly [RequestCredentials, '*' | 'reflect', boolean, CaseRow['expect']][] = [
  ['omit', '*', false, { verdict: 'allowed', cookies: [] }],
  ['omit', '*', true, { verdict: 'allowed', cookies: [], why: 'Allow-Credentials is ignored for a request without credentials' }],
  ['omit', 'reflect', false, { verdict: 'allowed', cookies: [] }],
  ['omit', 'reflect', true, { verdict: 'allowed', cookies: [] }],
  ['include', '*', false, { verdict: 'blocked-at-response', why: '`*` never matches a request with credentials' }],
  ['include', '*', true, { verdict: 'blocked-at-response', why: '`*` never matches a request with credentials, even with Allow-Credentials' }],
  ['include', 'reflect', false, { verdict: 'blocked-at-response', why: 'Allow-Credentials: true is required' }],
  ['include', 'reflect', true, { verdict: 'allowed' }],
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
    const base = typeof expected === 'string' ? { verdict: expected } : expected;
    const expect = credentials === 'include' ? { ...cookiesWhenIncluded, ...base } : base;
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
    { server: 'echoes the origin with credentials', to: 'cross-site', request: { method: 'GET', credentials: 'include' }, policy: { allowOrigin: 'reflect', allowCredentials: true }, expect: { verdict: 'allowed', cookies: [], why: 'cm_lax stays home on a cross-site request; no engine here sends cm_none to a third-party http host' } },
    { server: 'echoes the origin with Allow-Credentials "True"', to: 'same-site', request: { method: 'GET', credentials: 'include' }, policy: { allowOrigin: 'reflect', allowCredentials: 'True' }, expect: { verdict: 'blocked-at-response', why: 'Allow-Credentials must be exactly "true"' } },
    { server: 'echoes the origin with credentials', to: 'same-origin', request: { method: 'GET', credentials: 'same-origin' }, policy: { allowOrigin: 'none' }, expect: { verdict: 'allowed', ...sameSiteCookies } },
    { server: 'allows any origin', to: 'same-site', request: { method: 'GET', credentials: 'same-origin' }, policy: { allowOrigin: '*' }, expect: { verdict: 'allowed', cookies: [], why: 'credentials "same-origin" sends no cookies to another origin' } },
    { server: 'echoes the origin with credentials, allows any method', to: 'same-site', request: { method: 'PUT', credentials: 'include' }, policy: { allowOrigin: 'reflect', allowCredentials: true, allowMethods: '*' }, expect: { verdict: 'blocked-at-preflight', preflight: true, why: 'with credentials, "*" in Allow-Methods is a method literally named "*"' } },
    { server: 'echoes the origin with credentials, allows PUT', to: 'same-site', request: { method: 'PUT', credentials: 'include' }, policy: { allowOrigin: 'reflect', allowCredentials: true, allowMethods: ['PUT'] }, expect: { verdict: 'allowed', preflight: true, ...sameSiteCookies } },
    { server: 'echoes the origin with credentials, allows any header', to: 'same-site', request: { method: 'GET', credentials: 'include', headers: { 'X-Custom': '1' } }, policy: { allowOrigin: 'reflect', allowCredentials: true, allowHeaders: '*' }, expect: { verdict: 'blocked-at-preflight', preflight: true, why: 'with credentials, "*" in Allow-Headers is a header literally named "*"' } },
    { server: 'echoes the origin with credentials, allows X-Custom', to: 'same-site', request: { method: 'GET', credentials: 'include', headers: { 'X-Custom': '1' } }, policy: { allowOrigin: 'reflect', allowCredentials: true, allowHeaders: ['X-Custom'] }, expect: { verdict: 'allowed', preflight: true } },
    { server: 'echoes the origin, preflight without Allow-Credentials', to: 'same-site', request: { method: 'PUT', credentials: 'include' }, policy: { allowOrigin: 'reflect', allowMethods: ['PUT'] }, expect: { verdict: 'blocked-at-preflight', preflight: true, why: 'the preflight of a credentialed request needs Allow-Credentials: true too' } },
  ],
});
