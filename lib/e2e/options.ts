/**
 * The fixture's options, checked once: which of your API's origins go through the harness's forwarding proxy (so
 * that preflights are seen on the wire) and where those origins really listen. Bad input is an error naming the field
 * and the rule, before any browser starts.
 */

/** One API origin as your frontend calls it, and the loopback server that answers for it in the test. */
export interface ApiOriginMapping {
  /** `https://api.example.com`, `http://localhost:4000`: scheme, host and port exactly as your frontend's requests name them. */
  readonly origin: string;
  /** Where it really listens: a loopback URL such as `http://127.0.0.1:4000`. */
  readonly target: string;
}

export interface CorsOptions {
  /**
   * Your API's origins, as the page requests them. Requests to these go through the harness's forwarding proxy to
   * `target` (http and https alike), so the fixture sees every preflight and every answer exactly as sent. A string
   * takes `target`; `{ origin, target }` names its own.
   */
  readonly apiOrigins: readonly (string | ApiOriginMapping)[];
  /** Where the API origins given as strings really listen: a loopback URL (`http://127.0.0.1:4000`). */
  readonly target?: string;
}

/** The options after the check: every origin with its own target, as URLs. */
export interface CheckedCorsOptions {
  readonly apis: readonly { readonly origin: string; readonly target: URL }[];
}

/** What the test setup can change about CORS, by the name a test uses to turn its warning off. */
export const CORS_WARNINGS = ['route', 'route-fulfill', 'route-continue', 'extra-http-headers', 'bypass-csp', 'disable-web-security', 'ignore-https-errors'] as const;
export type CorsWarningName = (typeof CORS_WARNINGS)[number];

export class CorsOptionsError extends Error {
  constructor(
    readonly field: string,
    rule: string,
  ) {
    super(`${field}: ${rule}`);
    this.name = 'CorsOptionsError';
  }
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\]|[a-z0-9.-]+\.localhost)$/i;

function originOf(field: string, value: unknown): string {
  if (typeof value !== 'string') throw new CorsOptionsError(field, `must be an origin such as 'https://api.example.com', got ${JSON.stringify(value)}`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CorsOptionsError(field, `'${value}' is not a URL; an origin is scheme://host[:port], such as 'https://api.example.com'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CorsOptionsError(field, `'${value}' is not an http or https origin`);
  if (value.replace(/\/$/, '') !== url.origin) throw new CorsOptionsError(field, `'${value}' is not an origin: give scheme://host[:port] only (${url.origin}), without a path, query or fragment`);
  return url.origin;
}

function targetOf(field: string, value: unknown): URL {
  if (typeof value !== 'string') throw new CorsOptionsError(field, `must be a loopback URL such as 'http://127.0.0.1:4000', got ${JSON.stringify(value)}`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CorsOptionsError(field, `'${value}' is not a URL; give where your API listens, such as 'http://127.0.0.1:4000'`);
  }
  if (url.protocol !== 'http:') throw new CorsOptionsError(field, `'${value}': the proxy speaks plain http to your server (it terminates https itself); give http://…`);
  if (!LOOPBACK.test(url.hostname)) throw new CorsOptionsError(field, `'${value}' is not on this machine; the proxy forwards only to loopback (127.0.0.1, localhost)`);
  return url;
}

/** Checks the fixture's options: every field named with its rule on the first problem. */
export function checkCorsOptions(options: unknown): CheckedCorsOptions {
  if (typeof options !== 'object' || options === null) throw new CorsOptionsError('corsOptions', `must be an object { apiOrigins, target }, got ${JSON.stringify(options)}`);
  const { apiOrigins, target } = options as Partial<Record<keyof CorsOptions, unknown>>;
  if (!Array.isArray(apiOrigins)) throw new CorsOptionsError('corsOptions.apiOrigins', `must be a list of origins, got ${JSON.stringify(apiOrigins)}`);
  if (apiOrigins.length === 0) throw new CorsOptionsError('corsOptions.apiOrigins', 'names no origin: give at least one, such as [\'https://api.example.com\']');
  const sharedTarget = target === undefined ? undefined : targetOf('corsOptions.target', target);
  const seen = new Set<string>();
  const apis = apiOrigins.map((entry: unknown, i) => {
    const field = `corsOptions.apiOrigins[${i}]`;
    const own = typeof entry === 'object' && entry !== null ? (entry as Partial<Record<keyof ApiOriginMapping, unknown>>) : undefined;
    const origin = originOf(own ? `${field}.origin` : field, own ? own.origin : entry);
    if (seen.has(origin)) throw new CorsOptionsError(field, `${origin} is listed twice`);
    seen.add(origin);
    const routed = own?.target !== undefined ? targetOf(`${field}.target`, own.target) : sharedTarget;
    if (!routed) throw new CorsOptionsError(own ? `${field}.target` : 'corsOptions.target', `${origin} has no target: give corsOptions.target, or { origin, target } for this origin`);
    return { origin, target: routed };
  });
  return { apis };
}

/** Checks the names a test turns warnings off with. */
export function checkQuiet(names: unknown): readonly CorsWarningName[] {
  if (!Array.isArray(names)) throw new CorsOptionsError('corsQuiet', `must be a list of warning names (${CORS_WARNINGS.join(', ')}), got ${JSON.stringify(names)}`);
  return names.map((name: unknown, i) => {
    if (typeof name !== 'string' || !(CORS_WARNINGS as readonly string[]).includes(name)) {
      throw new CorsOptionsError(`corsQuiet[${i}]`, `${JSON.stringify(name)} is not a warning name; the names are ${CORS_WARNINGS.join(', ')}`);
    }
    return name as CorsWarningName;
  });
}

/** Whether a host name is on this machine (the engines treat these as loopback). */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.test(host);
}
