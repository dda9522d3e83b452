// The diagnosis as a table: each row says when a record shows a cause (from the recorded judgement, the intent and the
// origin's class), how bad it is, how to say it, and the smallest header change that fixes it. The first row that
// applies is the record's cause; rows are ordered from the outsider's view to the intended traffic's.
import { headerList, headerValue } from '../model/headers.ts';
import type { OracleRuleId } from '../oracle/index.ts';
import type { RecordFacts } from './facts.ts';
import type { FixStage, HeaderFix } from './fixes.ts';
import type { OriginCheckId } from './origin-check.ts';
import type { Severity } from './severity.ts';

export type CauseKind =
  | 'origin-accepted'
  | 'outsider-write-reached-handler'
  | 'error-response-without-cors'
  | 'blocked-as-mixed-content'
  | 'blocked-as-bad-port'
  | 'blocked-by-local-network-access'
  | 'preflight-not-ok'
  | 'preflight-header-not-allowed'
  | 'preflight-method-not-allowed'
  | 'preflight-allows-unintended'
  | 'credentials-not-allowed'
  | 'allow-origin-wrong'
  | 'missing-vary-origin'
  | 'unexplained';

/** What one record says of its cause: the group it belongs to (`key`, per server) and its words. */
export interface RecordCause {
  readonly kind: CauseKind;
  readonly severity: Severity;
  /** Records with the same key (on the same server) share one root cause. */
  readonly key: string;
  readonly summary: string;
  readonly detail: string;
  readonly headerFix?: HeaderFix;
  /** Whether the fix must make the record readable (intended traffic) or keep it refused (an outsider, an extra). */
  readonly intendedRead: boolean;
  /** For a cause that an origin-check hole opened: the key of that hole's cause, so the two are shown together. */
  readonly hole?: string;
  /** What this record got through beyond the intent (a method, a header) and on which route, where several routes share the cause. */
  readonly extras?: readonly { readonly value: string; readonly route: string }[];
  /** The list header that let the extras through, as the server sent it; `echoed`: it repeated what the request asked. */
  readonly listed?: { readonly header: string; readonly value: string | undefined; readonly echoed?: boolean };
}

export interface CauseRule {
  readonly kind: CauseKind;
  /** What the rule is about, for a reader of the table. */
  readonly when: string;
  readonly applies: (f: RecordFacts) => boolean;
  readonly cause: (f: RecordFacts) => Omit<RecordCause, 'kind'>;
}

const UNSAFE_HEADER_RULES: readonly OracleRuleId[] = ['header-not-allowed', 'authorization-not-listed', 'authorization-not-covered-by-wildcard'];
const CREDENTIALS_RULES: readonly OracleRuleId[] = ['allow-credentials-missing', 'allow-credentials-not-true', 'allow-origin-wildcard-with-credentials'];
const ALLOW_ORIGIN_RULES: readonly OracleRuleId[] = ['allow-origin-missing', 'allow-origin-mismatch'];
const SAFE_METHODS = ['GET', 'HEAD'];

const isOk = (status: number) => status >= 200 && status < 300;
const has = (rule: OracleRuleId | undefined, rules: readonly OracleRuleId[]) => rule !== undefined && rules.includes(rule);
const allowOriginOn = (f: RecordFacts, which: 'preflight' | 'actual') => headerValue(f[which]?.responseHeaders ?? [], 'Access-Control-Allow-Origin');
const refuseOutsider: HeaderFix = { kind: 'refuse-outsider', stages: ['preflight', 'response'] };

/** The origin-check behaviour an outsider came through, in a few words; one cause per behaviour. */
const BEHAVIOUR_WORDS: Readonly<Record<OriginCheckId, string>> = {
  'reflects-any': 'the origin check reflects any origin',
  'admits-every-outsider-tried': 'the origin check admits every outside origin tried',
  wildcard: 'Access-Control-Allow-Origin is * for every origin',
  'loose-pattern': 'the origin check is a loose pattern with several flaws',
  'admits-unrelated': 'the origin check admits an unrelated origin',
  'null-trusted': 'the origin check trusts the null origin',
  'scheme-not-pinned': 'the origin check does not pin the scheme',
  'other-port': 'the origin check does not compare the port',
  'prefix-match': 'the origin pattern matches a prefix (not anchored at its end)',
  'unescaped-dot': 'the origin pattern has an unescaped "."',
  'suffix-match': 'the origin pattern matches a suffix (not anchored at its start)',
  'any-subdomain': 'the origin check trusts every subdomain',
};

