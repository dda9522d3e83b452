// The checked header fix rendered as the server's own configuration, where the kind of server is known: the
// configuration that sends the intended policy's headers (the allowed origins compared exactly, the intended methods,
// headers and credentials, Vary: Origin). The oracle checks the headers; this is the same change in the server's words.
import type { CaseRecord } from '../judge/case-record.ts';
import { intentVerdictOf } from './facts.ts';
import { headerValue } from '../model/headers.ts';
import { OWN_SERVER_KINDS } from '../model/own-server-config.ts';

/** The server kinds whose configuration the fixes can be written in: your own server's, and the built-in middlewares'. */
export const SERVER_KINDS = [...OWN_SERVER_KINDS, 'koa-cors', 'fastify-cors', 'hono-cors'] as const;
export type ServerKind = (typeof SERVER_KINDS)[number];
const isServerKind = (value: string): value is ServerKind => (SERVER_KINDS as readonly string[]).includes(value);

/** The policy the fix must produce, in the user's own terms (from the config's intent, as the records carry it). */
export interface IntendedPolicy {
  readonly origins: readonly string[];
  readonly methods: readonly string[];
  readonly headers: readonly string[];
  readonly credentials: boolean;
}

/** A server's records the intent meant to be allowed: from an intended origin, its intent's verdict allowed (beside a finding too). */
export function meantRecords(records: readonly CaseRecord[], intended: ReadonlySet<string>): CaseRecord[] {
  // A finding replaces what was expected, not what was meant: nginx's PUT on /api/admin fails (500) and is declared,
  // yet the intent still needs PUT there, and a fix that drops it from Allow-Methods would break it for good.
  return records.filter((c) => intended.has(c.requestOrigin) && intentVerdictOf(c) === 'allowed');
}

/** The intended policy of a server, from its records meant to be allowed. */
export function intendedPolicyOf(records: readonly CaseRecord[], intended: ReadonlySet<string>): IntendedPolicy {
  const meant = meantRecords(records, intended);
  const methods = [...new Set(meant.map((c) => c.request.method.toUpperCase()))].sort();
  const headers = [...new Set(meant.flatMap((c) => Object.keys(c.request.headers)))].sort();
  return { origins: [...intended].sort(), methods, headers, credentials: meant.some((c) => c.request.credentials === 'include') };
}

const SERVER_HEADER: readonly [RegExp, ServerKind][] = [
  [/^nginx\b/i, 'nginx'],
  [/^caddy\b/i, 'caddy'],
  [/^apache\b/i, 'apache'],
];

/** The kind of server, where the run knows it: the built-in middleware, the config's `server`, or the `Server` header. */
export function serverKindOf(records: readonly CaseRecord[]): ServerKind | undefined {
  for (const c of records) {
    const named = c.app?.middleware ?? c.external?.server;
    if (named !== undefined && isServerKind(named)) return named;
  }
  for (const c of records) {
    for (const e of c.ledger) {
      const server = headerValue(e.responseHeaders, 'Server');
      const kind = server && SERVER_HEADER.find(([re]) => re.test(server.trim()))?.[1];
      if (kind) return kind;
    }
  }
  return undefined;
}

