import type { HostedOriginName, OriginMap, OriginName } from './origins.ts';
import { isOriginName, serializedOrigin } from './origins.ts';

/**
 * How the server answers Access-Control-Allow-Origin.
 * - `'*'`, `'null'`: sent literally.
 * - `'reflect'`: the request's Origin is echoed, whatever it is.
 * - `'none'`: no Allow-Origin header at all.
 * - `list`: the request's Origin is echoed when it is one of the named origins.
 * - `pattern`: the request's Origin is echoed when the RegExp matches it, exactly as a middleware's `.test()` would.
 * - `raw`: header lines written as-is, one line per entry; see {@link expandTemplate} for the placeholders.
 */
export type AllowOriginRule =
  | '*'
  | 'reflect'
  | 'null'
  | 'none'
  | { readonly list: readonly OriginName[] }
  | { readonly pattern: string }
  | { readonly raw: readonly string[] };

/** A header-list field: the values are joined with ", " into one line; `'*'` is sent as the wildcard. */
export type HeaderList = readonly string[] | '*';

/**
 * The CORS headers of one kind of answer, where a policy gives them per answer instead of once for all: what a CORS
 * layer in front of the app (an auth proxy, a CDN, nginx's `add_header` without `always`) sends on that answer. A
 * field left out falls back to the next rule (see {@link answerRule}); `false` sends no header for that field.
 */
export interface AnswerRule {
  readonly allowOrigin?: AllowOriginRule;
  readonly allowCredentials?: true | string | false;
  readonly allowMethods?: HeaderList | false;
  readonly allowHeaders?: HeaderList | false;
  readonly exposeHeaders?: HeaderList | false;
  readonly maxAge?: number | string | false;
  readonly vary?: true | string | false;
}

/** The fields an {@link AnswerRule} can give, each also a field of the policy's short form. */
export const ANSWER_RULE_FIELDS = ['allowOrigin', 'allowCredentials', 'allowMethods', 'allowHeaders', 'exposeHeaders', 'maxAge', 'vary'] as const;
export type AnswerRuleField = (typeof ANSWER_RULE_FIELDS)[number];

/** Where a policy gives per-answer rules: the preflight's answer, the actual request's answer, and any answer with an error status (400–599). */
export const ANSWER_RULE_KINDS = ['preflight', 'actual', 'errors'] as const;
export type AnswerRuleKind = (typeof ANSWER_RULE_KINDS)[number];

export interface Policy {
  /**
   * The short form: the one Allow-Origin rule of every answer. Leave it out to give it per answer instead
   * (`preflight.allowOrigin`, `actual.allowOrigin`, `errors.allowOrigin`); an answer that no rule covers sends none.
   */
  readonly allowOrigin?: AllowOriginRule;
  readonly allowMethods?: HeaderList;
  readonly allowHeaders?: HeaderList;
  readonly exposeHeaders?: HeaderList;
  /** `true` sends `true`; a string is sent verbatim, so that near misses such as `True` can be tested. */
  readonly allowCredentials?: true | string;
  /** Seconds; a string is sent verbatim, so that unparseable values (`abc`, `1.5`) can be tested. */
  readonly maxAge?: number | string;
  /** Status of the answer to a preflight. Default 204. */
  readonly preflightStatus?: number;
  /** Status of the answer to the actual request. Default 200. */
  readonly status?: number;
  /** `true` sends `Vary: Origin`; a string is sent verbatim. */
  readonly vary?: true | string;
  /** Extra headers on the actual response (not CORS headers: those have their own fields). */
  readonly responseHeaders?: Readonly<Record<string, string>>;
  /** Set-Cookie lines on the actual response. */
  readonly setCookies?: readonly string[];
  /**
   * The actual request is redirected through these hops, in order, before the policy answers it: hop i answers with
   * its status and a Location naming the case's next hop (`/api/<key>/hop/<i+1>`) on the hop's `to` origin. Every hop
   * is its own request in the ledger, under the case's key.
   */
  readonly redirects?: readonly RedirectHop[];
  /** Answer the preflight with the first hop's redirect as well (a preflight must never follow one). */
  readonly redirectPreflight?: boolean;
  /** With an `ETag` in responseHeaders: a request whose If-None-Match names it is answered 304 Not Modified. */
  readonly revalidate?: boolean;
  /** What the actual response carries, so that other request kinds (image, script, font, event stream) can use it. Default `text`. */
  readonly body?: ResponseBody;
  /** The preflight's answer's own CORS headers, where they differ from the actual answer's (a field given here must not also be given in the short form). */
  readonly preflight?: AnswerRule;
  /** The actual answer's own CORS headers (redirect hops included, unless the hop gives its own Allow-Origin). */
  readonly actual?: AnswerRule;
  /**
   * The CORS headers of every answer whose status is 400–599, preflight or actual: over `preflight` and `actual`,
   * the way an error handler that runs before the CORS middleware, or nginx's `add_header` without `always`, answers.
   */
  readonly errors?: AnswerRule;
}