/** The cause key of the origin-check hole an outsider came through: one per behaviour of the check. */
function holeKey(f: RecordFacts): string {
  return `origin-accepted:${f.originCheck?.id ?? 'reflects-any'}`;
}

/** The hole's words, the same for every record it let in: the behaviour, why it is that one, and its evidence. */
function holeSummary(f: RecordFacts): string {
  const check = f.originCheck;
  if (!check) return `the origin check accepts ${f.c.requestOrigin}`;
  return `${BEHAVIOUR_WORDS[check.id]}: ${check.why} — admitted: ${check.admitted.join(', ')}`;
}

/** The write carried the user's session: the request that reached the handler came with cookies. */
export function writeCarriedSession(f: Pick<RecordFacts, 'c' | 'actual'>): boolean {
  return (f.c.writeReachedHandler?.cookies.length ?? 0) > 0 || (f.actual?.cookies.length ?? 0) > 0;
}

/** A request header the intent does not allow, which the request carried and the preflight let through. */
function extraHeader(f: RecordFacts): string | undefined {
  const sent = Object.keys(f.c.request.headers).map((h) => h.toLowerCase());
  return f.requestHeaders.find((h) => sent.includes(h.toLowerCase()));
}

/**
 * The preflight let a request the intent does not allow through, so the engine sent it: the script read it, or the
 * answer's own headers (an error without CORS headers) kept it from reading what the server did.
 */
function preflightLetThrough(f: RecordFacts): boolean {
  if (f.preflight === undefined || !isOk(f.preflight.status)) return false;
  return f.measured === 'allowed' || (f.measured === 'blocked-at-response' && f.actual !== undefined);
}

/** What reached the server after the preflight let it through, where the script could not read the answer. */
function sentAnyway(f: RecordFacts): string {
  if (f.measured === 'allowed' || f.actual === undefined) return '';
  return `; the ${f.c.request.method} was sent to your server all the same (answered ${f.actual.status}${allowOriginOn(f, 'actual') === undefined ? ' without CORS headers, which kept the script from reading it' : ''})`;
}

/**
 * The answers an Allow-Origin/-Credentials fix goes on. A preflight that failed hid the actual answer, which needs the
 * same headers for the script to read it: the fix names both, so it works when pasted (the check assumes as much).
 */
function answersToFix(stage: FixStage): FixStage[] {
  return stage === 'preflight' ? ['preflight', 'response'] : ['response'];
}

/** The headers this preflight asked for that none of the server's preflights to the same origin allowed. */
function headersNotAllowedElsewhere(f: RecordFacts): string[] {
  const allowed = f.elsewhere?.allowedHeaders ?? [];
  return f.requestHeaders.map((h) => h.toLowerCase()).filter((h) => !allowed.includes(h));
}

/**
 * What a preflight answered by the CORS layer itself (an error status carrying Access-Control-* lists) leaves out of
 * them, of what this request needs: its method, its headers. Undefined when the answer carries no list, or the lists
 * name everything (then the error is not the CORS layer's refusal). The rule that reads it is filed under the method
 * kind whichever is missing: one table row, one fix (answer the preflight with both).
 */
