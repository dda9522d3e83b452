/**
 * The `explain` input file: its shape, checked with zod so that every problem names its field, and turned into the
 * oracle's input. What a field means (is this a serialised origin? a header name?) is the oracle's to judge: it
 * throws OracleInputError naming the field, which the CLI reports the same way.
 */
import { z } from 'zod';
import type { CacheStorage, HeaderPair, OracleResponse, PredictInput, PreflightCacheEntry, PreflightCacheState, RedirectHop, SequenceOptions, SequenceStep } from '../oracle/index.ts';
import { engineCacheModel, parseRequestUrl, parseSerializedOrigin } from '../oracle/index.ts';
import { ENGINE_NAMES } from '../oracle/vocabulary.ts';
import { specificIssues, type Issue } from '../model/zod-issues.ts';

const given = (rule: string) => (issue: { input?: unknown }): string => (issue.input === undefined ? `is required: ${rule}` : rule);

const pair = z.tuple([z.string({ error: 'a header name must be a string' }), z.string({ error: 'a header value must be a string' })], {
  error: 'must be a [name, value] pair of strings',
});
const headers = z.union([z.array(pair), z.record(z.string(), z.string({ error: 'a header value must be a string' }))], {
  error: 'must be an object of name → value, or a list of [name, value] pairs (to write a header twice)',
});

const request = z.strictObject(
  {
    origin: z.string({ error: given('must be a serialised origin like "https://app.example" or "null"') }).superRefine((value, ctx) => {
      const origin = parseSerializedOrigin(value);
      if (!origin.ok) ctx.addIssue({ code: 'custom', message: origin.why });
    }),
    url: z.string({ error: given('must be the URL fetched, like "https://api.example/data"') }).superRefine((value, ctx) => {
      const url = parseRequestUrl(value);
      if (!url.ok) ctx.addIssue({ code: 'custom', message: url.why });
    }),
    method: z.string({ error: 'must be a method such as "GET" or "PUT"' }).optional(),
    headers: headers.optional(),
    credentials: z.enum(['omit', 'same-origin', 'include'], { error: 'must be "omit", "same-origin" or "include"' }).optional(),
    mode: z.enum(['cors', 'no-cors', 'same-origin'], { error: 'must be "cors", "no-cors" or "same-origin"' }).optional(),
    bodyKind: z.enum(['none', 'text', 'stream'], { error: 'must be "none", "text" or "stream"' }).optional(),
    redirect: z.enum(['follow', 'error', 'manual'], { error: 'must be "follow", "error" or "manual"' }).optional(),
  },
  { error: given('must be an object: { "origin", "url", "method", "headers", "credentials", "mode", "bodyKind", "redirect" }') },
);

function answer(what: string) {
  return z.strictObject(
    {
      status: z
        .number({ error: given('must be an HTTP status code such as 200') })
        .int('must be a whole number')
        .min(100, 'must be from 100 to 599')
        .max(599, 'must be from 100 to 599'),
      headers: headers.optional(),
    },
    { error: given(`must be an object: { "status", "headers" }, how the server answers ${what}`) },
  );
}

const redirectHop = z.strictObject(
  {
    preflight: answer('the preflight sent to this URL').optional(),
    response: answer('this URL: a redirect (301, 302, 303, 307 or 308) with a Location header'),
  },
  { error: 'must be an object: { "preflight"?, "response" }, how one URL of the chain answers' },
);
const redirects = z.array(redirectHop, { error: 'must be a list of { "preflight"?, "response" }, one per URL that answers with a redirect, in order' });

const seconds = (what: string) => z.number({ error: given(`must be ${what}, a number of seconds`) }).min(0, `must be ${what}, a number of seconds of 0 or more`);

