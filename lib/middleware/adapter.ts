import type { IncomingMessage, RequestListener } from 'node:http';

/** The middlewares the harness can put behind its API origins, each from its own npm package. */
export type MiddlewareName = 'express-cors' | 'fastify-cors' | 'koa-cors' | 'hono-cors';

/** What the route behind the middleware does, so the harness can tell whether a request got past the middleware. */
export interface RouteHooks {
  /** Called by the route's own handler (not by the middleware) each time it runs, with the raw request. */
  onHandler(req: IncomingMessage): void;
  /** Extra headers the route's own handler sets on its answer (e.g. X-Custom for exposed-header cases). */
  readonly responseHeaders?: Readonly<Record<string, string>>;
}

/** A configured app, ready to answer raw Node requests. */
export interface BuiltApp {
  readonly listener: RequestListener;
  /** Releases what the framework holds (Fastify's instance); the caller closes its own server. */
  close(): Promise<void>;
}

export interface MiddlewareAdapter<Options> {
  readonly name: MiddlewareName;
  /** npm package(s) behind it, with the installed version, e.g. 'cors@2.8.5 + express@5.3.0'. */
  readonly packages: string;
  /**
   * A Node request listener: every path, every method (GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS) goes through the
   * middleware configured with `options` exactly as the user would write them; a request the middleware lets through
   * reaches one route handler that calls hooks.onHandler(req), sets hooks.responseHeaders, and answers 200 text/plain
   * "ok".
   */
  build(options: Options, hooks: RouteHooks): Promise<BuiltApp>;
}

/** The route handler's answer body. */
export const ROUTE_BODY = 'ok';

/** The methods every adapter routes to its handler. */
export const ROUTE_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;
export type RouteMethod = (typeof ROUTE_METHODS)[number];

/** The hooks' extra headers as entries (none when the hooks set none). */
export function handlerHeaders(hooks: RouteHooks): readonly (readonly [string, string])[] {
  return Object.entries(hooks.responseHeaders ?? {});
}