function notOnCorsLists(f: RecordFacts): { readonly words: string; readonly listed?: string } | undefined {
  const headers = f.preflight?.responseHeaders ?? [];
  const methodsValue = headerValue(headers, 'Access-Control-Allow-Methods');
  const headersValue = headerValue(headers, 'Access-Control-Allow-Headers');
  if (methodsValue === undefined && headersValue === undefined) return undefined;
  const methods = headerList(headers, 'Access-Control-Allow-Methods').map((m) => m.toUpperCase());
  const allowed = headerList(headers, 'Access-Control-Allow-Headers').map((h) => h.toLowerCase());
  const method = f.c.request.method.toUpperCase();
  const missing: string[] = [];
  const listed: string[] = [];
  if (methodsValue !== undefined && !methods.includes('*') && !methods.includes(method) && !SAFELISTED_METHODS.has(method)) {
    missing.push(method);
    listed.push(`Access-Control-Allow-Methods: ${methodsValue}`);
  }
  const headerNames = headersValue === undefined || allowed.includes('*') ? [] : f.requestHeaders.filter((h) => !allowed.includes(h.toLowerCase()));
  if (headerNames.length) {
    missing.push(...headerNames.map((h) => h.toLowerCase()));
    listed.push(`Access-Control-Allow-Headers: ${headersValue}`);
  }
  if (missing.length === 0) return undefined;
  return { words: missing.join(', '), ...(listed.length && { listed: listed.join('; ') }) };
}

/** The header the preflight does not allow, of those the request needs. */
function missingHeader(f: RecordFacts): string {
  const allowed = headerList(f.preflight?.responseHeaders ?? [], 'Access-Control-Allow-Headers').map((h) => h.toLowerCase());
  return f.requestHeaders.find((h) => !allowed.includes(h.toLowerCase()) || h.toLowerCase() === 'authorization') ?? f.requestHeaders[0] ?? 'the header';
}