const cacheEntry = z
  .strictObject(
    {
      origin: z.string({ error: given('must be the serialised origin the entry was stored for, or "null"') }).superRefine((value, ctx) => {
        const origin = parseSerializedOrigin(value);
        if (!origin.ok) ctx.addIssue({ code: 'custom', message: origin.why });
      }),
      url: z.string({ error: given('must be the URL the entry was stored for') }).superRefine((value, ctx) => {
        const url = parseRequestUrl(value);
        if (!url.ok) ctx.addIssue({ code: 'custom', message: url.why });
      }),
      credentials: z.boolean({ error: 'must be true (stored by a request with credentials mode "include") or false' }).optional(),
      method: z.string({ error: 'must be a method, or "*"' }).optional(),
      headerName: z.string({ error: 'must be a header name, or "*"' }).optional(),
      maxAge: seconds('the max-age'),
      storedAt: seconds('the time it was stored').optional(),
    },
    { error: 'must be an object: { "origin", "url", "credentials"?, "method" or "headerName", "maxAge", "storedAt"? }' },
  )
  .superRefine((entry, ctx) => {
    if ((entry.method === undefined) === (entry.headerName === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'must name exactly one of "method" and "headerName": a cache entry holds one method or one header name (Fetch §4.9)' });
    }
  });

/** Fields that describe the preflight cache, shared by one request and a sequence. */
const cacheFields = {
  cache: z.array(cacheEntry, { error: 'must be a list of cache entries { "origin", "url", "method" or "headerName", "maxAge", "storedAt"? }' }).optional(),
  engine: z.enum(ENGINE_NAMES, { error: `must be one of ${ENGINE_NAMES.map((e) => `"${e}"`).join(', ')}: it applies that engine's max-age cap and cache storage` }).optional(),
  maxAgeCap: seconds("the user agent's limit on max-age").optional(),
  cacheStorage: z.enum(['per-entry', 'one-result-per-url'], { error: 'must be "per-entry" (the standard) or "one-result-per-url" (Chromium, WebKit)' }).optional(),
};

export const explainFileSchema = z.strictObject(
  {
    request,
    redirects: redirects.optional(),
    preflight: answer('the preflight').optional(),
    response: answer('the actual request'),
    now: seconds('the time of the request on the cache\'s clock').optional(),
    ...cacheFields,
  },
  { error: 'must be a JSON object: { "request": …, "redirects"?: […], "preflight"?: …, "response": … } or a sequence { "steps": […] }' },
);

const sequenceStep = z.strictObject(
  {
    at: seconds('the time of this request'),
    request,
    redirects: redirects.optional(),
    preflight: answer('the preflight').optional(),
    response: answer('the actual request').optional(),
  },
  { error: 'must be an object: { "at", "request", "redirects"?, "preflight"?, "response"? }' },
);

export const explainSequenceSchema = z.strictObject(
  {
    steps: z.array(sequenceStep, { error: 'must be a list of requests { "at", "request", … } in time order' }).min(1, 'must hold at least one request'),
    server: z
      .strictObject(
        { redirects: redirects.optional(), preflight: answer('the preflight').optional(), response: answer('the actual request').optional() },
        { error: 'must be an object: { "redirects"?, "preflight"?, "response"? }, how the server answers a step that does not say' },
      )
      .optional(),
    ...cacheFields,
  },
  { error: 'must be a JSON object: { "steps": […], "server"?: …, "cache"?: […], "engine"?: … }' },
);

export type ExplainSequenceFile = z.infer<typeof explainSequenceSchema>;

/** A file with "steps" is a sequence; anything else is one request. */
export function isSequenceFile(data: unknown): boolean {
  return data !== null && typeof data === 'object' && !Array.isArray(data) && 'steps' in data;
}

export type ExplainFile = z.infer<typeof explainFileSchema>;


function fieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) => {
      if (typeof part === 'number') return `[${part}]`;
      const name = String(part);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return `[${JSON.stringify(name)}]`;
      return i === 0 ? name : `.${name}`;
    })
    .join('');
}

