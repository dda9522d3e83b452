/**
 * The `explain` input file: its shape, checked with zod so that every problem names its field, and turned into the
 * oracle's input. What a field means (is this a serialised origin? a header name?) is the oracle's to judge: it
 * throws OracleInputError naming the field, which the CLI reports the same way.
 */
import { z } from 'zod';
import type { HeaderPair, PredictInput } from '../oracle/index.ts';
import { parseRequestUrl, parseSerializedOrigin } from '../oracle/index.ts';
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
  },
  { error: given('must be an object: { "origin", "url", "method", "headers", "credentials", "mode" }') },
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

export const explainFileSchema = z.strictObject(
  {
    request,
    preflight: answer('the preflight').optional(),
    response: answer('the actual request'),
  },
  { error: 'must be a JSON object: { "request": …, "preflight": …, "response": … }' },
);

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

/** The oracle's input, with the defaults filled in: method GET, no headers, credentials same-origin, mode cors. */
export function toPredictInput(file: ExplainFile): PredictInput {
  const { request, preflight, response } = file;
  return {
    request: {
      origin: request.origin,
      url: request.url,
      method: request.method ?? 'GET',
      headers: toPairs(request.headers),
      credentials: request.credentials ?? 'same-origin',
      mode: request.mode ?? 'cors',
      bodyKind: request.bodyKind ?? 'none',
    },
    ...(preflight !== undefined && { preflight: { status: preflight.status, headers: toPairs(preflight.headers) } }),
    response: { status: response.status, headers: toPairs(response.headers) },
  };
}
