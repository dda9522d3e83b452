/**
 * `cors` (expressjs/cors) behind Express 5.
 *
 * What its README says, as it bears on CORS misconfiguration:
 * - `allowedHeaders` unset: a preflight's Access-Control-Allow-Headers reflects whatever the request's
 *   Access-Control-Request-Headers named, so every header a page asks for (Authorization included) is allowed.
 * - `origin: true` reflects every Origin; a RegExp (alone or in an array) reflects any Origin it `.test()`s, as written:
 *   `/example\.com$/` also lets in `http://evilexample.com`; a string is sent as it is to every requester (the browser
 *   does the comparing). The default is `*`.
 * - `credentials: true` adds Access-Control-Allow-Credentials: true to whatever origin setting is in force: with
 *   `origin: true` any site can read credentialed answers; with the default `*` the browser refuses them.
 * - CORS does not stop requests: a disallowed Origin only loses the headers, the route handler still runs.
 *   `preflightContinue: true` hands every preflight on to the route handler instead of answering it
 *   (`optionsSuccessStatus`, default 204).
 *
 * Observed (tests/unit/middleware.test.ts): an `origin` function that answers `false` turns CORS off for that request,
 * so a disallowed origin's preflight also reaches the route handler (200 "ok", no CORS headers); any OPTIONS, even
 * without Access-Control-Request-Method, is answered as a preflight.
 */
import type { CorsOptions, CorsOptionsDelegate } from 'cors';
import express, { type Request } from 'express';
import { ROUTE_BODY, handlerHeaders, type BuiltApp, type MiddlewareAdapter, type RouteHooks } from './adapter.ts';
import { packagesLabel } from './installed.ts';
import { loadMiddlewarePackage } from './package-override.ts';

/** What `cors(...)` accepts: its options object, or a per-request delegate that produces one. */
export type ExpressCorsOptions = CorsOptions | CorsOptionsDelegate<Request>;

export const expressCors: MiddlewareAdapter<ExpressCorsOptions> = {
  name: 'express-cors',
  // A getter: cors is an optional peer dependency, looked up only when a suite uses this adapter.
  get packages() {
    return packagesLabel('cors', 'express');
  },
  async build(options: ExpressCorsOptions, hooks: RouteHooks): Promise<BuiltApp> {
    const { default: cors } = await loadMiddlewarePackage('cors', 'cors', () => import('cors'));
    const app = express();
    app.disable('x-powered-by');
    app.disable('etag');
    app.use(cors<Request>(options));
    // Express 5 (path-to-regexp 8): `/{*rest}` matches every path, `/` included; `all` matches every method, and a
    // HEAD reaches it like a GET (Node leaves the body out).
    app.all('/{*rest}', (req, res) => {
      hooks.onHandler(req);
      for (const [name, value] of handlerHeaders(hooks)) res.setHeader(name, value);
      res.status(200).type('text/plain').send(ROUTE_BODY);
    });
    return { listener: app, close: async () => {} };
  },
};
