import { defineScenarios } from '../lib/model/scenario.ts';

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
    { server: 'allows any origin but no methods', to: 'cross-site', request: { method: 'PUT' }, policy: { allowOrigin: '*' } },
    { server: 'allows PUT', to: 'cross-site', request: { method: 'PUT' }, policy: { allowOrigin: '*', allowMethods: ['PUT'] } },
    { server: 'allows GET, POST only', to: 'cross-site', request: { method: 'PUT' }, policy: { allowOrigin: '*', allowMethods: ['GET', 'POST'] } },
    { server: 'allows any method', to: 'cross-site', request: { method: 'PUT' }, policy: { allowOrigin: '*', allowMethods: '*' } },
    { server: 'allows any origin but no methods', to: 'cross-site', request: { method: 'DELETE' }, policy: { allowOrigin: '*' } },
    { server: 'allows DELETE', to: 'cross-site', request: { method: 'DELETE' }, policy: { allowOrigin: '*', allowMethods: ['DELETE'] } },
    { server: 'allows DELETE', to: 'cross-site', request: { method: 'delete' }, policy: { allowOrigin: '*', allowMethods: ['DELETE'] }, expect: { why: 'fetch upper-cases delete, get, head, options, post and put' } },
    { server: 'allows "delete" in lower case', to: 'cross-site', request: { method: 'DELETE' }, policy: { allowOrigin: '*', allowMethods: ['delete'] }, expect: { why: 'methods in Allow-Methods are compared case-sensitively' } },
    { server: 'allows PATCH', to: 'cross-site', request: { method: 'PATCH' }, policy: { allowOrigin: '*', allowMethods: ['PATCH'] } },
    { server: 'allows any origin but no methods', to: 'cross-site', request: { method: 'PATCH' }, policy: { allowOrigin: '*' } },
    { server: 'allows PATCH', to: 'cross-site', request: { method: 'patch' }, policy: { allowOrigin: '*', allowMethods: ['PATCH'] }, expect: { why: 'fetch does not upper-case patch, and "patch" is not "PATCH"' } },
    { server: 'allows GET only', to: 'cross-site', request: { method: 'GET' }, policy: { allowOrigin: '*', allowMethods: ['GET'] }, expect: { why: 'a safelisted method needs no preflight, whatever Allow-Methods says' } },

    // Headers.
    { server: 'allows any origin but no headers', to: 'cross-site', request: { method: 'GET', headers: CUSTOM }, policy: { allowOrigin: '*' } },
    { server: 'allows X-Custom', to: 'cross-site', request: { method: 'GET', headers: CUSTOM }, policy: { allowOrigin: '*', allowHeaders: ['X-Custom'] } },
    { server: 'allows "x-custom" in lower case', to: 'cross-site', request: { method: 'GET', headers: CUSTOM }, policy: { allowOrigin: '*', allowHeaders: ['x-custom'] }, expect: { why: 'header names are compared case-insensitively' } },
    { server: 'allows any header', to: 'cross-site', request: { method: 'GET', headers: CUSTOM }, policy: { allowOrigin: '*', allowHeaders: '*' } },
    { server: 'allows X-Custom only', to: 'cross-site', request: { method: 'GET', headers: { 'X-Custom': '1', 'X-Other': '2' } }, policy: { allowOrigin: '*', allowHeaders: ['X-Custom'] } },
    { server: 'allows PUT only', to: 'cross-site', request: { method: 'PUT', headers: CUSTOM }, policy: { allowOrigin: '*', allowMethods: ['PUT'] } },
    { server: 'allows PUT and X-Custom', to: 'cross-site', request: { method: 'PUT', headers: CUSTOM }, policy: { allowOrigin: '*', allowMethods: ['PUT'], allowHeaders: ['X-Custom'] } },
    { server: 'allows any origin but no headers', to: 'cross-site', request: { method: 'GET', headers: AUTH }, policy: { allowOrigin: '*' } },
    { server: 'allows Authorization', to: 'cross-site', request: { method: 'GET', headers: AUTH }, policy: { allowOrigin: '*', allowHeaders: ['Authorization'] } },
    // Engines differ from the standard here: lib/engine-deviations.ts holds the evidence, and the run reports it.
    { server: 'allows any header', to: 'cross-site', request: { method: 'GET', headers: AUTH }, policy: { allowOrigin: '*', allowHeaders: '*' } },
    // A bearer-token API behind a wildcard that exposes a header: the engines' own rule decides the whole outcome, so
    // the exposed header and Content-Type are readable and only the unexposed one stays hidden.
    {
      server: 'allows any header, exposes X-Request-Id',
      to: 'cross-site',
      request: { method: 'GET', headers: AUTH },
      policy: { allowOrigin: '*', allowHeaders: '*', exposeHeaders: ['X-Request-Id'], responseHeaders: { 'X-Request-Id': 'r7', 'X-Internal': 'secret', 'Content-Type': 'text/plain; charset=utf-8' } },
    },
    { server: 'allows any origin but no headers', to: 'cross-site', request: { method: 'POST', ...JSON_BODY }, policy: { allowOrigin: '*' }, expect: { why: 'application/json is not one of the three safelisted content types' } },
    { server: 'allows Content-Type', to: 'cross-site', request: { method: 'POST', ...JSON_BODY }, policy: { allowOrigin: '*', allowHeaders: ['Content-Type'] } },
    { server: 'allows any header', to: 'cross-site', request: { method: 'POST', ...JSON_BODY }, policy: { allowOrigin: '*', allowHeaders: '*' } },

    // Safelisted headers with unsafe values are preflighted like any other header.
    { server: 'allows any origin but no headers', to: 'cross-site', request: { method: 'GET', headers: { Accept: 'a'.repeat(129) } }, policy: { allowOrigin: '*' }, expect: { why: 'a safelisted header value over 128 bytes is no longer safelisted' } },
    { server: 'allows any origin but no headers', to: 'cross-site', request: { method: 'GET', headers: { 'Content-Language': 'en@x' } }, policy: { allowOrigin: '*' }, expect: { why: '"@" is outside the bytes Content-Language may hold to stay safelisted' } },

    // The preflight's status: only 2xx passes.
    { server: 'answers the preflight 200', to: 'cross-site', request: { method: 'PUT' }, policy: { allowOrigin: '*', allowMethods: ['PUT'], preflightStatus: 200 } },
    { server: 'answers the preflight 404', to: 'cross-site', request: { method: 'PUT' }, policy: { allowOrigin: '*', allowMethods: ['PUT'], preflightStatus: 404 } },
    { server: 'answers the preflight 500', to: 'cross-site', request: { method: 'PUT' }, policy: { allowOrigin: '*', allowMethods: ['PUT'], preflightStatus: 500 } },
    { server: 'answers the preflight 302', to: 'cross-site', request: { method: 'PUT' }, policy: { allowOrigin: '*', allowMethods: ['PUT'], preflightStatus: 302 }, expect: { why: 'a preflight never follows a redirect' } },

    // The preflight's own CORS check, and the actual response's.
    { server: 'allows PUT but no origin', to: 'cross-site', request: { method: 'PUT' }, policy: { allowOrigin: 'none', allowMethods: ['PUT'] } },
    { server: 'allows PUT for another origin only', to: 'cross-site', request: { method: 'PUT' }, policy: { allowOrigin: { list: ['cross-site'] }, allowMethods: ['PUT'] } },
    { server: 'allows PUT for the page origin, for an hour', to: 'cross-site', request: { method: 'PUT' }, policy: { allowOrigin: { list: ['page'] }, allowMethods: ['PUT'], maxAge: 3600 } },
    { server: 'allows "null" and X-Custom', from: 'null', to: 'cross-site', request: { method: 'GET', headers: CUSTOM }, policy: { allowOrigin: 'null', allowHeaders: ['X-Custom'] } },
    { server: 'allows PUT, same-site', to: 'same-site', request: { method: 'PUT' }, policy: { allowOrigin: '*', allowMethods: ['PUT'] } },
    { server: 'allows any origin but no methods', to: 'other-port', request: { method: 'PUT' }, policy: { allowOrigin: '*' } },
    { server: 'sends no CORS headers', to: 'same-origin', request: { method: 'PUT', headers: CUSTOM }, policy: { allowOrigin: 'none' }, expect: { why: 'same-origin requests are never preflighted' } },
  ],
});