/** One line per problem: `field.path: rule`. */
export function describeIssues(issues: readonly Issue[]): string[] {
  return issues.flatMap(specificIssues).map((issue) => {
    const where = fieldPath(issue.path) || '(the file)';
    if (issue.code === 'unrecognized_keys') return `${where}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    return `${where}: ${issue.message}`;
  });
}

function toPairs(value: ExplainFile['request']['headers']): HeaderPair[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.map(([name, v]): HeaderPair => [name, v]);
  return Object.entries(value).map(([name, v]): HeaderPair => [name, v]);
}

type RequestFields = ExplainFile['request'];
type AnswerFields = NonNullable<ExplainFile['preflight']>;

function toRequest(request: RequestFields): PredictInput['request'] {
  return {
    origin: request.origin,
    url: request.url,
    method: request.method ?? 'GET',
    headers: toPairs(request.headers),
    credentials: request.credentials ?? 'same-origin',
    mode: request.mode ?? 'cors',
    bodyKind: request.bodyKind ?? 'none',
    ...(request.redirect !== undefined && { redirect: request.redirect }),
  };
}

function toAnswer(answer: AnswerFields): OracleResponse {
  return { status: answer.status, headers: toPairs(answer.headers) };
}

function toRedirects(hops: readonly { preflight?: AnswerFields | undefined; response: AnswerFields }[]): RedirectHop[] {
  return hops.map((hop) => ({ ...(hop.preflight !== undefined && { preflight: toAnswer(hop.preflight) }), response: toAnswer(hop.response) }));
}

type CacheFields = Pick<ExplainFile, 'cache' | 'engine' | 'maxAgeCap' | 'cacheStorage'>;

function toCache(entries: CacheFields['cache']): PreflightCacheState | undefined {
  if (entries === undefined) return undefined;
  return {
    entries: entries.map((e): PreflightCacheEntry => {
      const url = parseRequestUrl(e.url);
      return {
        origin: e.origin,
        url: url.ok ? url.url : e.url,
        credentials: e.credentials ?? false,
        method: e.method ?? null,
        headerName: e.headerName ?? null,
        maxAge: e.maxAge,
        storedAt: e.storedAt ?? 0,
      };
    }),
  };
}

/** The cache model: an engine's cap and storage, unless the file states them itself. */
function toCacheModel(file: CacheFields): { maxAgeCap?: number; cacheStorage?: CacheStorage; cache?: PreflightCacheState } {
  const engine = file.engine === undefined ? undefined : engineCacheModel(file.engine);
  const maxAgeCap = file.maxAgeCap ?? engine?.maxAgeCap;
  const cacheStorage = file.cacheStorage ?? engine?.cacheStorage;
  const cache = toCache(file.cache);
  return { ...(maxAgeCap !== undefined && { maxAgeCap }), ...(cacheStorage !== undefined && { cacheStorage }), ...(cache !== undefined && { cache }) };
}

/** The oracle's input, with the defaults filled in: method GET, no headers, credentials same-origin, mode cors. */
export function toPredictInput(file: ExplainFile): PredictInput {
  const { request, preflight, response } = file;
  return {
    request: toRequest(request),
    ...(file.redirects !== undefined && { redirects: toRedirects(file.redirects) }),
    ...(preflight !== undefined && { preflight: toAnswer(preflight) }),
    response: toAnswer(response),
    ...(file.now !== undefined && { now: file.now }),
    ...toCacheModel(file),
  };
}

/** The oracle's sequence input, with the same defaults for every request. */
export function toSequence(file: ExplainSequenceFile): { readonly steps: SequenceStep[]; readonly options: SequenceOptions } {
  const steps = file.steps.map(
    (s): SequenceStep => ({
      at: s.at,
      request: toRequest(s.request),
      ...(s.redirects !== undefined && { redirects: toRedirects(s.redirects) }),
      ...(s.preflight !== undefined && { preflight: toAnswer(s.preflight) }),
      ...(s.response !== undefined && { response: toAnswer(s.response) }),
    }),
  );
  const server = file.server;
  const options: SequenceOptions = {
    ...toCacheModel(file),
    ...(server !== undefined && {
      server: {
        ...(server.redirects !== undefined && { redirects: toRedirects(server.redirects) }),
        ...(server.preflight !== undefined && { preflight: toAnswer(server.preflight) }),
        ...(server.response !== undefined && { response: toAnswer(server.response) }),
      },
    }),
  };
  return { steps, options };
}
