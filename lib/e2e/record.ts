/**
 * One cross-origin request of your app, judged: what the page asked, what went on the wire (from the proxy's ledger),
 * what the engine said, the verdict, the oracle's word on the recorded answers, and the diagnosis with its checked fix.
 * Every judgement is the matrix's own: the request becomes a case and a measurement, judged by judgeCase (the record
 * builder the matrix and the replays use) and diagnosed by causeOfRecord.
 */
import { causeOfRecord, type Cause } from '../diagnose/index.ts';
import type { CaseRecord } from '../judge/case-record.ts';
import { judgeCase } from '../judge/judge-case.ts';
import { corsReasonOf, type CaseOutcome } from '../judge/outcome.ts';
import { lastAnswered } from '../judge/recorded-oracle.ts';
import type { EngineInfo } from '../measure/engines/engine.ts';
import type { Measurement } from '../measure/measurement.ts';
import { headerValue, listValues } from '../model/headers.ts';
import type { LedgerEntry } from '../model/ledger.ts';
import type { PageReport } from '../model/page-report.ts';
import type { HeaderLine } from '../model/policy.ts';
import type { Case } from '../model/scenario.ts';
import type { HarnessProblemCode } from '../oracle/vocabulary.ts';
import { corsReadableHeaders } from '../oracle/response.ts';
import type { CredentialsMode } from '../oracle/index.ts';
import type { EngineName } from '../oracle/vocabulary.ts';
import type { PageCall } from './page-calls.ts';

/** How the page made the request (Playwright's resource type, in the words a web developer uses). */
export const INITIATORS = ['fetch', 'xhr', 'script', 'image', 'font', 'stylesheet', 'media', 'eventsource', 'websocket', 'iframe', 'manifest', 'other'] as const;
export type Initiator = (typeof INITIATORS)[number];

/** What a cross-origin request came to. */
export const E2E_VERDICTS = ['allowed', 'blocked-at-preflight', 'blocked-at-response', 'blocked', 'not-cors', 'failed', 'pending', 'harness-error'] as const;
/**
 * `blocked`: the engine named a CORS failure, but which stage failed was not seen on the wire (an origin not routed
 * through the proxy, or a request the engine refused before sending anything). `not-cors`: no CORS check applies (an element without `crossorigin`, a WebSocket, a frame).
 * `failed`: the request failed for a reason that is not CORS (the server dropped the connection, DNS, TLS).
 * `pending`: not settled yet. `harness-error`: a replay the harness could not measure (the engine crashed or timed
 * out, your server did not answer): never a CORS result, and a matcher given one throws instead of passing or failing.
 */
export type E2eVerdict = (typeof E2E_VERDICTS)[number];

/** An answer as it went on the wire. */
export interface WireAnswer {
  readonly status: number;
  readonly headers: readonly HeaderLine[];
}

export interface PreflightRecord {
  readonly sent: boolean;
  /** Set where the preflight could not be seen: the origin is not one of `corsOptions.apiOrigins`. */
  readonly unknown?: string;
  readonly requestMethod?: string;
  readonly requestHeaders?: readonly string[];
  /** What the preflight was answered, when it was. */
  readonly answer?: WireAnswer;
}

/**
 * A request body as the engine reported it. `unknown`: the engine did not say (Firefox over WebDriver BiDi gives
 * Playwright no request bodies), or it was too large to keep; `bytes` from Content-Length where known.
 */
export type RecordedBody =
  | { readonly kind: 'none' }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'binary'; readonly bytes: number }
  | { readonly kind: 'unknown'; readonly bytes?: number; readonly why: string };

/** The request as the page's script made it, as far as the engine reported it. */
export interface ScriptRequest {
  /** The headers the script set: what the engine reported, without the ones engines add themselves (see scriptHeaders). */
  readonly headers: readonly HeaderLine[];
  readonly body: RecordedBody;
}

