import { defineScenarios } from '../lib/scenario.ts';

const AUTH = { Authorization: 'Bearer cors-matrix' } as const;
const CUSTOM = { 'X-Custom': '1' } as const;
const JSON_BODY = { headers: { 'Content-Type': 'application/json' }, body: '{}' } as const;

// Anything beyond a simple request is preflighted: an OPTIONS request carrying Access-Control-Request-Method
// and -Headers, which must come back 2xx with the method and every non-safelisted header allowed.
export default defineScenarios({
  family: 'preflight',
  proves: 'non-simple methods and headers are preflighted, and the preflight answer alone decides whether the request is sent',
  cases: [
    // Methods.
    { server: 'allows any origin but no methods', to: 'cross-site', request: { method: 'PUT' }, policy: { allowOrigin: '*' }, expect: { verdict: 'blocked-at-preflight', preflight: true } },
    { server: 'allows PUT', to: 'cross-site', request: { method: 'PUT' }, policy: { allowOrigin: '*', allowMethods: ['PUT'] }, expect: { verdict: 'allowed', preflight: true } },
    { server: 'allows GET, POST only', to: 'cross-site', request: { method: 'PUT' }, policy: { allowOrigin: '*', allowMethods: ['GET', 'POST'] }, expect: { verdict: 'blocked-at-preflight', preflight: true } },
    { server: 'allows any method', to: 'cross-site', request: { method: 'PUT' }, policy: { allowOrigin: '*', allowMethods: '*' }, expect: { verdict: 'allowed', preflight: true } },
    { server: 'allows any origin but no methods', to: 'cross-site', request: { method: 'DELETE' }, policy: { allowOrigin: '*' }, expect: { verdict: 'blocked-at-preflight', preflight: true } },
    { server: 'allows DELETE', to: 'cross-site', request: { method: 'DELETE' }, policy: { allowOrigin: '*', allowMethods: ['DELETE'] }, expect: { verdict: 'allowed', preflight: true } },
    { server: 'allows DELETE', to: 'cross-site', request: { method: 'delete' }, policy: { allowOrigin: '*', allowMethods: ['DELETE'] }, expect: { verdict: 'allowed', preflight: true, why: 'fetch upper-cases delete, get, head, options, post and put' } },
    { server: 'allows "delete" in lower case', to: 'cross-site', request: { method: 'DELETE' }, policy: { allowOrigin: '*', allowMethods: ['delete'] }, expect: { verdict: 'blocked-at-preflight', preflight: true, why: 'methods in Allow-Methods are compared case-sensitively' } },
    { server: 'allows PATCH', to: 'cross-site', request: { method: 'PATCH' }, policy: { allowOrigin: '*', allowMethods: ['PATCH'] }, expect: { verdict: 'allowed', preflight: true } },
    { server: 'allows any origin but no methods', to: 'cross-site', request: { method: 'PATCH' }, policy: { allowOrigin: '*' }, expect: { verdict: 'blocked-at-preflight', preflight: true } },
    { server: 'allows PATCH', to: 'cross-site', request: { method: 'patch' }, policy: { allowOrigin: '*', allowMethods: ['PATCH'] }, expect: { verdict: 'blocked-at-preflight', preflight: true, why: 'fetch does not upper-case patch, and "patch" is not "PATCH"' } },
    { server: 'allows GET only', to: 'cross-site', request: { method: 'GET' }, policy: { allowOrigin: '*', allowMethods: ['GET'] }, expect: { verdict: 'allowed', preflight: false, why: 'a safelisted method needs no preflight, whatever Allow-Methods says' } },

    // Headers.
    { server: 'allows any origin but no headers', to: 'cross-site', request: { method: 'GET', headers: CUSTOM }, policy: { allowOrigin: '*' }, expect: { verdict: 'blocked-at-preflight', preflight: true } },
    { server: 'allows X-Custom', to: 'cross-site', request: { method: 'GET', headers: CUSTOM }, policy: { allowOrigin: '*', allowHeaders: ['X-Custom'] }, expect: { verdict: 'allowed', preflight: true } },
    { server: 'allows "x-custom" in lower case', to: 'cross-site', request: { method: 'GET', headers: CUSTOM }, policy: { allowOrigin: '*', allowHeaders: ['x-custom'] }, expect: { verdict: 'allowed', preflight: true, why: 'header names are compared case-insensitively' } },
    { server: 'allows any header', to: 'cross-site', request: { method: 'GET', headers: CUSTOM }, policy: { allowOrigin: '*', allowHeaders: '*' }, expect: { verdict: 'allowed', preflight: true } },
    { server: 'allows X-Custom only', to: 'cross-site', request: { method: 'GET', headers: { 'X-Custom': '1', 'X-Other': '2' } }, policy: { allowOrigin: '*', allowHeaders: ['X-Custom'] }, expect: { verdict: 'blocked-at-preflight', preflight: true } },
    { server: 'allows PUT only', to: 'cross-site', request: { method: 'PUT', headers: CUSTOM }, policy: { allowOrigin: '*', allowMethods: ['PUT'] }, expect: { verdict: 'blocked-at-preflight', preflight: true } },
    { server: 'allows PUT and X-Custom', to: 'cross-site', request: { method: 'PUT', headers: CUSTOM }, policy: { allowOrigin: '*', allowMethods: ['PUT'], allowHeaders: ['X-Custom'] }, expect: { verdict: 'allowed', preflight: true } },
    { server: 'allows any origin but no headers', to: 'cross-site', request: { method: 'GET', headers: AUTH }, policy: { allowOrigin: '*' }, expect: { verdict: 'blocked-at-preflight', preflight: true } },
    { server: 'allows Authorization', to: 'cross-site', request: { method: 'GET', headers: AUTH }, policy: { allowOrigin: '*', allowHeaders: ['Authorization'] }, expect: { verdict: 'allowed', preflight: true } },
    {
      server: 'allows any header',
      to: 'cross-site',
      request: { method: 'GET', headers: AUTH },
      policy: { allowOrigin: '*', allowHeaders: '*' },
      expect: {
        verdict: 'blocked-at-preflight',
        preflight: true,
        why: 'Fetch Standard (CORS-preflight fetch): a wildcard in Allow-Headers never covers Authorization',
        engines: {
          chromium: { verdict: 'allowed', because: 'measured on Chromium 156: "*" still covers Authorization (Chromium only warns in the console)' },
          firefox: { verdict: 'allowed', because: 'measured on Firefox 153 ESR: the pref network.cors_preflight.authorization_covered_by_wildcard is true by default' },
          webkit: { verdict: 'allowed', because: 'measured on WebKitGTK 2.50: "*" covers Authorization' },
        },
      },
    },
    { server: 'allows any origin but no headers', to: 'cross-site', request: { method: 'POST', ...JSON_BODY }, policy: { allowOrigin: '*' }, expect: { verdict: 'blocked-at-preflight', preflight: true, why: 'application/json is not one of the three safelisted content types' } },
    { server: 'allows Content-Type', to: 'cross-site', request: { method: 'POST', ...JSON_BODY }, policy: { allowOrigin: '*', allowHeaders: ['Content-Type'] }, expect: { verdict: 'allowed', preflight: true } },
    { server: 'allows any header', to: 'cross-site', request: { method: 'POST', ...JSON_BODY }, policy: { allowOrigin: '*', allowHeaders: '*' }, expect: { verdict: 'allowed', preflight: true } },

    // Safelisted headers with unsafe values are preflighted like any other header.
    { server: 'allows any origin but no headers', to: 'cross-site', request: { method: 'GET', headers: { Accept: 'a'.repeat(129) } }, policy: { allowOrigin: '*' }, expect: { verdict: 'blocked-at-preflight', preflight: true, why: 'a safelisted header value over 128 bytes is no longer safelisted' } },
    { server: 'allows any origin but no headers', to: 'cross-site', request: { method: 'GET', headers: { 'Content-Language': 'en@x' } }, policy: { allowOrigin: '*' }, expect: { verdict: 'blocked-at-preflight', preflight: true, why: '"@" is outside the bytes Content-Language may hold to stay safelisted' } },

    // The preflight's status: only 2xx passes.
    { server: 'answers the preflight 200', to: 'cross-site', request: { method: 'PUT' }, policy: { allowOrigin: '*', allowMethods: ['PUT'], preflightStatus: 200 }, expect: { verdict: 'allowed', preflight: true } },
    { server: 'answers the preflight 404', to: 'cross-site', request: { method: 'PUT' }, policy: { allowOrigin: '*', allowMethods: ['PUT'], preflightStatus: 404 }, expect: { verdict: 'blocked-at-preflight', preflight: true } },
    { server: 'answers the preflight 500', to: 'cross-site', request: { method: 'PUT' }, policy: { allowOrigin: '*', allowMethods: ['PUT'], preflightStatus: 500 }, expect: { verdict: 'blocked-at-preflight', preflight: true } },
    { server: 'answers the preflight 302', to: 'cross-site', request: { method: 'PUT' }, policy: { allowOrigin: '*', allowMethods: ['PUT'], preflightStatus: 302 }, expect: { verdict: 'blocked-at-preflight', preflight: true, why: 'a preflight never follows a redirect' } },

    // The preflight's own CORS check, and the actual response's.
    { server: 'allows PUT but no origin', to: 'cross-site', request: { method: 'PUT' }, policy: { allowOrigin: 'none', allowMethods: ['PUT'] }, expect: { verdict: 'blocked-at-preflight', preflight: true } },
    { server: 'allows PUT for another origin only', to: 'cross-site', request: { method: 'PUT' }, policy: { allowOrigin: { list: ['cross-site'] }, allowMethods: ['PUT'] }, expect: { verdict: 'blocked-at-preflight', preflight: true } },
    { server: 'allows PUT for the page origin, for an hour', to: 'cross-site', request: { method: 'PUT' }, policy: { allowOrigin: { list: ['page'] }, allowMethods: ['PUT'], maxAge: 3600 }, expect: { verdict: 'allowed', preflight: true } },
    { server: 'allows "null" and X-Custom', from: 'null', to: 'cross-site', request: { method: 'GET', headers: CUSTOM }, policy: { allowOrigin: 'null', allowHeaders: ['X-Custom'] }, expect: { verdict: 'allowed', preflight: true } },
    { server: 'allows PUT, same-site', to: 'same-site', request: { method: 'PUT' }, policy: { allowOrigin: '*', allowMethods: ['PUT'] }, expect: { verdict: 'allowed', preflight: true } },
    { server: 'allows any origin but no methods', to: 'other-port', request: { method: 'PUT' }, policy: { allowOrigin: '*' }, expect: { verdict: 'blocked-at-preflight', preflight: true } },
    { server: 'sends no CORS headers', to: 'same-origin', request: { method: 'PUT', headers: CUSTOM }, policy: { allowOrigin: 'none' }, expect: { verdict: 'allowed', preflight: false, why: 'same-origin requests are never preflighted' } },
  ],
});