export const REDIRECT_STATUSES = [301, 302, 303, 307, 308] as const;
export type RedirectStatus = (typeof REDIRECT_STATUSES)[number];

export interface RedirectHop {
  readonly status: RedirectStatus;
  /** The origin the Location points to. */
  readonly to: HostedOriginName;
  /** Allow-Origin on this redirect response; default the policy's own rule. */
  readonly allowOrigin?: AllowOriginRule;
  /** Put `user:pass@` into the Location URL. */
  readonly userinfo?: boolean;
}

export const RESPONSE_BODIES = ['text', 'event-stream', 'script', 'image', 'font', 'css'] as const;
export type ResponseBody = (typeof RESPONSE_BODIES)[number];

/** The Content-Type each body kind is served with. */
export const BODY_CONTENT_TYPES: Readonly<Record<ResponseBody, string>> = {
  text: 'text/plain; charset=utf-8',
  'event-stream': 'text/event-stream',
  script: 'text/javascript',
  image: 'image/png',
  font: 'font/ttf',
  css: 'text/css',
};

/** The path of hop `hop` (1-based; hop 0 is the case's own path) of a redirected case. */
export function hopPath(casePathOfKey: string, hop: number): string {
  return hop === 0 ? casePathOfKey : `${casePathOfKey}/hop/${hop}`;
}

/** The Location a redirect hop answers with: the next hop's URL on the hop's target origin. */
export function redirectLocation(hop: RedirectHop, nextPath: string, origins: OriginMap): string {
  const url = new URL(nextPath, origins[hop.to]);
  if (hop.userinfo) {
    url.username = 'user';
    url.password = 'pass';
  }
  return url.href;
}

export interface HeaderLine {
  readonly name: string;
  readonly value: string;
}

export type ResponseKind = 'preflight' | 'actual';

export interface PolicyContext {
  /** The Origin header the request carried, if any. */
  readonly requestOrigin: string | undefined;
  readonly origins: OriginMap;
}

/**
 * Placeholders in raw Allow-Origin values: `{origin}` the request's Origin, `{ORIGIN}` the same upper-cased,
 * `{origin:NAME}` a named origin of the harness (for example `{origin:cross-site}`).
 */
export function expandTemplate(template: string, context: PolicyContext): string {
  return template.replace(/\{(origin|ORIGIN)(?::([^}]*))?\}/g, (_match, word: string, name: string | undefined) => {
    if (name !== undefined && !isOriginName(name)) throw new Error(`placeholder {${word}:${name}} names no origin`);
    const value = name === undefined ? (context.requestOrigin ?? '') : serializedOrigin(name, context.origins);
    return word === 'ORIGIN' ? value.toUpperCase() : value;
  });
}

function originMatches(rule: AllowOriginRule, context: PolicyContext): boolean {
  const origin = context.requestOrigin;
  if (origin === undefined || typeof rule === 'string' || 'raw' in rule) return false;
  if ('list' in rule) return rule.list.some((name) => serializedOrigin(name, context.origins) === origin);
  return new RegExp(rule.pattern).test(origin);
}

function allowOriginLines(rule: AllowOriginRule, context: PolicyContext): HeaderLine[] {
  const name = 'Access-Control-Allow-Origin';
  if (rule === 'none') return [];
  if (rule === '*' || rule === 'null') return [{ name, value: rule }];
  if (rule === 'reflect') return context.requestOrigin === undefined ? [] : [{ name, value: context.requestOrigin }];
  if ('raw' in rule) return rule.raw.map((template) => ({ name, value: expandTemplate(template, context) }));
  return originMatches(rule, context) ? [{ name, value: context.requestOrigin ?? '' }] : [];
}

function listLine(name: string, list: HeaderList | undefined): HeaderLine[] {
  if (list === undefined) return [];
  return [{ name, value: list === '*' ? '*' : list.join(', ') }];
}

/** The status a policy answers a request of this kind with, when no redirect hop answers it. */
export function answerStatus(policy: Policy, kind: ResponseKind): number {
  return kind === 'preflight' ? (policy.preflightStatus ?? 204) : (policy.status ?? 200);
}

/** Which rules decide an answer's CORS headers, most specific first: `errors` for a 400–599 status, then the kind's own, then the short form. */
export function answerRuleOrder(kind: ResponseKind, status: number): readonly AnswerRuleKind[] {
  return status >= 400 && status <= 599 ? ['errors', kind] : [kind];
}