/** Set on a record that cors-matrix measured again in another engine (cors.replayIn): where it came from and where it ran. */
export interface ReplayOrigin {
  /** The engine whose test recorded the request the replay sent again. */
  readonly from: EngineName;
  /** The engine the replay ran in, through the matrix's engine layer. */
  readonly engine: EngineInfo;
  /** How the replay made the request: the matrix's page runner's request kind (`fetch`, `xhr`, `event-source`). */
  readonly kind: 'fetch' | 'xhr' | 'event-source';
  /**
   * Set when the recorded body could not be sent as it was (not recorded, or binary): the text sent in its place,
   * and why. CORS never reads a body, but your API's handler does: its answer to the actual request may differ.
   */
  readonly bodyStandIn?: { readonly sent: string; readonly why: string };
}

/** One cross-origin request the page (or one of its workers) made during the test. */
export interface CorsRequestRecord {
  readonly url: string;
  readonly method: string;
  readonly initiator: Initiator;
  /** The origin of the page or worker that made it. */
  readonly pageOrigin: string;
  /** Its origin is one of `corsOptions.apiOrigins`: preflights and answers were recorded on the wire. */
  readonly routed: boolean;
  readonly preflight: PreflightRecord;
  /** The answer to the request itself (on the wire when routed, else as the engine reported it). */
  readonly response?: WireAnswer;
  readonly verdict: E2eVerdict;
  /** Why this is not a CORS request, or why it failed without a CORS check failing. */
  readonly note?: string;
  /** The engine's own words naming the CORS failure (DevTools corsErrorStatus, a console line). */
  readonly engineReason?: string;
  /** What the engine reported for a failed load (`net::ERR_FAILED`, `NS_ERROR_DOM_BAD_URI`). */
  readonly engineError?: string;
  /** The oracle on the recorded answers: the step that failed, or why the request passes. */
  readonly explanation?: string;
  /** The credentials mode the judgement assumed, and where it came from (it is not on the wire). */
  readonly credentials: { readonly mode: CredentialsMode; readonly from: string };
  /** The headers and body the script gave the request, as the engine reported them. */
  readonly request: ScriptRequest;
  /**
   * The page's own call that made the request (fetch, XMLHttpRequest, EventSource, WebSocket), as the script made it:
   * its credentials mode, mode, redirect mode and headers. Absent for element loads and for workers' calls.
   */
  readonly pageCall?: Pick<PageCall, 'api' | 'credentials' | 'mode' | 'redirect' | 'headers'>;
  /** Set when this record is a replay in another engine, not the test's own request. */
  readonly replayed?: ReplayOrigin;
  /** For `harness-error`: which problem it was (never a CORS result). */
  readonly harnessProblem?: HarnessProblemCode;
  /** Response headers the script could read (CORS-safelisted or exposed), lower-cased; for allowed requests. */
  readonly readableHeaders: readonly string[];
  /** For a CORS block: the cause and the oracle-checked fix. */
  readonly cause?: { readonly summary: string; readonly detail: string; readonly fix?: string; readonly fixChecked?: boolean };
  /** When the request was made (ms since the epoch). */
  readonly at: number;
}

/** What the recorder observed of a request through Playwright's events. */
export interface ObservedRequest {
  readonly at: number;
  readonly url: string;
  readonly method: string;
  readonly initiator: Initiator;
  readonly pageOrigin: string;
  readonly navigation: boolean;
  /** The request's headers as the engine reported them (lower-cased names), once known. */
  headers?: Readonly<Record<string, string>>;
  /** The request's body as the engine reported it; absent means none. */
  body?: RecordedBody;
  settledAt?: number;
  failure?: string;
  response?: WireAnswer;
  /** For a redirect's later hop: the URL and method its chain began with (what the page's call named). */
  readonly firstUrl?: string;
  readonly firstMethod?: string;
}

function toLines(headers: Readonly<Record<string, string>>): HeaderLine[] {
  return Object.entries(headers).map(([name, value]) => ({ name, value }));
}

export const CORS_HEADER = /^(access-control-|vary$)/i;

