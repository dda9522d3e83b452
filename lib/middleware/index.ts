/** Real CORS middleware, each from its own npm package, as Node request listeners the harness can serve. */
import type { BuiltApp, MiddlewareAdapter, MiddlewareName, RouteHooks } from './adapter.ts';
import { expressCors, type ExpressCorsOptions } from './express-cors.ts';
import { fastifyCors, type FastifyCorsOptions } from './fastify-cors.ts';
import { honoCors, type HonoCorsOptions } from './hono-cors.ts';
import { koaCors, type KoaCorsOptions } from './koa-cors.ts';

export type { BuiltApp, MiddlewareAdapter, MiddlewareName, RouteHooks } from './adapter.ts';
export type { ExpressCorsOptions, FastifyCorsOptions, HonoCorsOptions, KoaCorsOptions };
export { expressCors, fastifyCors, honoCors, koaCors };

/** Each middleware's own options type, by adapter name. */
export interface MiddlewareOptions {
  'express-cors': ExpressCorsOptions;
  'fastify-cors': FastifyCorsOptions;
  'koa-cors': KoaCorsOptions;
  'hono-cors': HonoCorsOptions;
}

/** Every adapter, by name; each takes its middleware's own options. */
export const MIDDLEWARE_ADAPTERS: { readonly [Name in MiddlewareName]: MiddlewareAdapter<MiddlewareOptions[Name]> } = {
  'express-cors': expressCors,
  'fastify-cors': fastifyCors,
  'koa-cors': koaCors,
  'hono-cors': honoCors,
};

/** The adapter names, in a fixed order. */
export const MIDDLEWARE_NAMES: readonly MiddlewareName[] = ['express-cors', 'fastify-cors', 'koa-cors', 'hono-cors'];

/** Builds the named adapter's app; `options` are checked against that middleware's own options type. */
export function buildMiddlewareApp<Name extends MiddlewareName>(
  name: Name,
  options: MiddlewareOptions[Name],
  hooks: RouteHooks,
): Promise<BuiltApp> {
  const adapter: MiddlewareAdapter<MiddlewareOptions[Name]> = MIDDLEWARE_ADAPTERS[name];
  return adapter.build(options, hooks);
}

export { ROUTE_BODY, ROUTE_METHODS, type RouteMethod } from './adapter.ts';