export const CAUSE_RULES: readonly CauseRule[] = [
  {
    kind: 'origin-accepted',
    when: 'an origin the intent does not allow read the answer, with the user\'s credentials',
    applies: (f) => f.outsider && !f.meant && f.measured === 'allowed' && f.credentialedRead,
    cause: (f) => ({
      severity: 'outsider-reads-with-credentials',
      key: holeKey(f),
      summary: holeSummary(f),
      detail: `Access-Control-Allow-Origin was ${allowOriginOn(f, 'actual') ?? '(sent)'} with Access-Control-Allow-Credentials: true for an origin the intent does not allow: any page there reads the user's data with their session`,
      headerFix: refuseOutsider,
      intendedRead: false,
    }),
  },
  {
    // Not a cause of its own: the one server behaviour is the origin check, and the write is part of its impact.
    kind: 'origin-accepted',
    when: "an outsider's preflight was admitted, so its write reached the handler (whatever the script could read after)",
    applies: (f) =>
      f.outsider &&
      !f.meant &&
      f.measured === 'blocked-at-response' &&
      f.c.outcome.reachedServer &&
      !SAFE_METHODS.includes(f.c.request.method.toUpperCase()) &&
      f.preflight !== undefined &&
      isOk(f.preflight.status) &&
      allowOriginOn(f, 'preflight') !== undefined,
    cause: (f) => {
      const status = f.actual?.status;
      const bare = allowOriginOn(f, 'actual') === undefined;
      return {
        // A write carrying the user's session is as bad as reading with it.
        severity: writeCarriedSession(f) ? 'outsider-reads-with-credentials' : 'outsider-write-reaches-handler',
        key: holeKey(f),
        summary: holeSummary(f),
        detail: `the preflight is the server's one chance to refuse a cross-origin write before it runs; it said yes to ${f.c.requestOrigin}, and only the answer${bare ? "'s missing CORS headers" : ''} (${status ?? '?'}) kept the script from reading the result — the write itself happened`,
        headerFix: refuseOutsider,
        intendedRead: false,
      };
    },
  },
  {
    kind: 'origin-accepted',
    when: 'an origin the intent does not allow read the answer',
    applies: (f) => f.outsider && !f.meant && f.measured === 'allowed',
    cause: (f) => ({
      severity: 'outsider-reads',
      key: holeKey(f),
      summary: holeSummary(f),
      detail: `Access-Control-Allow-Origin was ${allowOriginOn(f, 'actual') ?? '(sent)'} for an origin the intent does not allow`,
      headerFix: refuseOutsider,
      intendedRead: false,
    }),
  },
  {
    kind: 'blocked-as-mixed-content',
    when: 'intended traffic: the engine refused to send the request at all, as mixed content (an https page, an http URL)',
    applies: (f) => f.meant && f.measured === 'blocked-before-sending' && f.c.outcome.refusal?.kind === 'mixed-content',
    cause: (f) => {
      const refusal = f.c.outcome.refusal;
      const api = refusal ? new URL(refusal.requestUrl).origin : f.server;
      const own = refusal?.standard === 'potentially-trustworthy';
      return {
        severity: 'intended-blocked',
        key: `mixed-content:${refusal?.standard ?? 'mixed-content'}`,
        summary: `blocked as mixed content before sending: the https page ${f.c.requestOrigin} may not fetch ${api} over http; serve the API over https, or reach it from an http page`,
        detail: own
          ? `the standard counts ${api} potentially trustworthy (loopback) and sends it, but this engine refuses it anyway; no response header changes that, and nothing reached the server`
          : `${api} is not potentially trustworthy, so every engine refuses the request before it leaves the browser; no response header changes that, and nothing reached the server`,
        intendedRead: true,
      };
    },
  },
  {
    kind: 'blocked-as-bad-port',
    when: 'intended traffic: the engine refused to send the request at all, because its port is one the Fetch Standard blocks',
    applies: (f) => f.meant && f.measured === 'blocked-before-sending' && f.c.outcome.refusal?.kind === 'bad-port',
    cause: (f) => {
      const url = new URL(f.c.outcome.refusal?.requestUrl ?? f.c.url);
      return {
        severity: 'intended-blocked',
        key: `bad-port:${url.port}`,
        summary: `blocked before sending: port ${url.port} (${url.origin}) is a bad port in the Fetch Standard's port blocking, so every engine refuses it; serve the API on another port`,
        detail: 'no response header changes that, and nothing reached the server',
        intendedRead: true,
      };
    },
  },
  {
    kind: 'blocked-by-local-network-access',
    when: "intended traffic: the engine refused to send the request at all, by its Local Network Access policy (a public page reaching a local address without the user's permission)",
    applies: (f) => f.meant && f.measured === 'blocked-before-sending' && f.c.outcome.refusal?.kind === 'local-network-access',
    cause: (f) => {
      const refusal = f.c.outcome.refusal;
      const api = new URL(refusal?.requestUrl ?? f.c.url).origin;
      return {
        severity: 'intended-blocked',
        key: `local-network-access:${api}`,
        summary: `blocked before sending by Local Network Access: the page ${f.c.requestOrigin} may not reach ${api}, a local address, unless the user grants the permission; serve the API on a public address, or from the same local network as the page`,
        detail: `an engine policy (the WICG Local Network Access proposal), not the Fetch Standard: ${f.c.engine.name} refused it${refusal?.engineReason ? ` ("${refusal.engineReason}")` : ''}; no response header changes that, and nothing reached the server`,
        intendedRead: true,
      };
    },
  },
  {
    // Starlette/FastAPI's CORSMiddleware answers a preflight it refuses itself: 400 "Disallowed CORS method", with its
    // own CORS headers and lists. The status is what the browser rejects; what the lists lack is what to change.
    kind: 'preflight-method-not-allowed',
    when: "intended traffic: the CORS layer answered the preflight with its own lists and an error status, because something the request needs is not on them",
    applies: (f) => f.meant && f.measured === 'blocked-at-preflight' && f.preflight !== undefined && f.preflight.status >= 400 && f.preflight.status < 500 && notOnCorsLists(f) !== undefined,
    cause: (f) => {
      const lacks = notOnCorsLists(f)!;
      const status = f.preflight?.status ?? 0;
      return {
        severity: 'intended-blocked',
        key: `preflight-refused-by-cors-layer:${lacks.words}`,
        summary: `the CORS layer refuses the preflight itself (OPTIONS ${f.route} answered ${status}, with its own CORS headers): ${lacks.words} is not on its list${lacks.listed ? ` (${lacks.listed})` : ''}`,
        detail: `a preflight answered with an error status fails whatever its headers say; the server's CORS layer answered this one (its Access-Control-* headers are on it) and refused it over ${lacks.words}, as Starlette's and FastAPI's CORSMiddleware do ("Disallowed CORS …"): add ${lacks.words} to what that layer allows`,
        headerFix: { kind: 'answer-preflight' },
        intendedRead: true,
      };
    },
  },
  {
    kind: 'preflight-not-ok',
    when: 'intended traffic: the preflight got a status other than 2xx',
    applies: (f) => f.meant && f.measured === 'blocked-at-preflight' && f.preflight !== undefined && !isOk(f.preflight.status),
    cause: (f) => ({
      severity: 'intended-blocked',
      key: `preflight-not-ok:${f.preflight?.status ?? 0}`,
      summary: `the preflight (OPTIONS ${f.route}) is answered ${f.preflight?.status ?? 0}${allowOriginOn(f, 'preflight') === undefined ? ' without CORS headers' : ''}: a preflight must get 2xx`,
      detail: 'the CORS error in the browser hides that the server does not handle OPTIONS on this route (routing, auth or an error handler answers it first)',
      headerFix: { kind: 'answer-preflight' },
      intendedRead: true,
    }),
  },
  {
    kind: 'error-response-without-cors',
    when: 'intended traffic: an error or a redirect answered without Access-Control-Allow-Origin',
    applies: (f) => f.meant && f.measured === 'blocked-at-response' && f.actual !== undefined && f.actual.status >= 300 && allowOriginOn(f, 'actual') === undefined,
    cause: (f) => {
      const status = f.actual?.status ?? 0;
      return {
        severity: 'intended-blocked',
        key: `error-response-without-cors:${status}`,
        summary: `${status < 400 ? `redirects (${status})` : `error responses (${status})`} carry no Access-Control-Allow-Origin, so the browser shows a CORS error instead of the ${status}`,
        detail: 'the CORS headers are added on success only (nginx: add_header without "always"; middleware registered after the error handler)',
        headerFix: { kind: 'allow-intended-origin', stages: ['response'] },
        intendedRead: true,
      };
    },
  },
  {
    kind: 'preflight-header-not-allowed',
    when: 'intended traffic: the preflight does not allow a request header the intent needs',
    applies: (f) => f.meant && f.measured !== 'allowed' && has(f.rule, UNSAFE_HEADER_RULES),
    cause: (f) => {
      const missing = missingHeader(f);
      return {
        severity: 'intended-blocked',
        key: `preflight-header:${missing.toLowerCase()}`,
        summary: `the preflight does not allow ${missing}, which the intent needs`,
        detail: f.reason ?? '',
        headerFix: { kind: 'add-to-list', stage: 'preflight', header: 'Access-Control-Allow-Headers', value: missing },
        intendedRead: true,
      };
    },
  },
  {
    kind: 'preflight-method-not-allowed',
    when: 'intended traffic: the preflight does not allow the method the intent needs',
    applies: (f) => f.meant && f.measured !== 'allowed' && f.rule === 'method-not-allowed',
    cause: (f) => ({
      severity: 'intended-blocked',
      key: `preflight-method:${f.c.request.method}`,
      summary: `the preflight does not allow ${f.c.request.method}, which the intent needs`,
      detail: f.reason ?? '',
      headerFix: { kind: 'add-to-list', stage: 'preflight', header: 'Access-Control-Allow-Methods', value: f.c.request.method },
      intendedRead: true,
    }),
  },
  {
    kind: 'credentials-not-allowed',
    when: 'intended traffic: credentials are requested but the answer does not admit them',
    applies: (f) => f.meant && f.measured !== 'allowed' && has(f.rule, CREDENTIALS_RULES),
    cause: (f) => {
      const stage = f.failingStage ?? 'response';
      const wildcard = f.rule === 'allow-origin-wildcard-with-credentials';
      return {
        severity: 'intended-blocked',
        key: `credentials:${f.rule ?? ''}:${stage}`,
        summary: wildcard
          ? `credentials are requested but the ${stage} answers Access-Control-Allow-Origin: *, which never admits them`
          : `credentials are requested but the ${stage} lacks Access-Control-Allow-Credentials: true`,
        detail: f.reason ?? '',
        headerFix: { kind: 'allow-intended-origin', stages: answersToFix(stage) },
        intendedRead: true,
      };
    },
  },
  {
    // hapi, rs/cors and Spring refuse a preflight whole when one requested header is not allowed: no CORS header at
    // all, which reads exactly like an origin not allowed. Other preflights admitting the origin tell the two apart.
    kind: 'preflight-header-not-allowed',
    when: 'intended traffic: a preflight that asked for request headers got no CORS headers at all (an origin not allowed, or a server that refuses the whole preflight over one header)',
    applies: (f) =>
      f.meant &&
      f.measured === 'blocked-at-preflight' &&
      f.failingStage === 'preflight' &&
      has(f.rule, ALLOW_ORIGIN_RULES) &&
      f.requestHeaders.length > 0 &&
      f.preflight !== undefined &&
      isOk(f.preflight.status) &&
      !f.preflight.responseHeaders.some((h) => /^access-control-/i.test(h.name)) &&
      // Across the run: the origin admitted by other preflights, and some header of this one allowed by none of them.
      (f.elsewhere === undefined || (f.elsewhere.admitted && headersNotAllowedElsewhere(f).length > 0)),
    cause: (f) => {
      const requested = f.requestHeaders.map((h) => h.toLowerCase());
      const allowed = f.elsewhere?.allowedHeaders ?? [];
      const missing = headersNotAllowedElsewhere(f);
      const named = (missing.length ? missing : requested).join(', ');
      return {
        severity: 'intended-blocked',
        key: `preflight-refused-for-headers:${named}`,
        summary: f.elsewhere
          ? `the server refuses the whole preflight over a request header it does not allow (${named}): asked for ${requested.join(', ')}, it answered without any CORS header, though its other preflights admit ${f.c.requestOrigin}${allowed.length ? ` and allow ${allowed.join(', ')}` : ''}`
          : `the preflight asking for ${requested.join(', ')} got no CORS header at all: ${f.c.requestOrigin} is not allowed, or a requested header is not and the server refuses the whole preflight (hapi and rs/cors do); the run's diagnosis tells which`,
        detail: `the preflight's answer carried no CORS header at all${f.reason ? ` (${f.reason})` : ''}: a CORS layer that refuses a preflight whole when one requested header is not on its list (hapi's additionalHeaders, rs/cors's AllowedHeaders) answers so; add ${named} to that list`,
        headerFix: { kind: 'answer-preflight' },
        intendedRead: true,
      };
    },
  },
  {
    kind: 'allow-origin-wrong',
    when: 'intended traffic: Access-Control-Allow-Origin does not name the origin',
    applies: (f) => f.meant && f.measured !== 'allowed' && has(f.rule, ALLOW_ORIGIN_RULES),
    cause: (f) => {
      const stage = f.failingStage ?? 'response';
      return {
        severity: 'intended-blocked',
        key: `allow-origin-wrong:${stage}`,
        summary: `the ${stage} does not name ${f.c.requestOrigin}, an origin the intent allows`,
        detail: f.reason ?? '',
        headerFix: { kind: 'allow-intended-origin', stages: answersToFix(stage) },
        intendedRead: true,
      };
    },
  },
  {
    kind: 'preflight-allows-unintended',
    when: 'an intended origin got a request header the intent does not allow through the preflight',
    applies: (f) => !f.outsider && !f.meant && preflightLetThrough(f) && extraHeader(f) !== undefined,
    cause: (f) => {
      const header = extraHeader(f) ?? '';
      return {
        severity: 'more-than-intended',
        key: `preflight-allows-header:${header.toLowerCase()}`,
        summary: `the preflight allows ${header}, which the intent does not: Access-Control-Allow-Headers is ${headerValue(f.preflight?.responseHeaders ?? [], 'Access-Control-Allow-Headers') ?? '(absent)'}`,
        detail: `an allow-list that echoes Access-Control-Request-Headers lets every header through${sentAnyway(f)}`,
        headerFix: { kind: 'remove-from-list', stage: 'preflight', header: 'Access-Control-Allow-Headers', drop: [{ value: header, route: f.route }] },
        extras: [{ value: header, route: f.route }],
        listed: { header: 'Access-Control-Allow-Headers', value: headerValue(f.preflight?.responseHeaders ?? [], 'Access-Control-Allow-Headers') },
        intendedRead: false,
      };
    },
  },
  {
    kind: 'preflight-allows-unintended',
    when: 'an intended origin got a method the intent does not allow through the preflight',
    applies: (f) => !f.outsider && !f.meant && preflightLetThrough(f),
    cause: (f) => {
      const listed = headerValue(f.preflight?.responseHeaders ?? [], 'Access-Control-Allow-Methods');
      // One behaviour per list the server sends: the same Allow-Methods on every route is one cause, whatever each
      // route's intent lacks; a server that echoes the requested method is one cause, whichever method was asked.
      // OPTIONS beside the echo (restify-cors-middleware2 answers "PATCH,OPTIONS") is still an echo.
      const named = (listed ?? '').split(',').map((m) => m.trim().toLowerCase()).filter((m) => m !== '' && m !== 'options');
      const echoed = named.length === 1 && named[0] === f.c.request.method.toLowerCase();
      const behaviour = echoed ? 'echo' : (listed ?? '').toLowerCase().replace(/\s+/g, '');
      return {
        severity: 'more-than-intended',
        key: `preflight-allows-methods:${behaviour}`,
        summary: `the preflight allows ${f.c.request.method}, which the intent does not: Access-Control-Allow-Methods is ${listed ?? '(absent)'}`,
        detail: `${echoed ? 'the preflight echoes Access-Control-Request-Method, so it allows every method' : 'the preflight lists more methods than the intent needs'}${sentAnyway(f)}`,
        headerFix: { kind: 'remove-from-list', stage: 'preflight', header: 'Access-Control-Allow-Methods', drop: [{ value: f.c.request.method, route: f.route }] },
        extras: [{ value: f.c.request.method, route: f.route }],
        listed: { header: 'Access-Control-Allow-Methods', value: listed, echoed },
        intendedRead: false,
      };
    },
  },
  {
    kind: 'unexplained',
    when: 'the measured outcome differs from the expectation and no row above explains it',
    applies: (f) => f.failing,
    cause: (f) => ({
      severity: 'unexplained',
      key: `unexplained:${f.c.expected.verdict}->${f.measured}:${f.rule ?? 'none'}`,
      summary: `${f.c.mismatches.join('; ')}${f.reason ? ` — the standard on the recorded answers: ${f.reason}` : ''}`,
      detail: f.meant ? 'no response-header change explains it' : 'the expectation and the measurement differ in a way no rule of the diagnosis covers',
      intendedRead: f.meant,
    }),
  },
];