/** The verdict of a request the proxy did not see: from the engine alone. */
function judgeUnrouted(o: ObservedRequest, reasons: readonly string[]): Pick<CorsRequestRecord, 'verdict' | 'note' | 'engineReason'> {
  const engineReason = corsReasonOf(reasons);
  if (engineReason) return { verdict: 'blocked', engineReason, note: `${new URL(o.url).origin} is not in corsOptions.apiOrigins, so the preflight and the answer were not seen on the wire; add it there (with corsOptions.target) for the cause and a checked fix` };
  if (o.failure) return { verdict: 'failed', note: `the load failed (${o.failure}) and the engine named no CORS reason` };
  return { verdict: 'allowed' };
}

/**
 * The app's own request as a case of the matrix, as a replay makes one (lib/e2e/replay.ts): from the page's origin to
 * the URL, answered by your API through the proxy (target `external`), and meant to work (expected `allowed`, from the
 * intent: the app expects its requests to work). `headers` are the ones the oracle needs: those the preflight named.
 */
function caseOf(o: ObservedRequest, headers: Readonly<Record<string, string>>, credentials: CredentialsMode, call: PageCall | undefined): Case {
  return {
    id: `${o.method} ${o.url}`,
    family: 'e2e',
    proves: 'your app’s own request',
    title: `${o.method} ${o.url} from ${o.pageOrigin}`,
    server: new URL(o.url).origin,
    from: 'page',
    to: 'cross-site',
    request: { method: o.method, headers, body: null, credentials, mode: 'cors', redirect: call?.redirect === 'error' || call?.redirect === 'manual' ? call.redirect : 'follow' },
    target: { kind: 'external', pageOrigin: o.pageOrigin, url: o.url },
    expect: { verdict: 'allowed' },
    verdictFrom: 'intent',
  };
}

/** What the recorder saw of the request, as the matrix's measurement of a case. */
function measurementOf(o: ObservedRequest, report: PageReport, ledger: readonly LedgerEntry[], requestOrigin: string, reasons: readonly string[], engine: EngineInfo): Measurement {
  return {
    caseId: `${o.method} ${o.url}`,
    key: '',
    url: o.url,
    // A sandboxed frame's request (Origin: null) is judged by the page that holds it; a page origin that is no URL has none.
    pageUrl: URL.canParse(o.pageOrigin) ? o.pageOrigin : 'about:blank',
    requestOrigin,
    engine,
    report,
    ledger,
    faults: [],
    engineReasons: reasons,
    startedAt: o.at,
    durationMs: (o.settledAt ?? o.at) - o.at,
  };
}

export interface JudgeInput {
  readonly observed: ObservedRequest;
  /** The ledger entries (preflight and actual) this request was matched with, in arrival order; undefined when not routed. */
  readonly ledger?: readonly LedgerEntry[];
  /** The engine's words about this request. */
  readonly reasons: readonly string[];
  readonly engine: EngineInfo;
  /** The page's call that made it, where the init script saw one. */
  readonly call?: PageCall;
}

/** Initiators a script call makes: a record of one without a call came from a worker. */
const SCRIPT_KINDS: ReadonlySet<Initiator> = new Set(['fetch', 'xhr', 'eventsource', 'other']);

const NOT_CORS_INITIATORS: Readonly<Partial<Record<Initiator, string>>> = {
  websocket: 'a WebSocket handshake is not a CORS request: the browser sends Origin and the server alone decides (check Origin on the server)',
  iframe: 'a frame navigation is not a CORS request: the page cannot read a cross-origin frame anyway',
};

/** What the wire says of a request's preflight: its ledger entry (undefined when none went out). */
export function preflightRecordOf(entry: LedgerEntry | undefined): PreflightRecord {
  if (!entry) return { sent: false };
  return {
    sent: true,
    ...(entry.accessControlRequestMethod !== undefined && { requestMethod: entry.accessControlRequestMethod }),
    requestHeaders: listValues(entry.accessControlRequestHeaders),
    ...(entry.answered && { answer: { status: entry.status, headers: entry.responseHeaders } }),
  };
}

