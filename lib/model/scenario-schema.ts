import { z } from 'zod';
import { ENGINE_NAMES, HARNESS_PROBLEMS, VERDICTS } from '../oracle/vocabulary.ts';
import { forbiddenRequestHeader, isForbiddenMethod } from '../oracle/safelist.ts';
import { ORIGIN_NAMES } from './origins.ts';
import { PROFILE_NAMES } from './profiles.ts';
import { ANSWER_RULE_FIELDS, ANSWER_RULE_KINDS, REDIRECT_STATUSES, RESPONSE_BODIES, type AnswerRuleField, type AnswerRuleKind } from './policy.ts';
import { REQUEST_KINDS } from './scenario.ts';

// RFC 9110 §5.6.2: method and header names are tokens.
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** A header name, as scenarios, intents and configs all write them. */
export const headerName = z.string().regex(TOKEN, 'must be an HTTP token (RFC 9110 §5.6.2)');
/** A method as a script writes it (any case). */
export const methodName = z.string().regex(TOKEN, 'must be an HTTP token (RFC 9110 §9.1)');

// Fetch Standard §2.2.1 ("forbidden method") and §2.2.2 ("forbidden request-header"): a script cannot send these, so
// no case, intent or config may ask for them. The lists are the oracle's own (lib/oracle/safelist.ts).
const FORBIDDEN_METHOD_RULE = 'is a forbidden method (Fetch Standard §2.2.1): CONNECT, TRACE and TRACK, in any case, and no browser lets a script send one';
const forbiddenHeaderRule = (why: string): string => `is a forbidden request-header (Fetch Standard §2.2.2): ${why}, so no browser lets a script send it`;

/** A method a script may send: an HTTP token, and not a forbidden method. */
export const requestMethodName = methodName.refine((m) => !isForbiddenMethod(m), FORBIDDEN_METHOD_RULE);
/**
 * A request-header name a script may send, as an intent names it (the harness sends it with the value "1"): an HTTP
 * token, and not a forbidden request-header name.
 */
export const requestHeaderName = headerName.superRefine((name, ctx) => {
  const forbidden = forbiddenRequestHeader(name, '1');
  if (forbidden !== undefined) ctx.addIssue({ code: 'custom', message: forbiddenHeaderRule(forbidden) });
});
const headerValue = z.string().refine((v) => !/[\r\n\0]/.test(v), 'must not contain CR, LF or NUL (RFC 9110 §5.5)');
const HOSTED_ORIGIN_NAMES = ORIGIN_NAMES.filter((n) => n !== 'null');
const originName = z.enum(ORIGIN_NAMES, { error: `must be one of the named origins: ${ORIGIN_NAMES.join(', ')}` });
const hostedOriginName = z.enum(HOSTED_ORIGIN_NAMES as [string, ...string[]], {
  error: `must be a hosted origin (the null origin can only make requests): ${HOSTED_ORIGIN_NAMES.join(', ')}`,
});
const headerList = z.union([z.literal('*'), z.array(z.string().min(1, 'must not be empty'))]);

const requestHeaders = z.record(z.string(), headerValue).superRefine((headers, ctx) => {
  for (const name of Object.keys(headers)) {
    if (!TOKEN.test(name)) ctx.addIssue({ code: 'custom', path: [name], message: `"${name}" is not a valid header name: it must be an HTTP token (RFC 9110 §5.6.2)` });
    const forbidden = forbiddenRequestHeader(name, headers[name] ?? '');
    if (forbidden !== undefined) ctx.addIssue({ code: 'custom', path: [name], message: `"${name}" ${forbiddenHeaderRule(forbidden)}` });
  }
});

const request = z.strictObject({
  method: requestMethodName,
  headers: requestHeaders.optional(),
  body: z.string().optional(),
  credentials: z.enum(['omit', 'same-origin', 'include']).optional(),
  mode: z.enum(['cors', 'no-cors', 'same-origin']).optional(),
  redirect: z.enum(['follow', 'error', 'manual']).optional(),
  kind: z.enum(REQUEST_KINDS, { error: `must be one of the request kinds: ${REQUEST_KINDS.join(', ')}` }).optional(),
});

