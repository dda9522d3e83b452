import type { OriginMap, OriginName } from './origins.ts';
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

export interface Policy {
  readonly allowOrigin: AllowOriginRule;
  readonly allowMethods?: HeaderList;
  readonly allowHeaders?: HeaderList;
  readonly exposeHeaders?: HeaderList;
  /** `true` sends `true`; a string is sent verbatim, so that near misses such as `True` can be tested. */
  readonly allowCredentials?: true | string;
  readonly maxAge?: number;
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

/** The CORS headers (and Vary) the policy puts on a response of the given kind. Pure: no request object, no I/O. */
export function corsHeaders(policy: Policy, kind: ResponseKind, context: PolicyContext): HeaderLine[] {
  const lines = allowOriginLines(policy.allowOrigin, context);
  if (policy.allowCredentials !== undefined) {
    lines.push({ name: 'Access-Control-Allow-Credentials', value: policy.allowCredentials === true ? 'true' : policy.allowCredentials });
  }
  if (kind === 'preflight') {
    lines.push(...listLine('Access-Control-Allow-Methods', policy.allowMethods));
    lines.push(...listLine('Access-Control-Allow-Headers', policy.allowHeaders));
    if (policy.maxAge !== undefined) lines.push({ name: 'Access-Control-Max-Age', value: String(policy.maxAge) });
  } else {
    lines.push(...listLine('Access-Control-Expose-Headers', policy.exposeHeaders));
  }
  if (policy.vary !== undefined) lines.push({ name: 'Vary', value: policy.vary === true ? 'Origin' : policy.vary });
  return lines;
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
