/**
 * `@fastify/cors` behind Fastify.
 *
 * What its README says, as it bears on CORS misconfiguration:
 * - A RegExp `origin` (alone or in an array) is applied with `.test()` as written, not anchored: without `^`, `$` and
 *   the scheme, `https://example.com.attacker.com` or `https://evilexample.com` match and are reflected.
 *   `origin: true` reflects every Origin; the default is `*`.
 * - `allowedHeaders` unset: a preflight's Access-Control-Allow-Headers reflects the request's
 *   Access-Control-Request-Headers. `methods` defaults to the safelisted GET,HEAD,POST (unlike `cors`), so a PUT or
 *   DELETE preflight fails under the defaults.
 * - `credentials: true` adds Access-Control-Allow-Credentials: true to whatever origin setting is in force.
 * - `strictPreflight` (default true) answers an OPTIONS without Origin or Access-Control-Request-Method with 400;
 *   `preflightContinue: true` passes the preflight, CORS headers set, on to the route handler; `preflight: false`
 *   leaves preflights to the routes altogether.
 *
 * Observed (tests/unit/middleware.test.ts): an `origin` function answering `false` lets a disallowed origin's preflight
 * through to the route handler with no CORS headers; `methods` given as an array is sent joined with ", ".
 *
 * The route is registered for every method, as `fastify.all` would: an OPTIONS the plugin lets through reaches this
 * handler, not the plugin's own catch-all OPTIONS route.
 */
import type { FastifyCorsOptions as PluginOptions } from '@fastify/cors';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ROUTE_BODY, handlerHeaders, type BuiltApp, type MiddlewareAdapter, type RouteHooks } from './adapter.ts';
import { packagesLabel } from './installed.ts';
import { loadMiddlewarePackage } from './package-override.ts';

/** What `@fastify/cors` accepts at registration (its `delegator` field covers per-request options). */
export type FastifyCorsOptions = PluginOptions;

export const fastifyCors: MiddlewareAdapter<FastifyCorsOptions> = {
  name: 'fastify-cors',
  // Getter and import on use: fastify and @fastify/cors are optional peer dependencies.
  get packages() {
    return packagesLabel('@fastify/cors', 'fastify');
  },
  async build(options: FastifyCorsOptions, hooks: RouteHooks): Promise<BuiltApp> {
    const { default: corsPlugin } = await loadMiddlewarePackage('@fastify/cors', '@fastify/cors', () => import('@fastify/cors'));
    const { default: Fastify } = await import('fastify');
    const app = Fastify({ logger: false });
    await app.register(corsPlugin, options);

    // Any body, any content type: the route never depends on what a request carries (Fastify's own parsers would
    // answer 415 to a form post and 400 to broken JSON before the handler ran).
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

    const handler = (request: FastifyRequest, reply: FastifyReply): void => {
      hooks.onHandler(request.raw);
      for (const [name, value] of handlerHeaders(hooks)) reply.header(name, value);
      void reply.code(200).type('text/plain').send(ROUTE_BODY);
    };
    app.route({ method: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH'], url: '/*', handler });
    // The plugin registers its own wildcard `OPTIONS *` route, so `/*` is taken for OPTIONS. These three are more
    // specific than a wildcard and together cover every path, so an OPTIONS the plugin's onRequest hook lets through
    // (preflightContinue, preflight: false, or not a preflight) reaches this handler rather than the plugin's route.
    // (A single-segment path longer than Fastify's maxParamLength, 100, falls back to the plugin's route.)
    for (const url of ['/', '/:first', '/:first/*']) app.route({ method: 'OPTIONS', url, handler });

    await app.ready();
    return {
      // Fastify's router over raw Node req/res, without listening (the same entry `serverFactory` documents).
      listener: (req, res) => app.routing(req, res),
      close: () => app.close(),
    };
  },
};