const rawAllowOriginLine = headerValue.superRefine((line, ctx) => {
  for (const [, name] of line.matchAll(/\{(?:origin|ORIGIN):([^}]*)\}/g)) {
    if (!(ORIGIN_NAMES as readonly string[]).includes(name ?? '')) {
      ctx.addIssue({ code: 'custom', message: `placeholder {origin:${name}} names no origin; use one of: ${ORIGIN_NAMES.join(', ')}` });
    }
  }
});

const allowOrigin = z.union([
  z.enum(['*', 'reflect', 'null', 'none']),
  z.strictObject({ list: z.array(originName).min(1, 'an empty list allows no origin: write allowOrigin: "none"') }),
  z.strictObject({
    pattern: z.string().refine((source) => {
      try {
        new RegExp(source);
        return true;
      } catch {
        return false;
      }
    }, 'must be a valid JavaScript RegExp source'),
  }),
  z.strictObject({ raw: z.array(rawAllowOriginLine).min(1, 'must hold at least one header line') }),
], { error: `must be "*", "reflect", "null", "none", { list: [origin names] }, { pattern: "RegExp source" } or { raw: ["header line"] }` });

const status = z.number().int().min(100).max(599);

const redirectHop = z.strictObject({
  status: z.literal(REDIRECT_STATUSES, { error: `must be a redirect status: ${REDIRECT_STATUSES.join(', ')}` }),
  to: hostedOriginName,
  allowOrigin: allowOrigin.optional(),
  userinfo: z.boolean().optional(),
});

const notSent = z.literal(false);
// One kind of answer's own CORS headers; `false` sends none for that field (where the short form would).
const answerRule = z.strictObject({
  allowOrigin: allowOrigin.optional(),
  allowCredentials: z.union([z.literal(true), notSent, headerValue]).optional(),
  allowMethods: z.union([headerList, notSent]).optional(),
  allowHeaders: z.union([headerList, notSent]).optional(),
  exposeHeaders: z.union([headerList, notSent]).optional(),
  maxAge: z.union([z.number().int('must be a whole number of seconds'), notSent, headerValue], { error: 'must be a whole number of seconds, a string sent verbatim, or false (not sent)' }).optional(),
  vary: z.union([z.literal(true), notSent, headerValue]).optional(),
});

// Fields a kind of answer never carries: a preflight exposes nothing, an actual answer allows no methods or headers.
const NEVER_ON: Readonly<Record<'preflight' | 'actual', readonly AnswerRuleField[]>> = {
  preflight: ['exposeHeaders'],
  actual: ['allowMethods', 'allowHeaders', 'maxAge'],
};

/** The per-answer rules checked against the short form: a field is given either once for every answer or per answer, never both. */
function checkAnswerRules(p: Partial<Record<AnswerRuleField | AnswerRuleKind, unknown>>, ctx: z.RefinementCtx): void {
  for (const kind of ANSWER_RULE_KINDS) {
    const rule = p[kind] as Partial<Record<AnswerRuleField, unknown>> | undefined;
    if (rule === undefined) continue;
    for (const field of ANSWER_RULE_FIELDS) {
      if (rule[field] === undefined) continue;
      if (p[field] !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [kind, field],
          message: `is also given in the short form (policy.${field}), which applies to every answer: give "${field}" either once for every answer or per answer (preflight, actual, errors), not both`,
        });
      }
      if (kind !== 'errors' && NEVER_ON[kind].includes(field)) {
        ctx.addIssue({ code: 'custom', path: [kind, field], message: `is never sent on ${kind === 'preflight' ? 'a preflight answer' : 'an actual answer'}: it means nothing there` });
      }
    }
  }
  const perAnswer = ANSWER_RULE_KINDS.some((kind) => (p[kind] as { allowOrigin?: unknown } | undefined)?.allowOrigin !== undefined);
  if (p.allowOrigin === undefined && !perAnswer) {
    ctx.addIssue({ code: 'custom', path: ['allowOrigin'], message: 'is required: give allowOrigin for every answer, or per answer (preflight.allowOrigin, actual.allowOrigin, errors.allowOrigin)' });
  }
}

