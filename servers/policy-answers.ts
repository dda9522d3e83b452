import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ArrivalKind } from '../lib/model/ledger.ts';
import type { OriginMap } from '../lib/model/origins.ts';
import {
  actualResponseExtras,
  answerStatus,
  BODY_CONTENT_TYPES,
  corsHeaders,
  redirectCorsHeaders,
  hopPath,
  redirectLocation,
  type HeaderLine,
  type Policy,
  type ResponseBody,
} from '../lib/model/policy.ts';
import { casePath } from '../lib/model/case-identity.ts';

/** How the policy server answers one request of a case: pure, so that it can be tested without a socket. */
export interface PolicyAnswer {
  readonly status: number;
  readonly lines: readonly HeaderLine[];
  /** Whether this is the route's own handler doing its work (a write): false for preflights and redirect hops. */
  readonly handlerRan: boolean;
  /** null: no body (preflights, redirects, 204, 304). */
  readonly body: ResponseBody | null;
}

export interface AnswerInput {
  readonly key: string;
  /** 0 for the case's own path, n for `/api/<key>/hop/<n>`. */
  readonly hop: number;
  readonly kind: ArrivalKind;
  readonly origin: string | undefined;
  readonly ifNoneMatch: string | undefined;
}

/**
 * The answer a policy gives: a redirect while hops remain (preflights only when the policy redirects them too), the
 * preflight answer, 304 to a revalidation that names the current ETag, or the actual response.
 */
export function policyAnswer(policy: Policy, input: AnswerInput, origins: OriginMap): PolicyAnswer {
  const context = { requestOrigin: input.origin, origins };
  const hop = policy.redirects?.[input.hop];
  const redirects = hop !== undefined && (input.kind === 'actual' || (policy.redirectPreflight === true && input.hop === 0));
  if (hop && redirects) {
    const lines = redirectCorsHeaders(policy, hop, input.kind, context);
    lines.push({ name: 'Location', value: redirectLocation(hop, hopPath(casePath(input.key), input.hop + 1), origins) });
    return { status: hop.status, lines, handlerRan: false, body: null };
  }
  if (input.kind === 'preflight') {
    const status = answerStatus(policy, 'preflight');
    return { status, lines: corsHeaders(policy, 'preflight', context, status), handlerRan: false, body: null };
  }
  const etag = Object.entries(policy.responseHeaders ?? {}).find(([name]) => name.toLowerCase() === 'etag')?.[1];
  const revalidated = policy.revalidate === true && etag !== undefined && input.ifNoneMatch === etag;
  const status = revalidated ? 304 : answerStatus(policy, 'actual');
  const lines = [...corsHeaders(policy, 'actual', context, status), ...actualResponseExtras(policy)];
  return { status, lines, handlerRan: true, body: status === 204 || status === 304 ? null : (policy.body ?? 'text') };
}

/** The hop a request path names: `/api/<key>` is hop 0, `/api/<key>/hop/<n>` hop n; undefined for anything else. */
export function hopOf(path: string): { key: string; hop: number } | undefined {
  const match = /^\/api\/([^/?#]+)(?:\/hop\/([1-9][0-9]?))?(?:[?#].*)?$/.exec(path);
  if (!match?.[1]) return undefined;
  return { key: match[1], hop: match[2] === undefined ? 0 : Number(match[2]) };
}

// A 1×1 transparent PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

/**
 * A real TrueType font for the @font-face cases (an invalid one would fail to load whatever CORS said). Playwright,
 * a dependency, ships one; Debian's DejaVu is the fallback.
 */
function findFont(): Buffer | undefined {
  const candidates: string[] = [];
  try {
    const root = dirname(createRequire(import.meta.url).resolve('playwright-core/package.json'));
    const dir = join(root, 'lib', 'vite', 'traceViewer');
    if (existsSync(dir)) candidates.push(...readdirSync(dir).filter((f) => f.endsWith('.ttf')).map((f) => join(dir, f)));
  } catch {
    // playwright-core not resolvable: fall through to the system font.
  }
  candidates.push('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf');
  const found = candidates.find((path) => existsSync(path));
  return found === undefined ? undefined : readFileSync(found);
}
let font: Buffer | undefined | null = null;

/** The bytes of a body kind for one case. Scripts throw an error that names the case, to tell muted errors from visible ones. */
export function bodyBytes(body: ResponseBody, key: string): Buffer {
  switch (body) {
    case 'text':
      return Buffer.from(`cors-matrix case ${key}`);
    case 'event-stream':
      // A long retry, so that an EventSource the performer did not close in time does not reconnect during the case.
      return Buffer.from(`retry: 600000\ndata: cors-matrix case ${key}\n\n`);
    case 'script':
      return Buffer.from(`throw new Error(${JSON.stringify(`cors-matrix script error for case ${key}`)});\n`);
    case 'image':
      return PNG;
    case 'css':
      return Buffer.from(`/* cors-matrix case ${key} */ .cm-${key} { color: red; }\n`);
    case 'font':
      if (font === null) font = findFont();
      if (!font) throw new Error('no TrueType font found to serve (looked in playwright-core and /usr/share/fonts/truetype/dejavu)');
      return font;
  }
}

/** Reads the headers policyAnswer needs from a request. */
export function answerInput(req: IncomingMessage, kind: ArrivalKind, key: string, hop: number): AnswerInput {
  const header = (name: string): string | undefined => {
    const value = req.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  };
  return { key, hop, kind, origin: header('origin'), ifNoneMatch: header('if-none-match') };
}


/** Writes a policy's answer to one request of a case (any hop): the headers, the status, and the body its kind needs. */
export function writePolicyAnswer(req: IncomingMessage, res: ServerResponse, kind: ArrivalKind, key: string, hop: number, policy: Policy, origins: OriginMap): void {
  const answer = policyAnswer(policy, answerInput(req, kind, key, hop), origins);
  const headers = new Map<string, string[]>();
  for (const { name, value } of answer.lines) headers.set(name, [...(headers.get(name) ?? []), value]);
  const bytes = answer.body === null ? null : bodyBytes(answer.body, key);
  for (const [name, values] of headers) res.setHeader(name, values.length === 1 ? (values[0] ?? '') : values);
  if (bytes !== null) {
    res.setHeader('Content-Type', BODY_CONTENT_TYPES[answer.body ?? 'text']);
    res.setHeader('Content-Length', String(bytes.length));
  }
  res.statusCode = answer.status;
  res.end(bytes ?? undefined);
}
