import { isIP } from 'node:net';
import { z } from 'zod';
import type { Intent } from './intent.ts';
import type { Finding } from './findings.ts';
import { describeIssues, ScenarioError } from './load-cases.ts';
import { headerName, methodName, requestHeaderName, requestMethodName } from './scenario-schema.ts';
import { sessionCookiesSchema, type SessionCookie } from './session-cookies.ts';

/** Your server: where it already runs, or the command that starts it (the harness waits for the URL to answer). */
export type TargetConfig =
  | DeployedTargetConfig
  | { readonly command: string; readonly url: string; readonly cwd?: string; readonly env?: Readonly<Record<string, string>>; readonly readyTimeoutMs?: number };

/**
 * A server that already runs: on this machine (`http://localhost:3000`) or deployed (`https://api.staging.example.com`).
 * A deployed one is reached with real DNS and real TLS verification against the system trust store.
 */
export interface DeployedTargetConfig {
  readonly url: string;
  /** A PEM file of a private CA that signed the target's certificate, trusted besides the system store. */
  readonly ca?: string;
  /** Host name → IP address to connect to instead of DNS (as curl's `--resolve`); SNI and Host still carry the name. */
  readonly resolve?: Readonly<Record<string, string>>;
  /** Forward actual requests with unsafe methods (anything but GET, HEAD, OPTIONS) to a deployed target. Default false: held back. */
  readonly allowWrites?: boolean;
  /** Requests the front proxy forwards to a deployed target at most, per engine. Default 400. */
  readonly budget?: number;
  /** Requests per second to a deployed target at most. Default 10. */
  readonly rate?: number;
}

/** What the server is meant to allow, with origins written as real origins (`https://app.example.com`). */
export interface OwnIntent extends Omit<Intent, 'origins' | 'outsiders'> {
  readonly origins: readonly string[] | '*';
}

export interface RouteConfig {
  /** A path on the target, e.g. `/api/orders`. */
  readonly path: string;
  /** Methods the route answers; intended methods are tried only where the route has them. Default `['GET']`. */
  readonly methods?: readonly string[];
}

export interface OwnServerConfig {
  readonly target: TargetConfig;
  /**
   * The origin browsers use for your API. The harness serves it on this machine through its forwarding proxy,
   * whatever the name. Default `https://api.cors-matrix.test`.
   */
  readonly apiOrigin?: string;
  readonly routes: readonly RouteConfig[];
  readonly intent: OwnIntent;
  /** Page origins that must read nothing: your attacker list. The null origin is always tried too. */
  readonly attackers?: readonly string[];
  /** Where your server is known to do otherwise than meant: expected by the run, reported as findings. */
  readonly findings?: readonly Finding<string>[];
  /**
   * The victim's session on your API host: cookies the front proxy plants by a first-party visit before credentialed
   * cases run, so every credentialed record says which of them each engine sent. Default: `cm_lax` (SameSite=Lax) and
   * `cm_none` (SameSite=None; Secure).
   */
  readonly sessionCookies?: readonly SessionCookie[];
  /** Keep the observed matrix in a snapshot file next to the spec, and fail the cases that change (lib/snapshot). */
  readonly snapshot?: boolean;
  /**
   * What serves the API, so the diagnosis writes fixes as its configuration (an nginx `map`, a flask-cors `CORS(...)`).
   * Without it, a `Server` header naming nginx, Caddy or Apache is used; otherwise fixes are response headers.
   */
  readonly server?: OwnServerKind;
}

/** The servers whose CORS configuration the diagnosis can write a fix in (`server:` in the config). */
export const OWN_SERVER_KINDS = ['nginx', 'caddy', 'apache', 'flask-cors', 'rs-cors', 'express-cors', 'vite'] as const;
export type OwnServerKind = (typeof OWN_SERVER_KINDS)[number];

export const DEFAULT_API_ORIGIN = 'https://api.cors-matrix.test';
/**
 * In a target URL with a command: the harness picks a free port, fills it in wherever `{port}` is written (target.url,
 * target.command, target.env values) and passes it to the command as PORT too.
 */
export const PORT_PLACEHOLDER = '{port}';

/** `{word}` not preceded by `$` (a shell's `${PORT}` is the shell's own): a placeholder the harness would fill in. */
const PLACEHOLDER = /(?<!\$)\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Refuses placeholders the harness does not know, and `{port}` where no port is picked (no `{port}` in target.url). */
function knownPlaceholders(value: string, ctx: z.RefinementCtx): void {
  for (const [written, name] of value.matchAll(PLACEHOLDER)) {
    if (name === 'port') continue;
    ctx.addIssue({ code: 'custom', message: `holds ${written}, a placeholder the harness does not know: the only one is ${PORT_PLACEHOLDER} (write \${${name}} for a shell variable)` });
  }
}

/** Typed configuration for `cors-matrix.config.ts`. */
export function defineConfig(config: OwnServerConfig): OwnServerConfig {
  return config;
}

const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\]|[a-z0-9.-]+\.localhost)$/i;

/** Whether a string is a serialised http(s) origin, as a config's origins and scan's --origin must be. */
export function isHttpOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}

const origin = z.string().refine(isHttpOrigin, 'must be a serialised http(s) origin such as "https://app.example.com" (no path, no trailing slash)');

const loopbackUrl = z.string().refine((value) => {
  try {
    const url = new URL(value.replace(PORT_PLACEHOLDER, '1'));
    return url.protocol === 'http:' && LOOPBACK_HOST.test(url.hostname);
  } catch {
    return false;
  }
}, 'must be an http:// URL on this machine (localhost, 127.0.0.1, [::1] or *.localhost): the harness sends traffic only to loopback');

const anyHttpUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}, 'must be an http:// or https:// URL');

const ipAddress = z.string().refine((value) => isIP(value) !== 0, 'must be an IP address such as "10.0.0.5" (as curl\'s --resolve)');

/** Whether a target URL is on this machine (a loopback host); anything else is a deployed target. */
export function isLoopbackUrl(value: string): boolean {
  try {
    return LOOPBACK_HOST.test(new URL(value.replace(PORT_PLACEHOLDER, '1')).hostname);
  } catch {
    return false;
  }
}

/** The origin browsers use for your API: `apiOrigin`, else a deployed target's own origin, else the harness's default. */
export function apiOriginOf(config: Pick<OwnServerConfig, 'apiOrigin' | 'target'>): string {
  if (config.apiOrigin !== undefined) return config.apiOrigin;
  return 'command' in config.target || isLoopbackUrl(config.target.url) ? DEFAULT_API_ORIGIN : new URL(config.target.url).origin;
}

const deployedTarget = z.strictObject({
  url: anyHttpUrl,
  ca: z.string().min(1, 'must be the path of a PEM file').optional(),
  resolve: z.record(z.string(), ipAddress).optional(),
  allowWrites: z.boolean().optional(),
  budget: z.number().int('must be a whole number of requests').positive('must be at least 1').optional(),
  rate: z.number().positive('must be more than 0 requests per second').optional(),
});
/** A deployed target's own field, written on a command target: refused by name, not as an unknown key. */
const deployedOnly = z
  .unknown()
  .refine(() => false, 'only for a deployed target (target.url without target.command): a server your command starts runs on this machine')
  .optional();
const commandTarget = z.strictObject({
  command: z.string().min(1, 'must be the command that starts your server').superRefine(knownPlaceholders),
  ca: deployedOnly,
  resolve: deployedOnly,
  allowWrites: deployedOnly,
  url: loopbackUrl,
  cwd: z.string().optional(),
  env: z.record(z.string(), z.string().superRefine(knownPlaceholders)).optional(),
  readyTimeoutMs: z.number().int().positive().optional(),
});
/** A target with `command` is judged as a command target only, so its errors name its own fields (not the other shape's). */
const targetSchema = z.unknown().transform((value, ctx): z.infer<typeof deployedTarget> | z.infer<typeof commandTarget> => {
  const schema = typeof value === 'object' && value !== null && 'command' in value ? commandTarget : deployedTarget;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  return z.NEVER;
});

const configSchema = z.strictObject({
  target: targetSchema,
  apiOrigin: origin.optional(),
  routes: z.array(z.strictObject({ path: z.string().regex(/^\/[^?#]*$/, 'must be a path starting with "/" (no query)'), methods: z.array(methodName).min(1).optional() })).min(1, 'must name at least one route'),
  intent: z.strictObject({
    origins: z.union([z.literal('*'), z.array(origin).min(1)]),
    methods: z.array(requestMethodName).optional(),
    headers: z.array(requestHeaderName).optional(),
    credentials: z.boolean().optional(),
    exposedHeaders: z.array(headerName).optional(),
  }),
  attackers: z.array(origin).optional(),
  findings: z.array(z.record(z.string(), z.unknown())).optional(),
  sessionCookies: sessionCookiesSchema.optional(),
  snapshot: z.boolean().optional(),
  server: z.enum(OWN_SERVER_KINDS, { message: `must be a server kind the fixes know: ${OWN_SERVER_KINDS.map((k) => `'${k}'`).join(', ')} (or leave it out for response-header fixes)` }).optional(),
});

/** Validates a config before any browser or server starts; every problem names the field and the rule. */
export function validateConfig(config: unknown, file = 'cors-matrix.config.ts'): OwnServerConfig {
  const parsed = configSchema.safeParse(config);
  if (!parsed.success) throw new ScenarioError(describeIssues(file, parsed.error.issues));
  const valid = config as OwnServerConfig;
  const { target } = valid;
  if ('command' in target && !target.url.includes(PORT_PLACEHOLDER)) {
    const elsewhere = [target.command.includes(PORT_PLACEHOLDER) && 'target.command', ...Object.entries(target.env ?? {}).filter(([, v]) => v.includes(PORT_PLACEHOLDER)).map(([k]) => `target.env.${k}`)].filter((f) => f !== false);
    if (elsewhere.length > 0) {
      throw new ScenarioError([`${file}: field ${elsewhere.join(', ')}: holds ${PORT_PLACEHOLDER}, but target.url has none, so no port is picked: write ${PORT_PLACEHOLDER} in target.url too`]);
    }
  }
  if (!('command' in target) && target.allowWrites === true && isLoopbackUrl(target.url)) {
    throw new ScenarioError([`${file}: field target.allowWrites: only for a deployed target; ${target.url} is on this machine, where writes are always forwarded`]);
  }
  for (const field of ['budget', 'rate'] as const) {
    if (!('command' in target) && target[field] !== undefined && isLoopbackUrl(target.url)) {
      throw new ScenarioError([`${file}: field target.${field}: only for a deployed target; ${target.url} is on this machine, where requests are not limited`]);
    }
  }
  const pageOrigins = [...(valid.intent.origins === '*' ? [] : valid.intent.origins), ...(valid.attackers ?? [])];
  const api = apiOriginOf(valid);
  if (pageOrigins.includes(api)) throw new ScenarioError([`${file}: field apiOrigin: "${api}" is also a page origin; a same-origin read needs no CORS`]);
  return valid;
}