/** The first row that applies to the record, as its cause. */
export function causeOf(f: RecordFacts): RecordCause | undefined {
  const rule = CAUSE_RULES.find((r) => r.applies(f));
  return rule && { kind: rule.kind, ...rule.cause(f) };
}

/** Cache hygiene, beside the record's own cause: an allowed answer that names the origin without Vary: Origin. */
export function missingVary(f: Pick<RecordFacts, 'c' | 'intended' | 'actual'>): RecordCause | undefined {
  const { c } = f;
  if (c.verdictFrom !== 'intent' || c.outcome.verdict !== 'allowed' || !f.intended.has(c.requestOrigin)) return undefined;
  const acao = headerValue(f.actual?.responseHeaders ?? [], 'Access-Control-Allow-Origin');
  if (acao === undefined || acao === '*') return undefined;
  if (f.actual?.responseHeaders.some((h) => h.name.toLowerCase() === 'vary' && /(^|,)\s*(origin|\*)\s*(,|$)/i.test(h.value))) return undefined;
  return {
    kind: 'missing-vary-origin',
    severity: 'cache-hygiene',
    key: 'missing-vary-origin',
    summary: 'Access-Control-Allow-Origin names the requesting origin but Vary: Origin is missing',
    detail: "a shared cache may serve one origin's answer to another: the wrong site is refused, or an allowed answer reaches a site it was not meant for",
    headerFix: { kind: 'vary-origin' },
    intendedRead: true,
  };
}