/**
 * The CORS header fields one answer sends, every per-answer rule resolved: the first rule (by {@link answerRuleOrder})
 * that gives a field wins, then the short form; `false` and absent both mean "not sent". Allow-Origin defaults to none.
 */
export function answerRule(policy: Policy, kind: ResponseKind, status: number = answerStatus(policy, kind)): ResolvedAnswerRule {
  const rules = answerRuleOrder(kind, status).map((k) => policy[k]);
  const pick = <F extends AnswerRuleField>(field: F): AnswerRule[F] | Policy[F] => {
    for (const rule of rules) if (rule?.[field] !== undefined) return rule[field];
    return policy[field];
  };
  return {
    allowOrigin: pick('allowOrigin') ?? 'none',
    ...defined('allowCredentials', pick('allowCredentials')),
    ...defined('allowMethods', pick('allowMethods')),
    ...defined('allowHeaders', pick('allowHeaders')),
    ...defined('exposeHeaders', pick('exposeHeaders')),
    ...defined('maxAge', pick('maxAge')),
    ...defined('vary', pick('vary')),
  };
}

function defined<K extends string, V>(key: K, value: V | undefined | false): { [P in K]?: Exclude<V, false> } {
  return (value === undefined || value === false ? {} : { [key]: value }) as { [P in K]?: Exclude<V, false> };
}

/** One answer's CORS header fields once every rule is resolved: what is absent is not sent. */
export interface ResolvedAnswerRule {
  readonly allowOrigin: AllowOriginRule;
  readonly allowCredentials?: true | string;
  readonly allowMethods?: HeaderList;
  readonly allowHeaders?: HeaderList;
  readonly exposeHeaders?: HeaderList;
  readonly maxAge?: number | string;
  readonly vary?: true | string;
}

/** Whether the policy gives any per-answer rule (then the explanation of a case names which rule answered). */
export function hasAnswerRules(policy: Policy): boolean {
  return ANSWER_RULE_KINDS.some((k) => policy[k] !== undefined);
}

/**
 * The CORS headers (and Vary) the policy puts on a response of the given kind and status (default: the policy's own
 * status for that kind; a redirect hop passes its own). Pure: no request object, no I/O.
 */
export function corsHeaders(policy: Policy, kind: ResponseKind, context: PolicyContext, status: number = answerStatus(policy, kind)): HeaderLine[] {
  const rule = answerRule(policy, kind, status);
  const lines = allowOriginLines(rule.allowOrigin, context);
  if (rule.allowCredentials !== undefined) {
    lines.push({ name: 'Access-Control-Allow-Credentials', value: rule.allowCredentials === true ? 'true' : rule.allowCredentials });
  }
  if (kind === 'preflight') {
    lines.push(...listLine('Access-Control-Allow-Methods', rule.allowMethods));
    lines.push(...listLine('Access-Control-Allow-Headers', rule.allowHeaders));
    if (rule.maxAge !== undefined) lines.push({ name: 'Access-Control-Max-Age', value: String(rule.maxAge) });
  } else {
    lines.push(...listLine('Access-Control-Expose-Headers', rule.exposeHeaders));
  }
  if (rule.vary !== undefined) lines.push({ name: 'Vary', value: rule.vary === true ? 'Origin' : rule.vary });
  return lines;
}

/**
 * The CORS headers of a redirect hop's answer: the hop's own Allow-Origin if it gives one, else the policy's rules
 * for an answer of that kind with the hop's status.
 */
export function redirectCorsHeaders(policy: Policy, hop: RedirectHop, kind: ResponseKind, context: PolicyContext): HeaderLine[] {
  if (hop.allowOrigin === undefined) return corsHeaders(policy, kind, context, hop.status);
  const own: AnswerRule = { allowOrigin: hop.allowOrigin };
  return corsHeaders({ ...policy, preflight: { ...policy.preflight, ...own }, actual: { ...policy.actual, ...own } }, kind, context, hop.status);
}

/** Every header of the actual response besides the CORS ones: the policy's extra headers and cookies. */
export function actualResponseExtras(policy: Policy): HeaderLine[] {
  const extras = Object.entries(policy.responseHeaders ?? {}).map(([name, value]) => ({ name, value }));
  for (const cookie of policy.setCookies ?? []) extras.push({ name: 'Set-Cookie', value: cookie });
  return extras;
}

/** Folds header lines into Node's shape: one name, one value or an array of values (each array item is its own line). */
export function groupHeaderLines(lines: readonly HeaderLine[]): Map<string, string[]> {
  const grouped = new Map<string, string[]>();
  for (const { name, value } of lines) grouped.set(name, [...(grouped.get(name) ?? []), value]);
  return grouped;
}