const js = (values: readonly string[]) => `[${values.map((v) => `'${v}'`).join(', ')}]`;
const go = (values: readonly string[]) => `[]string{${values.map((v) => `"${v}"`).join(', ')}}`;
const py = (values: readonly string[]) => `[${values.map((v) => `'${v}'`).join(', ')}]`;
const regexOf = (origin: string) => `^${origin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;

/** The server's configuration for the intended policy. */
export function serverConfig(kind: ServerKind, p: IntendedPolicy): string {
  const methods = p.methods.length ? p.methods : ['GET'];
  switch (kind) {
    case 'express-cors':
      return `app.use(cors({ origin: ${js(p.origins)}, methods: ${js(methods)}, allowedHeaders: ${js(p.headers)}${p.credentials ? ', credentials: true' : ''} }))`;
    case 'fastify-cors':
      return `await app.register(cors, { origin: ${js(p.origins)}, methods: ${js(methods)}, allowedHeaders: ${js(p.headers)}${p.credentials ? ', credentials: true' : ''} })`;
    case 'hono-cors':
      return `app.use('*', cors({ origin: ${js(p.origins)}, allowMethods: ${js(methods)}, allowHeaders: ${js(p.headers)}${p.credentials ? ', credentials: true' : ''} }))`;
    case 'koa-cors':
      return `app.use(cors({ origin: (ctx) => (${js(p.origins)}.includes(ctx.get('Origin')) ? ctx.get('Origin') : ''), allowMethods: ${js(methods)}, allowHeaders: ${js(p.headers)}${p.credentials ? ', credentials: true' : ''} }))`;
    case 'vite':
      // vite.config: server.cors takes the options of the cors package; an array of strings is compared whole.
      return `export default defineConfig({ server: { cors: { origin: ${js(p.origins)}, methods: ${js(methods)}, allowedHeaders: ${js(p.headers)}${p.credentials ? ', credentials: true' : ''} } } })`;
    case 'flask-cors': {
      // Plain strings are compared whole (a string with regex characters would be matched with re.match, unanchored at its end).
      const cors = `CORS(app, origins=${py(p.origins)}, methods=${py(methods)}, allow_headers=${py(p.headers)}${p.credentials ? ', supports_credentials=True' : ''}, vary_header=True)`;
      if (p.origins.length > 1) return cors;
      // flask-cors sends Vary: Origin only where more than one origin can match (core.py get_cors_headers, 3.0.10 and
      // 6.0): with one allowed origin the answer still differs by Origin (the header, or none), so it is added here
      // (a user's pasted fix answered without Vary, tried 2026-12-06).
      return [cors, '', '@app.after_request', 'def vary_on_origin(response):', "    response.vary.add('Origin')", '    return response'].join('\n');
    }
    case 'rs-cors':
      return `cors.New(cors.Options{AllowedOrigins: ${go(p.origins)}, AllowedMethods: ${go(methods)}, AllowedHeaders: ${go(p.headers)}${p.credentials ? ', AllowCredentials: true' : ''}})`;
    case 'nginx':
      return [
        '# in http {}: the allowed origins, compared whole',
        `map $http_origin $cors_origin { default ""; ${p.origins.map((o) => `"${o}" $http_origin;`).join(' ')} }`,
        '# in the location: "always" puts them on errors and redirects too; an empty $cors_origin sends no header',
        'add_header Access-Control-Allow-Origin $cors_origin always;',
        ...(p.credentials ? ['add_header Access-Control-Allow-Credentials true always;'] : []),
        `add_header Access-Control-Allow-Methods "${methods.join(', ')}" always;`,
        ...(p.headers.length ? [`add_header Access-Control-Allow-Headers "${p.headers.join(', ')}" always;`] : []),
        'add_header Vary Origin always;',
        'if ($request_method = OPTIONS) { return 204; }',
      ].join('\n');
    case 'caddy':
      return [
        `@cors_allowed header_regexp Origin ${p.origins.map(regexOf).join('|')}`,
        'header @cors_allowed Access-Control-Allow-Origin {http.request.header.Origin}',
        ...(p.credentials ? ['header @cors_allowed Access-Control-Allow-Credentials true'] : []),
        `header @cors_allowed Access-Control-Allow-Methods "${methods.join(', ')}"`,
        ...(p.headers.length ? [`header @cors_allowed Access-Control-Allow-Headers "${p.headers.join(', ')}"`] : []),
        'header Vary Origin',
        '@cors_preflight method OPTIONS',
        'respond @cors_preflight 204',
      ].join('\n');
    case 'apache':
      return [
        `SetEnvIf Origin "${p.origins.map(regexOf).join('|')}" CORS_ORIGIN=$0`,
        'Header always set Access-Control-Allow-Origin "%{CORS_ORIGIN}e" env=CORS_ORIGIN',
        ...(p.credentials ? ['Header always set Access-Control-Allow-Credentials "true" env=CORS_ORIGIN'] : []),
        `Header always set Access-Control-Allow-Methods "${methods.join(', ')}" env=CORS_ORIGIN`,
        ...(p.headers.length ? [`Header always set Access-Control-Allow-Headers "${p.headers.join(', ')}" env=CORS_ORIGIN`] : []),
        'Header always merge Vary Origin',
      ].join('\n');
  }
}
