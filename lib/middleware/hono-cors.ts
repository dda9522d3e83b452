/**
 * hono's `cors` (`hono/cors`) behind `@hono/node-server`.
 *
 * What its documentation and option types say, as it bears on CORS misconfiguration:
 * - `origin` is a string, an array of origins, or a function `(origin, c) => string | null | undefined` (or a promise
 *   of one) whose result is sent as Allow-Origin: a function that returns its argument unchecked reflects every
 *   origin. The default is `*`.
 * - `credentials: true` adds Access-Control-Allow-Credentials: true to whatever origin setting is in force, including
 *   the default `*` (which the browser then refuses) and a reflecting function (which any site can then read).
 * - `allowHeaders` unset (`[]`): a preflight's Access-Control-Allow-Headers reflects the request's
 *   Access-Control-Request-Headers. `allowMethods` may also be a function of the origin.
 * - There is no `preflightContinue`.
 *
 * Observed (tests/unit/middleware.test.ts): a string or array `origin` sends Allow-Origin only to a matching Origin,
 * others get none; the middleware answers every OPTIONS itself (204, even without Origin or
 * Access-Control-Request-Method, and to disallowed origins, with Allow-Methods), so the route handler never sees one.
 */
import type { HttpBindings } from '@hono/node-server';
import type { cors } from 'hono/cors';
import { ROUTE_BODY, handlerHeaders, type BuiltApp, type MiddlewareAdapter, type RouteHooks } from './adapter.ts';
import { packagesLabel } from './installed.ts';
import { loadMiddlewarePackage } from './package-override.ts';

/** What `cors(...)` from `hono/cors` accepts (hono does not export the type by name). */
export type HonoCorsOptions = NonNullable<Parameters<typeof cors>[0]>;

export const honoCors: MiddlewareAdapter<HonoCorsOptions> = {
  name: 'hono-cors',
  // Getter and import on use: hono and @hono/node-server are optional peer dependencies.
  get packages() {
    return packagesLabel('hono', '@hono/node-server');
  },
  async build(options: HonoCorsOptions, hooks: RouteHooks): Promise<BuiltApp> {
    // hono's cors middleware is swapped alone: it only needs hono's Context interface, which every 4.x keeps.
    const { cors: honoCorsMiddleware } = await loadMiddlewarePackage('hono', 'hono/cors', () => import('hono/cors'));
    const [{ Hono }, { getRequestListener }] = await Promise.all([import('hono'), import('@hono/node-server')]);
    const app = new Hono<{ Bindings: HttpBindings }>();
    app.use('*', honoCorsMiddleware(options));
    // `all` matches every method; hono answers HEAD from the same handler and leaves the body out.
    app.all('*', async (c) => {
      hooks.onHandler(c.env.incoming);
      // Read the body (if any) so the adapter never has to tear down an unread request.
      if (c.req.method !== 'GET' && c.req.method !== 'HEAD') await c.req.arrayBuffer();
      for (const [name, value] of handlerHeaders(hooks)) c.header(name, value);
      return c.text(ROUTE_BODY, 200);
    });
    // overrideGlobalObjects: false keeps the adapter from replacing the process's global Request and Response (the
    // harness runs in the same process); it changes nothing about what the app answers.
    const listener = getRequestListener(app.fetch, { overrideGlobalObjects: false });
    return { listener, close: async () => {} };
  },
};
