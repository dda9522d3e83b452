import type { CaseRow } from '../lib/model/scenario.ts';
import { defineScenarios } from '../lib/model/scenario.ts';

const ERROR_STATUSES = [400, 401, 403, 404, 409, 429, 500, 502, 503] as const;

// An error status is just a status: with CORS headers the script reads it (and its body), so an API can tell the
// page what went wrong.
const readableErrors: CaseRow[] = ERROR_STATUSES.map((status) => ({
  server: `answers ${status} with Allow-Origin *`,
  to: 'cross-site',
  request: { method: 'GET' },
  policy: { allowOrigin: '*', status, responseHeaders: { 'X-Error-Code': `E${status}` }, exposeHeaders: ['X-Error-Code'] },
}));

// Without CORS headers on the error (the most common middleware bug: the error handler runs before the CORS one),
// the script sees only a network error, although the handler ran.
const unreadableErrors: CaseRow[] = [401, 403, 404, 500, 503].map((status) => ({
  server: `answers ${status} without CORS headers`,
  to: 'cross-site',
  request: { method: 'GET' },
  policy: { allowOrigin: 'none', status },
}));

// A preflighted request whose actual response is an error: the preflight passed, the handler ran, the status decides nothing.
const preflightedErrors: CaseRow[] = [
  { server: 'allows PUT, answers it 500 with Allow-Origin *', to: 'cross-site', request: { method: 'PUT' }, policy: { allowOrigin: '*', allowMethods: ['PUT'], status: 500 } },
  { server: 'allows PUT for the page with credentials, answers it 422', to: 'cross-site', request: { method: 'PUT', credentials: 'include' }, policy: { allowOrigin: { list: ['page'] }, allowCredentials: true, allowMethods: ['PUT'], status: 422 } },
];

// The preflight's status: only an ok status (200–299) passes; a redirect, client or server error fails it.
const preflightStatuses: CaseRow[] = [301, 302, 303, 307, 308, 400, 401, 403, 404, 405, 500, 503].map((preflightStatus) => ({
  server: `answers the preflight ${preflightStatus}, CORS headers and all`,
  to: 'cross-site',
  request: { method: 'PUT' },
  policy: { allowOrigin: '*', allowMethods: ['PUT'], preflightStatus },
}));

// Any ok status passes the preflight, not just 200 and 204.
const okPreflights: CaseRow[] = [200, 201, 204, 299].map((preflightStatus) => ({
  server: `answers the preflight ${preflightStatus} (ok)`,
  to: 'cross-site',
  request: { method: 'PUT' },
  policy: { allowOrigin: '*', allowMethods: ['PUT'], preflightStatus },
}));

// Allow-Methods that is empty or cannot be parsed allows nothing beyond the safelisted methods.
const malformedAllowMethods: CaseRow[] = [
  { server: 'sends an empty Allow-Methods', to: 'cross-site', request: { method: 'PUT' }, policy: { allowOrigin: '*', allowMethods: [] } },
  { server: 'sends Allow-Methods "PUT DELETE" (space, not comma)', to: 'cross-site', request: { method: 'PUT' }, policy: { allowOrigin: '*', allowMethods: ['PUT DELETE'] } },
  { server: 'sends Allow-Methods "PUT;"', to: 'cross-site', request: { method: 'PUT' }, policy: { allowOrigin: '*', allowMethods: ['PUT;'] } },
  { server: 'sends Allow-Methods "GET,,PUT" (empty element)', to: 'cross-site', request: { method: 'PUT' }, policy: { allowOrigin: '*', allowMethods: ['GET,,PUT'] } },
  { server: 'sends an empty Allow-Methods to a simple request', to: 'cross-site', request: { method: 'POST', body: 'x' }, policy: { allowOrigin: '*', allowMethods: [] } },
];

// Per-answer rules: what stands in front of the app answers some requests with CORS headers of its own, or none.
// The preflight passes (a CORS layer, or an `if ($request_method = OPTIONS) { return 204; }` block answers it), then
// the actual answer is an error that carries no CORS headers: nginx's `add_header` without `always`, an error handler
// that runs before the CORS middleware. The script sees a network error, although the handler ran.
const WITHOUT_ALWAYS = { preflight: { allowOrigin: '*', allowMethods: ['PUT'] }, actual: { allowOrigin: '*' }, errors: { allowOrigin: 'none' } } as const;
const perAnswer: CaseRow[] = [
  { server: 'lets the PUT through its preflight, then answers it 404 without CORS headers (add_header without always)', to: 'cross-site', request: { method: 'PUT' }, policy: { ...WITHOUT_ALWAYS, status: 404 } },
  { server: 'lets the PUT through its preflight, then answers it 500 without CORS headers (add_header without always)', to: 'cross-site', request: { method: 'PUT' }, policy: { ...WITHOUT_ALWAYS, status: 500 } },
  { server: 'lets the PUT through its preflight, then answers it 200 with CORS headers (add_header without always, no error)', to: 'cross-site', request: { method: 'PUT' }, policy: WITHOUT_ALWAYS },
  {
    server: 'echoes the page with credentials on the preflight, then its error handler answers the PUT 500 before the CORS middleware runs',
    to: 'cross-site',
    request: { method: 'PUT', credentials: 'include' },
    policy: { allowMethods: ['PUT'], preflight: { allowOrigin: 'reflect', allowCredentials: true }, actual: { allowOrigin: 'none' }, status: 500 },
  },
  // An auth layer in front of the app answers the preflight 401 (it wants credentials a preflight never carries),
  // with no CORS headers, although the app behind it would allow the PUT.
  {
    server: 'has an auth layer that answers the preflight 401 without CORS headers, in front of an app that allows PUT',
    to: 'cross-site',
    request: { method: 'PUT', headers: { Authorization: 'Bearer cm' } },
    policy: { preflightStatus: 401, preflight: { allowOrigin: 'reflect', allowMethods: ['PUT'], allowHeaders: ['Authorization'] }, actual: { allowOrigin: 'reflect' }, errors: { allowOrigin: 'none', allowMethods: false, allowHeaders: false } },
  },
  // A CDN or proxy that strips Access-Control-Allow-Credentials from one kind of answer: the preflight passes with
  // credentials allowed, and the actual answer, without them, fails the credentials check.
  {
    server: 'allows the page with credentials on the preflight only (a CDN strips Allow-Credentials from the actual answer)',
    to: 'cross-site',
    request: { method: 'PUT', credentials: 'include' },
    policy: { allowOrigin: { list: ['page'] }, allowMethods: ['PUT'], preflight: { allowCredentials: true } },
  },
  {
    server: 'allows the page with credentials on the actual answer only (a proxy strips Allow-Credentials from the preflight)',
    to: 'cross-site',
    request: { method: 'PUT', credentials: 'include' },
    policy: { allowOrigin: { list: ['page'] }, allowMethods: ['PUT'], actual: { allowCredentials: true } },
  },
  {
    server: 'allows the page without credentials on the preflight only, sent without credentials',
    to: 'cross-site',
    request: { method: 'PUT', credentials: 'omit' },
    policy: { allowOrigin: { list: ['page'] }, allowMethods: ['PUT'], preflight: { allowCredentials: true } },
  },
];

export default defineScenarios({
  family: 'error-statuses',
  proves: 'an error status is readable only with CORS headers on it, a preflight passes only on an ok (2xx) status with parseable Allow-Methods, and a passed preflight does not help an actual answer that lacks its own CORS headers',
  cases: [...readableErrors, ...unreadableErrors, ...preflightedErrors, ...preflightStatuses, ...okPreflights, ...malformedAllowMethods, ...perAnswer],
});