/**
 * One cause for records that share a behaviour but got different extras through (DELETE on one route, PUT on
 * another): the summary names each extra with its routes, and the fix drops them all.
 */
export function mergedExtras(causes: readonly RecordCause[], voice: RecordCause): Pick<RecordCause, 'summary' | 'headerFix'> {
  const fix = voice.headerFix;
  const extras = causes.flatMap((c) => c.extras ?? []);
  if (fix?.kind !== 'remove-from-list' || extras.length === 0) return { summary: voice.summary, ...(fix && { headerFix: fix }) };
  const routesOf = new Map<string, Set<string>>();
  for (const e of extras) routesOf.set(e.value, (routesOf.get(e.value) ?? new Set()).add(e.route));
  const allRoutes = new Set(extras.map((e) => e.route));
  const values = [...routesOf.keys()];
  // Each value is dropped on the routes it got through on only: another route's intent may need it.
  const differ = new Set([...routesOf.values()].map((routes) => [...routes].join(' '))).size > 1;
  const named = values.map((v) => (allRoutes.size > 1 && differ ? `${v} (on ${[...routesOf.get(v)!].join(', ')})` : v)).join(', ');
  const drop = values.flatMap((v) => [...routesOf.get(v)!].map((route) => ({ value: v, route })));
  const listed = !voice.listed ? '' : voice.listed.echoed ? `: ${voice.listed.header} echoes the method each preflight asks for (${voice.listed.value ?? ''})` : `: ${voice.listed.header} is ${voice.listed.value ?? '(absent)'}`;
  return { summary: `the preflight allows ${named}, which the intent does not${listed}`, headerFix: { ...fix, drop } };
}

