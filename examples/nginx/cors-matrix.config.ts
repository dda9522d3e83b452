import { defineConfig, type OwnServerConfig } from 'cors-matrix';

// nginx.conf, checked in real Chromium, Firefox and WebKit. cors-matrix starts nginx on a free port (start-nginx.mjs),
// serves the page origins and the attackers on this machine through its forwarding proxy, and reports where nginx
// does other than meant. Findings are declared per route, so each location is its own config.
const base = {
  target: { command: 'node start-nginx.mjs', url: 'http://127.0.0.1:{port}/health' },
  apiOrigin: 'https://api.example.com',
  intent: { origins: ['https://app.example.com'], methods: ['PUT'], headers: ['X-Request-Id'], credentials: true },
  attackers: ['https://evil.test', 'https://app.example.com.evil.test', 'https://staging.example.com', 'http://app.example.com'],
} satisfies Omit<OwnServerConfig, 'routes'>;

/** The CORS block done right: anchored origin map, `always` on every add_header. No findings. */
export const orders = defineConfig({ ...base, routes: [{ path: '/api/orders', methods: ['GET', 'PUT'] }] });

// The entries below were pasted from the diagnosis at the end of a run (`npx playwright test`), which prints, per
// cause, the findings entries that accept it: the run stays green while the report keeps listing them.

/**
 * Error answers without CORS headers: add_header without `always` on a route that answers 500 (and 500 to its
 * OPTIONS), a route nginx does not know (404), and a redirect sent without CORS headers (302).
 */
export const errors = defineConfig({
  ...base,
  routes: [
    { path: '/api/broken', methods: ['GET'] },
    { path: '/api/gone', methods: ['GET', 'PUT'] },
    { path: '/api/moved', methods: ['GET'] },
  ],
  findings: [
    ...(['simple-read', 'credentialed-read'] as const).map((probe) => ({
      probe,
      from: 'https://app.example.com',
      observed: { verdict: 'blocked-at-response' as const },
      finding: 'error responses and redirects carry no Access-Control-Allow-Origin, so the browser shows a CORS error instead of the status',
    })),
    ...(['intended-headers', 'intended-method', 'credentialed-method'] as const).map((probe) => ({
      probe,
      from: 'https://app.example.com',
      observed: { verdict: 'blocked-at-preflight' as const },
      finding: 'the preflight is answered with an error or a redirect, without CORS headers: a preflight must get 2xx',
    })),
  ],
});

/** The unanchored origin map: https://app.example.com.evil.test reads, with cookies. */
export const legacy = defineConfig({
  ...base,
  routes: [{ path: '/api/legacy', methods: ['GET'] }],
  findings: [
    { probe: 'simple-read', from: 'https://app.example.com.evil.test', observed: { verdict: 'allowed' }, finding: 'the origin check accepts https://app.example.com.evil.test: the pattern is not anchored at its end' },
    { probe: 'credentialed-read', from: 'https://app.example.com.evil.test', observed: { verdict: 'allowed' }, finding: 'the origin check accepts https://app.example.com.evil.test: the pattern is not anchored at its end' },
  ],
});

/**
 * A location written by hand, with three flaws at once (declared below): the unanchored map lets
 * https://app.example.com.evil.test read with cookies, its PUT passes the preflight and runs on the server (the 500
 * without `always` only hides the answer), and OPTIONS lists DELETE, which the intent does not need.
 */
export const admin = defineConfig({
  ...base,
  routes: [{ path: '/api/admin', methods: ['GET', 'PUT', 'DELETE'] }],
  findings: [
    { probe: 'simple-read', from: 'https://app.example.com.evil.test', observed: { verdict: 'allowed' }, finding: 'the origin check accepts https://app.example.com.evil.test: the check matches a prefix — the pattern is not anchored at its end' },
    { probe: 'credentialed-read', from: 'https://app.example.com.evil.test', observed: { verdict: 'allowed' }, finding: 'the origin check accepts https://app.example.com.evil.test, with credentials: the pattern is not anchored at its end' },
    // The PUT is probed without and with the session (intended-method, credentialed-method): both reach the handler.
    ...(['intended-method', 'credentialed-method'] as const).flatMap((probe) => [
      { probe, from: 'https://app.example.com.evil.test', observed: { verdict: 'blocked-at-response' as const }, finding: 'the preflight admits https://app.example.com.evil.test, so its PUT reached the server (answered 500 without CORS headers)' },
      { probe, from: 'https://app.example.com', observed: { verdict: 'blocked-at-response' as const }, finding: 'error responses (500) carry no Access-Control-Allow-Origin, so the browser shows a CORS error instead of the 500' },
    ]),
    { probe: 'unintended-method', from: 'https://app.example.com', observed: { verdict: 'allowed' }, finding: 'the preflight allows DELETE, which the intent does not: Access-Control-Allow-Methods is GET, PUT, DELETE' },
  ],
});
