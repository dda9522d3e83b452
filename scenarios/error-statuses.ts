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

export default defineScenarios({
  family: 'error-statuses',
  proves: 'an error status is readable only with CORS headers on it, and a preflight passes only on an ok (2xx) status with parseable Allow-Methods',
  cases: [...readableErrors, ...unreadableErrors, ...preflightedErrors, ...preflightStatuses, ...okPreflights, ...malformedAllowMethods],
});