/** Methods a preflight never needs to list: CORS-safelisted (Fetch: GET, HEAD, POST). */
const SAFELISTED_METHODS = new Set(['GET', 'HEAD', 'POST']);

/**
 * Everything the server's Access-Control-Allow-Methods lists that no intended request on the route needs, beside the
 * method a probe got through: one probe tries one unintended method, but the list itself names the rest. The fix then
 * drops them all, and the check (kept cases) shows it breaks nothing intended.
 */
export function listedBeyondIntent(cause: Pick<RecordCause, 'summary' | 'headerFix' | 'listed'>, neededOn: (route: string) => ReadonlySet<string>): Pick<RecordCause, 'summary' | 'headerFix'> {
  const fix = cause.headerFix;
  // An echo lists what each request asked, not a list of the server's: nothing more in it to drop.
  if (fix?.kind !== 'remove-from-list' || cause.listed?.header !== 'Access-Control-Allow-Methods' || cause.listed.value === undefined || cause.listed.echoed) return { summary: cause.summary, ...(fix && { headerFix: fix }) };
  // OPTIONS in Allow-Methods changes nothing (a preflight is never preflighted): not worth a line of the fix.
  const listed = cause.listed.value.split(',').map((m) => m.trim()).filter((m) => m !== '' && m !== '*' && m.toUpperCase() !== 'OPTIONS');
  const routes = [...new Set(fix.drop.flatMap((d) => (d.route === undefined ? [] : [d.route])))];
  const more = routes.flatMap((route) => {
    const needed = neededOn(route);
    return listed.filter((m) => !SAFELISTED_METHODS.has(m.toUpperCase()) && !needed.has(m.toUpperCase()) && !fix.drop.some((d) => d.route === route && d.value.toUpperCase() === m.toUpperCase())).map((value) => ({ value, route }));
  });
  if (more.length === 0) return { summary: cause.summary, headerFix: fix };
  const names = [...new Set(more.map((d) => d.value))];
  return { summary: `${cause.summary}; it also lists ${names.join(', ')}, which no intended request needs`, headerFix: { ...fix, drop: [...fix.drop, ...more] } };
}