/** The ledger entries a record shows: the last answered preflight and request (those the engine acted on), else the first sent. */
export function wireEntriesOf(ledger: readonly LedgerEntry[]): { readonly preflight?: LedgerEntry; readonly actual?: LedgerEntry } {
  const preflight = lastAnswered(ledger, 'preflight') ?? ledger.find((e) => e.kind === 'preflight');
  const actual = lastAnswered(ledger, 'actual') ?? ledger.find((e) => e.kind === 'actual');
  return { ...(preflight && { preflight }), ...(actual && { actual }) };
}

/** The answer to the request itself as the wire holds it, when it was answered. */
export function wireAnswerOf(actual: LedgerEntry | undefined): WireAnswer | undefined {
  return actual?.answered ? { status: actual.status, headers: actual.responseHeaders } : undefined;
}

/** A block's stage as a record says it; a block before anything was sent has no stage on the wire (`blocked`). */
function e2eBlockVerdict(verdict: CaseOutcome['verdict']): 'blocked-at-preflight' | 'blocked-at-response' | 'blocked' {
  return verdict === 'blocked-at-preflight' || verdict === 'blocked-at-response' ? verdict : 'blocked';
}

/**
 * What a record of a blocked request says besides what it shares with every record: its verdict, the server error
 * the block hides, and the cause with its oracle-checked fix (the fixture's own records and replays alike).
 */
export function blockedFields(outcome: CaseOutcome, cause: Cause | undefined): Pick<CorsRequestRecord, 'verdict' | 'note' | 'readableHeaders' | 'cause'> {
  return {
    verdict: e2eBlockVerdict(outcome.verdict),
    ...(outcome.block?.errorResponse !== undefined && { note: outcome.block.errorResponse }),
    readableHeaders: [],
    ...(cause && { cause: { summary: cause.summary, detail: cause.detail, ...(cause.fix !== undefined && { fix: cause.fix }), ...(cause.check && { fixChecked: cause.check.passed }) } }),
  };
}

/** The oracle's word on the recorded answers, in one line: the step that failed, or why the request passes. */
export function explanationOf(outcome: CaseOutcome): string | undefined {
  const recorded = outcome.recorded;
  if (!recorded) return undefined;
  if (!recorded.judged) return `the oracle cannot judge the recorded answers: ${recorded.why}`;
  if (recorded.failing) return `${recorded.failing.stage}: ${recorded.failing.text}`;
  return recorded.reasons.filter((r) => /^(preflight|response)/.test(r)).at(-1) ?? `passes: ${recorded.verdict}`;
}

/**
 * Request headers the Fetch Standard forbids a script to set (the engine's own: Host, Origin, Referer, Cookie,
 * Content-Length, Sec-*, Proxy-*, …): an engine that reports them added them itself.
 */
const FORBIDDEN_REQUEST_HEADER = /^(accept-charset|accept-encoding|access-control-request-headers|access-control-request-method|connection|content-length|cookie|cookie2|date|dnt|expect|host|keep-alive|origin|referer|set-cookie|te|trailer|transfer-encoding|upgrade|via|sec-.*|proxy-.*)$/i;

/**
 * The headers the script set, from what the engine reported: without the forbidden ones (the engine's own), without
 * User-Agent (a script may set it, but every engine reports its own, and a script-set one needs a preflight), and, in
 * Firefox, whose WebDriver BiDi reports the whole wire request, without its default `Accept: *\/*` and Accept-Language
 * (both CORS-safelisted, so leaving them out changes nothing about CORS). Chromium reports Accept and Accept-Language
 * only when the script set them.
 */
export function scriptHeaders(reported: Readonly<Record<string, string>>, engine: EngineName): HeaderLine[] {
  return Object.entries(reported)
    .filter(([name, value]) => {
      const lower = name.toLowerCase();
      if (FORBIDDEN_REQUEST_HEADER.test(lower) || lower === 'user-agent') return false;
      if (engine === 'firefox' && (lower === 'accept-language' || (lower === 'accept' && value === '*/*'))) return false;
      return true;
    })
    .map(([name, value]) => ({ name: name.toLowerCase(), value }));
}

