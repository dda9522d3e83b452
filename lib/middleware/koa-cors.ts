/**
 * `@koa/cors` behind Koa.
 *
 * What its README and option types say, as it bears on CORS misconfiguration:
 * - `origin` is a string or a function of the Koa context (returning the Allow-Origin value, or a promise of it);
 *   there is no list or RegExp form, so allow-lists are hand-written functions. The default (since 5.0) is `*`.
 * - With `credentials` set (true, or a function returning true), the *default* origin becomes the request's own
 *   Origin header: `cors({ credentials: true })` lets every site read credentialed answers.
 * - `allowHeaders` unset: a preflight's Access-Control-Allow-Headers reflects the request's
 *   Access-Control-Request-Headers.
 * - There is no `preflightContinue`.
 *
 * Observed (tests/unit/middleware.test.ts): `origin: '*'` with `credentials: true` also reflects the request's Origin
 * (credentialed, to any site), not `*`; an origin function returning '' sends no CORS headers and lets the request,
 * preflights included, on to the route handler; an OPTIONS without Access-Control-Request-Method (or without Origin)
 * is not treated as a preflight and reaches the handler; with credentials and no Origin header, Allow-Origin is empty.
 */
import type Koa from 'koa';
import type cors from '@koa/cors';
import { ROUTE_BODY, handlerHeaders, type BuiltApp, type MiddlewareAdapter, type RouteHooks } from './adapter.ts';
import { packagesLabel } from './installed.ts';
import { loadMiddlewarePackage } from './package-override.ts';

/** What `cors(...)` from `@koa/cors` accepts. */
export type KoaCorsOptions = cors.Options;

export const koaCors: MiddlewareAdapter<KoaCorsOptions> = {
  name: 'koa-cors',
  // Getter and import on use: koa and @koa/cors are optional peer dependencies.
  get packages() {
    return packagesLabel('@koa/cors', 'koa');
  },
  async build(options: KoaCorsOptions, hooks: RouteHooks): Promise<BuiltApp> {
    const { default: koaCorsMiddleware } = await loadMiddlewarePackage('@koa/cors', '@koa/cors', () => import('@koa/cors'));
    const { default: KoaApp } = await import('koa');
    const app: Koa = new KoaApp();
    app.silent = true;
    app.use(koaCorsMiddleware(options));
    // Koa has no router: the last middleware is the route, for every path and method. Koa leaves the body out of HEAD.
    app.use((ctx) => {
      hooks.onHandler(ctx.req);
      for (const [name, value] of handlerHeaders(hooks)) ctx.set(name, value);
      ctx.status = 200;
      ctx.type = 'text/plain';
      ctx.body = ROUTE_BODY;
    });
    return { listener: app.callback(), close: async () => {} };
  },
};
