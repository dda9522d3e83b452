// The victim's session: cookies planted on the API origin by a first-party visit, the way a logged-in user holds
// them, before any credentialed case runs. The harness then records which of them each engine sends cross-site.
import { z } from 'zod';
import { describeIssues, ScenarioError } from './load-cases.ts';

export type SameSite = 'None' | 'Lax' | 'Strict';

/** One cookie of the session, with the attributes it is set with. */
export interface SessionCookie {
  /** A cookie-name token (RFC 6265 §4.1.1). Names should start with `cm_` or be listed in expectations by name. */
  readonly name: string;
  /** Default `1`; the ledger records names only. */
  readonly value?: string;
  readonly sameSite: SameSite;
  /** Required (and the default) for SameSite=None, `__Secure-` / `__Host-` names and Partitioned cookies. */
  readonly secure?: boolean;
  /** Default false. Changes nothing about sending; a real session cookie usually has it. */
  readonly httpOnly?: boolean;
  /** Default `/`. */
  readonly path?: string;
  /** CHIPS: the cookie is kept per top-level site. Requires Secure. */
  readonly partitioned?: boolean;
}

/** A logged-in user's session on the API origin: one cookie every engine sends cross-site if any, one only same-site. */
export const DEFAULT_SESSION_COOKIES: readonly SessionCookie[] = [
  { name: 'cm_lax', sameSite: 'Lax' },
  { name: 'cm_none', sameSite: 'None', secure: true },
];

/** Where the harness's servers (and the front proxy, for your API host) plant a session: a first-party visit. */
export const SESSION_COOKIE_ROUTE = '/__cm/set-cookies';
const SPEC_QUERY = 'c';

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const COOKIE_OCTETS = /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*$/;
const COOKIE_PATH = /^\/[\x20-\x3A\x3C-\x7E]*$/;

const cookieSchema = z
  .strictObject({
    name: z.string().regex(TOKEN, 'must be a cookie-name token (RFC 6265 §4.1.1: no spaces, separators or control characters)'),
    value: z.string().regex(COOKIE_OCTETS, 'must be cookie-octets (RFC 6265 §4.1.1: no spaces, quotes, commas, semicolons or backslashes)').optional(),
    sameSite: z.enum(['None', 'Lax', 'Strict'], { error: 'must be "None", "Lax" or "Strict"' }),
    secure: z.boolean().optional(),
    httpOnly: z.boolean().optional(),
    path: z.string().regex(COOKIE_PATH, 'must start with "/" and hold no ";" or control characters').optional(),
    partitioned: z.boolean().optional(),
  })
  .superRefine((cookie, ctx) => {
    const secure = isSecure(cookie);
    const need = (path: string, rule: string) => ctx.addIssue({ code: 'custom', path: [path], message: rule });
    if (!secure && cookie.sameSite === 'None') need('secure', 'must not be false with sameSite "None": engines refuse SameSite=None without Secure');
    if (!secure && cookie.partitioned) need('secure', 'must not be false for a partitioned cookie: Partitioned requires Secure');
    if (!secure && /^__(Secure|Host)-/i.test(cookie.name)) need('secure', `must not be false: a cookie named "${cookie.name}" requires Secure`);
    if (/^__Host-/i.test(cookie.name) && (cookie.path ?? '/') !== '/') need('path', 'must be "/" for a __Host- cookie');
  });

const cookiesSchema = z
  .array(cookieSchema)
  .min(1, 'must name at least one cookie')
  .max(10, 'must name at most 10 cookies')
  .superRefine((cookies, ctx) => {
    const seen = new Set<string>();
    cookies.forEach((cookie, i) => {
      if (seen.has(cookie.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `must be unique, "${cookie.name}" is used twice` });
      seen.add(cookie.name);
    });
  });

/** The schema for a `sessionCookies` field, for the validators of middleware suites and `cors-matrix.config.ts`. */
export const sessionCookiesSchema: z.ZodType<readonly SessionCookie[]> = cookiesSchema;

function isSecure(cookie: Pick<SessionCookie, 'secure' | 'sameSite' | 'partitioned'>): boolean {
  return cookie.secure ?? (cookie.sameSite === 'None' || cookie.partitioned === true);
}

/** Checks a session cookie list; throws a ScenarioError naming `where`, the field and the rule. */
export function validateSessionCookies(cookies: unknown, where: string): readonly SessionCookie[] {
  const parsed = z.object({ sessionCookies: cookiesSchema }).safeParse({ sessionCookies: cookies });
  if (!parsed.success) throw new ScenarioError(describeIssues(where, parsed.error.issues));
  return parsed.data.sessionCookies;
}

/** The Set-Cookie line that plants one cookie. */
export function setCookieLine(cookie: SessionCookie): string {
  return [
    `${cookie.name}=${cookie.value ?? '1'}`,
    `Path=${cookie.path ?? '/'}`,
    `SameSite=${cookie.sameSite}`,
    isSecure(cookie) && 'Secure',
    cookie.httpOnly && 'HttpOnly',
    cookie.partitioned && 'Partitioned',
  ]
    .filter(Boolean)
    .join('; ');
}

/**
 * The path and query to visit, first-party, on the target origin so that it plants exactly these cookies, e.g.
 * `/__cm/set-cookies?c=<base64url JSON>`. The cookies are validated first.
 */
export function sessionCookiePath(cookies: readonly SessionCookie[] = DEFAULT_SESSION_COOKIES): string {
  const valid = validateSessionCookies(cookies, 'session cookies');
  return `${SESSION_COOKIE_ROUTE}?${SPEC_QUERY}=${Buffer.from(JSON.stringify(valid), 'utf8').toString('base64url')}`;
}

/** The cookies a session-cookie path asks for (the defaults when it names none); throws a ScenarioError on a bad spec. */
export function sessionCookiesFromPath(pathAndQuery: string): readonly SessionCookie[] {
  const spec = new URL(pathAndQuery, 'http://cookies.invalid').searchParams.get(SPEC_QUERY);
  if (spec === null) return DEFAULT_SESSION_COOKIES;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(spec, 'base64url').toString('utf8'));
  } catch {
    throw new ScenarioError([`${SESSION_COOKIE_ROUTE}: query ${SPEC_QUERY}: must be base64url JSON from sessionCookiePath()`]);
  }
  return validateSessionCookies(decoded, SESSION_COOKIE_ROUTE);
}

/** True for a request to the session-cookie route (any query). */
export function isSessionCookiePath(pathAndQuery: string): boolean {
  return pathAndQuery === SESSION_COOKIE_ROUTE || pathAndQuery.startsWith(`${SESSION_COOKIE_ROUTE}?`);
}