/** Header names whose values are credentials: a report shows that they were set, not what they hold. */
const SECRET_HEADER = /^(authorization|proxy-authorization|cookie)$|token|secret|api-?key|auth|session|password/i;

/**
 * A record as the HTML report's JSON attachment holds it: the script's body by its size only, and credential-like
 * header values hidden (a report is often shared as a CI artifact). The replay reads the record itself, not this.
 */
export function reportedRecord(record: CorsRequestRecord): Omit<CorsRequestRecord, 'request'> & { readonly request: { readonly headers: readonly HeaderLine[]; readonly body: { readonly kind: RecordedBody['kind']; readonly bytes?: number } } } {
  const { body, headers } = record.request;
  const bytes = body.kind === 'text' ? Buffer.byteLength(body.text) : body.kind === 'none' ? undefined : body.bytes;
  return {
    ...record,
    request: {
      headers: headers.map((h) => (SECRET_HEADER.test(h.name) ? { name: h.name, value: '(hidden in the report)' } : h)),
      body: { kind: body.kind, ...(bytes !== undefined && { bytes }) },
    },
  };
}

/** Judges one settled request. */
export function judgeRequest({ observed: o, ledger, reasons, engine, call }: JudgeInput): CorsRequestRecord {
  const request: ScriptRequest = { headers: scriptHeaders(o.headers ?? {}, engine.name), body: o.body ?? { kind: 'none' } };
  const pageCall = call && { api: call.api, credentials: call.credentials, mode: call.mode, redirect: call.redirect, headers: call.headers };
  // The page's call names the API that made it; engines' resource types differ (Firefox's EventSource).
  const base = { url: o.url, method: o.method, initiator: call?.api ?? o.initiator, pageOrigin: o.pageOrigin, at: o.at, routed: ledger !== undefined, request, ...(pageCall && { pageCall }) } as const;
  const notCors = NOT_CORS_INITIATORS[base.initiator];
  // The credentials mode is not on the wire: the page's call says it; only where there is none is it assumed.
  const defaultCredentials = call
    ? { mode: call.credentials, from: `the page's ${call.api === 'xhr' ? 'XMLHttpRequest' : call.api === 'eventsource' ? 'EventSource' : call.api} call` }
    : { mode: 'same-origin' as const, from: SCRIPT_KINDS.has(o.initiator) ? 'not on the wire; assumed (no page call seen: a worker\'s request, which the init script does not reach)' : 'not on the wire; assumed (an element load: no script call)' };
  if (call?.mode === 'no-cors') return { ...base, preflight: { sent: false }, verdict: 'not-cors', note: 'the page\'s fetch call set mode: \'no-cors\': the browser makes no CORS check; the script cannot read the answer', credentials: defaultCredentials, readableHeaders: [], ...(o.response && { response: o.response }) };
  if (notCors) return { ...base, preflight: { sent: false }, verdict: 'not-cors', note: notCors, credentials: defaultCredentials, readableHeaders: [], ...(o.response && { response: o.response }) };
  // In flight, a script request's call may still be on its way (Firefox's calls are read from the page): not assumed yet.
  const pendingCredentials = call || !SCRIPT_KINDS.has(o.initiator) ? defaultCredentials : { mode: 'same-origin' as const, from: 'not known yet: the request is in flight and its page call not read yet' };
  if (o.settledAt === undefined) return { ...base, preflight: { sent: false }, verdict: 'pending', credentials: pendingCredentials, readableHeaders: [] };
  if (!ledger) {
    const judged = judgeUnrouted(o, reasons);
    const readable = judged.verdict === 'allowed' && o.response ? corsReadableHeaders(o.response.headers.map((h) => [h.name, h.value] as const), 'same-origin').names : [];
    return {
      ...base,
      preflight: { sent: false, unknown: `not seen: ${new URL(o.url).origin} is not one of corsOptions.apiOrigins` },
      ...(o.response && { response: o.response }),
      ...judged,
      ...(o.failure && { engineError: o.failure }),
      credentials: defaultCredentials,
      readableHeaders: readable,
    };
  }
  const { preflight: preflightEntry, actual } = wireEntriesOf(ledger);
  const preflight = preflightRecordOf(preflightEntry);
  const response = wireAnswerOf(actual) ?? o.response;
  // It arrived without Origin and without a preflight: the engine made it in no-cors mode (an element without crossorigin).
  if (actual && !preflightEntry && actual.origin === undefined) {
    return {
      ...base,
      preflight,
      ...(response && { response }),
      verdict: 'not-cors',
      note: `sent without an Origin header (${/^[aeiou]/.test(o.initiator) ? 'an' : 'a'} ${o.initiator} in no-cors mode, e.g. an element without a crossorigin attribute): the browser makes no CORS check; the script cannot read it`,
      credentials: defaultCredentials,
      readableHeaders: [],
    };
  }
  const engineReason = corsReasonOf(reasons);
  // What the script saw: a CORS failure is a network error, which the engine names; Playwright's own failure otherwise.
  const report: PageReport = o.failure !== undefined || engineReason !== undefined ? { kind: 'rejected', name: 'TypeError', message: o.failure ?? engineReason ?? '' } : { kind: 'resolved', status: response?.status ?? 0, type: 'cors', headers: [], body: '' };
  const names = preflight.requestHeaders ?? [];
  const headers = Object.fromEntries(names.map((n) => [n, o.headers?.[n.toLowerCase()] ?? 'x']));
  const cookies = (actual?.cookies.length ?? 0) > 0;
  const measurement = measurementOf(o, report, ledger, actual?.origin ?? preflightEntry?.origin ?? o.pageOrigin, reasons, engine);
  // Judged as the matrix judges a case (judgeCase): one judge and one record builder for both.
  const judgeWith = (mode: CredentialsMode): CaseRecord => judgeCase(caseOf(o, headers, mode, call), measurement);
  let credentials: { mode: CredentialsMode; from: string } = call ? defaultCredentials : cookies ? { mode: 'include' as const, from: 'the request carried cookies' } : defaultCredentials;
  let judged = judgeWith(credentials.mode);
  // Without the page's call the credentials mode is not known: where the engine blocked what passes without
  // credentials, and the oracle blocks it with them, the request was made with credentials.
  if (!call && !cookies && judged.outcome.block && !judged.outcome.block.confirmedBy.includes('oracle')) {
    const withCredentials = judgeWith('include');
    if (withCredentials.outcome.block?.confirmedBy.includes('oracle')) {
      judged = withCredentials;
      credentials = { mode: 'include', from: 'inferred: only with credentials does the oracle block what the engine blocked' };
    }
  }
  const { outcome } = judged;
  const explanation = explanationOf(outcome);
  const common = {
    ...base,
    preflight,
    ...(response && { response }),
    ...(outcome.block?.engineReason !== undefined && { engineReason: outcome.block.engineReason }),
    ...(engineReason !== undefined && outcome.block === undefined && { engineReason }),
    ...(o.failure !== undefined && { engineError: o.failure }),
    ...(explanation !== undefined && { explanation }),
    credentials,
  };
  // Nothing reached the server and the engine names a CORS reason: it refused the request before sending anything.
  if (outcome.verdict === 'harness-error' && ledger.length === 0 && engineReason !== undefined) {
    return { ...common, engineReason, verdict: 'blocked', note: 'the engine refused the request before sending anything (nothing reached the API), naming a CORS reason', readableHeaders: [] };
  }
  if (outcome.verdict === 'harness-error') return { ...common, verdict: 'failed', note: outcome.harnessProblem ?? 'the request failed, not for CORS', readableHeaders: [] };
  if (outcome.verdict === 'allowed') {
    const readable = response ? corsReadableHeaders(response.headers.map((h) => [h.name, h.value] as const), credentials.mode).names : [];
    return { ...common, verdict: 'allowed', readableHeaders: readable };
  }
  return { ...common, ...blockedFields(outcome, causeOfRecord(judged)) };
}

export { toLines, headerValue };