const policy = z
  .strictObject({
    allowOrigin: allowOrigin.optional(),
    allowMethods: headerList.optional(),
    allowHeaders: headerList.optional(),
    exposeHeaders: headerList.optional(),
    allowCredentials: z.union([z.literal(true), headerValue]).optional(),
    maxAge: z.union([z.number().int('must be a whole number of seconds'), headerValue], { error: 'must be a whole number of seconds, or a string sent verbatim' }).optional(),
    preflightStatus: status.optional(),
    status: status.optional(),
    vary: z.union([z.literal(true), headerValue]).optional(),
    responseHeaders: z.record(z.string().regex(TOKEN, 'header names must be HTTP tokens'), headerValue).optional(),
    setCookies: z.array(z.string().regex(/^[^=;\s]+=/, 'must start with name=value')).optional(),
    redirects: z.array(redirectHop).min(1, 'must hold at least one hop; leave it out for no redirect').max(5, 'at most 5 hops: engines stop at 20, the matrix needs no more').optional(),
    redirectPreflight: z.boolean().optional(),
    revalidate: z.boolean().optional(),
    body: z.enum(RESPONSE_BODIES, { error: `must be one of: ${RESPONSE_BODIES.join(', ')}` }).optional(),
    preflight: answerRule.optional(),
    actual: answerRule.optional(),
    errors: answerRule.optional(),
  })
  .superRefine((p, ctx) => {
    checkAnswerRules(p, ctx);
    for (const name of Object.keys(p.responseHeaders ?? {})) {
      if (name.toLowerCase().startsWith('access-control-') || name.toLowerCase() === 'vary' || name.toLowerCase() === 'set-cookie') {
        ctx.addIssue({
          code: 'custom',
          path: ['responseHeaders', name],
          message: `contradicts the policy's own fields: set "${name}" through allowOrigin/allowMethods/allowHeaders/exposeHeaders/allowCredentials/maxAge/vary/setCookies`,
        });
      }
    }
    const validators = Object.keys(p.responseHeaders ?? {}).map((n) => n.toLowerCase());
    if (p.revalidate && !validators.includes('etag')) {
      ctx.addIssue({ code: 'custom', path: ['revalidate'], message: 'needs an ETag in responseHeaders: without a validator there is nothing to revalidate against' });
    }
    if (p.redirectPreflight && !p.redirects) {
      ctx.addIssue({ code: 'custom', path: ['redirectPreflight'], message: 'needs redirects: the preflight is redirected to the first hop' });
    }
    if (p.allowOrigin === 'none' && p.allowCredentials !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['allowCredentials'],
        message: 'contradicts allowOrigin "none": credentials cannot be allowed for no origin; give allowOrigin an origin or drop allowCredentials',
      });
    }
  });

/** A server policy as scenarios write it: the short form, per-answer rules, or both for different fields. `explain` reads it too. */
export const policySchema = policy;

const expectedFields = {
  preflight: z.boolean().optional(),
  readable: z.array(headerName).optional(),
  hidden: z.array(headerName).optional(),
  cookies: z.array(z.enum(['cm_lax', 'cm_none'])).optional(),
  reachedHandler: z.boolean().optional(),
  harnessProblem: z.enum(HARNESS_PROBLEMS).optional(),
};
const verdict = z.enum(VERDICTS);
const deviation = z.strictObject({ verdict: verdict.optional(), ...expectedFields, because: z.string({ error: 'must give the reason the engine differs' }).min(10, 'must give the reason (at least 10 characters)') });
const expectation = z.union([
  verdict,
  z.strictObject({
    verdict: verdict.optional(),
    ...expectedFields,
    why: z.string().optional(),
    engines: z.partialRecord(z.enum(ENGINE_NAMES), deviation).optional(),
    profiles: z
      .record(z.string(), z.partialRecord(z.enum(ENGINE_NAMES), deviation))
      .superRefine((profiles, ctx) => {
        for (const name of Object.keys(profiles)) {
          if (!(PROFILE_NAMES as readonly string[]).includes(name)) ctx.addIssue({ code: 'custom', path: [name], message: `"${name}" is not a profile: must be one of ${PROFILE_NAMES.join(', ')}` });
        }
      })
      .optional(),
  }),
], { error: `must be a verdict (${VERDICTS.join(', ')}) or { verdict?, preflight?, readable?, hidden?, cookies?, why?, engines?, profiles? }` });

export const caseRowSchema = z
  .strictObject({
    server: z.string().min(3, 'must say what the server does'),
    from: originName.optional(),
    to: hostedOriginName,
    request,
    policy,
    expect: expectation.optional(),
    sequence: z
      .strictObject({
        id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be kebab-case'),
        afterMs: z.number().int('must be whole milliseconds').min(0, 'cannot be negative').max(30_000, 'must be at most 30000: a longer wait belongs in a soak, not a matrix').optional(),
      })
      .optional(),
    wpt: z.strictObject({ file: z.string().regex(/\.js$/, 'must name a WPT test file (…\.js)'), subtest: z.string().min(1, 'must be the subtest title'), outcome: z.enum(['resolves', 'TypeError']) }).optional(),
  })
  .superRefine((row, ctx) => {
    const from = row.from ?? 'page';
    if (from === row.to) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: `is the requesting origin itself; write to: "same-origin" for a same-origin request` });
    }
    if (row.to === 'same-origin' && from !== 'page') {
      ctx.addIssue({ code: 'custom', path: ['to'], message: `"same-origin" names the page origin, so it is same-origin only for requests from "page", not from "${from}"` });
    }
    const method = row.request.method.toUpperCase();
    if ((method === 'GET' || method === 'HEAD') && row.request.body !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['request', 'body'], message: `a ${row.request.method} request cannot have a body (Fetch Standard, Request constructor)` });
    }
  });

/**
 * Rows through the shared cache read what an earlier row stored: each must be a step of a sequence, and each such
 * sequence must read from a second origin (what one origin stored and the same origin reads back proves nothing
 * about a shared cache). Rows are read loosely here: each is validated on its own by caseRowSchema.
 */
function checkSharedCacheSequences(cases: readonly unknown[], ctx: z.RefinementCtx): void {
  const sequences = new Map<string, { readonly froms: Set<string>; last: number }>();
  cases.forEach((raw, index) => {
    const row = raw as { readonly to?: unknown; readonly from?: unknown; readonly sequence?: { readonly id?: unknown } } | null;
    if (row?.to !== 'shared-cache') return;
    const id = row.sequence?.id;
    if (typeof id !== 'string') {
      ctx.addIssue({ code: 'custom', path: ['cases', index, 'sequence'], message: 'is required for a request to the shared cache: give it a sequence { id } shared with the rows that store and read the same answer' });
      return;
    }
    const seen = sequences.get(id) ?? { froms: new Set<string>(), last: index };
    seen.froms.add(typeof row.from === 'string' ? row.from : 'page');
    seen.last = index;
    sequences.set(id, seen);
  });
  for (const [id, { froms, last }] of sequences) {
    if (froms.size < 2) {
      ctx.addIssue({
        code: 'custom',
        path: ['cases', last, 'from'],
        message: `sequence "${id}" reads the shared cache from one origin only (${[...froms].join(', ')}): it needs a second origin, to read through the cache what the first one's request stored`,
      });
    }
  }
}

export const familySchema = z
  .strictObject({
    family: z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be kebab-case'),
    proves: z.string().min(10, 'must say in one line what the family proves'),
    cases: z.array(z.unknown()).min(1, 'must hold at least one case'),
  })
  .superRefine((family, ctx) => checkSharedCacheSequences(family.cases, ctx));
