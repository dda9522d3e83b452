import type { LedgerEntry, ServerFault } from '../model/ledger.ts';
import type { PageReport } from '../model/page-report.ts';
import type { OracleRequest, OracleRuleId } from '../oracle/index.ts';
import { HARNESS_PROBLEMS, type HarnessProblemCode, type Verdict } from '../oracle/vocabulary.ts';
import { lastAnswered, type BeforeSending, type RecordedJudgement } from './recorded-oracle.ts';
import { headerValue } from '../model/headers.ts';
import { refusalOf, type Refusal } from './refusals.ts';
import { refusedRedirectOf, type RefusedRedirect } from './refused-redirect.ts';

export { VERDICTS, HARNESS_PROBLEMS, type HarnessProblemCode, type Verdict } from '../oracle/vocabulary.ts';
export type { Refusal } from './refusals.ts';
export type { RefusedRedirect } from './refused-redirect.ts';

export interface PreflightSeen {
  readonly sent: boolean;
  readonly accessControlRequestMethod?: string;
  readonly accessControlRequestHeaders?: string;
}

/** What makes a failed fetch a CORS block, and what the block hides. */
export interface CorsBlock {
  readonly stage: 'preflight' | 'response';
  /** The status the server answered the blocked request with. */
  readonly status: number;
  /** Whether that answer carried Access-Control-Allow-Origin. */
  readonly allowOriginSent: boolean;
  /** Set when the answer was an error (4xx, 5xx, a preflight not 2xx) or a redirect: the server problem the CORS error masks. */
  readonly errorResponse?: string;
  /** What says CORS failed: the oracle run on the recorded answers, the engine's own reason, or both. */
  readonly confirmedBy: readonly ('oracle' | 'engine')[];
  /** The oracle's failing step on the recorded answers. */
  readonly oracleReason?: string;
  readonly oracleRule?: OracleRuleId;
  /** The engine's own words that name the CORS failure. */
  readonly engineReason?: string;
  /**
   * Set where the engine's words name no check but the wire shows what it did: it blocked the request at a redirect
   * it must not follow, which the server answered in full (refused-redirect.ts). Counts as the engine's confirmation.
   */
  readonly engineRefusal?: RefusedRedirect;
}

/** Page report and server ledger, read together: one record per case per engine. */
export interface CaseOutcome {
  readonly verdict: Verdict;
  readonly preflight: PreflightSeen;
  /** The actual (non-preflight) request reached the server. */
  readonly reachedServer: boolean;
  readonly handlerRan: boolean;
  /** The script could read the response (status, body). */
  readonly readable: boolean;
  readonly status?: number;
  readonly responseType?: string;
  /** Response headers the script could read, lower-cased names. */
  readonly readableHeaders: Readonly<Record<string, string>>;
  /** Cookie names the server received with the actual request. */
  readonly cookiesReceived: readonly string[];
  /** The engine's own error text, when the fetch rejected. */
  readonly engineError?: string;
  /** Why the case is a harness error rather than a CORS result, in words. */
  readonly harnessProblem?: string;
  /** Which harness problem it was, for expectations to compare. */
  readonly harnessCode?: HarnessProblemCode;
  /** Set on a block: its evidence, and the server error it masks if any. */
  readonly block?: CorsBlock;
  /** Set on `blocked-before-sending`: why the engine refused to send the request at all (mixed content, a bad port, Local Network Access), and what the standard says of it. */
  readonly refusal?: Refusal;
  /**
   * The Fetch Standard's CORS steps run once on what the server really answered (redirect hops included): every
   * later stage (the failure text, the diagnosis) reads this, and none runs the oracle on the recorded answers again.
   * Absent where nothing was answered.
   */
  readonly recorded?: RecordedJudgement;
}

/** What classification needs beyond the page and the ledger: the request as made, and the engine's own words. */
export interface ClassifyContext {
  readonly request: OracleRequest;
  readonly engineReasons: readonly string[];
  /** Set when the victim's session could not be planted on the API origin first, saying why. */
  readonly sessionNotPlanted?: string;
}

export function isHarnessProblemCode(value: unknown): value is HarnessProblemCode {
  return typeof value === 'string' && (HARNESS_PROBLEMS as readonly string[]).includes(value);
}

// Chromium's DevTools corsErrorStatus and console lines, Firefox's "Cross-Origin Request Blocked … (Reason: CORS …)",
// WebKit's "Failed to load resource: <the check>" ("Origin … is not allowed by Access-Control-Allow-Origin. Status code:
// 200", "Preflight response is not successful. Status code: 500", "Cross-origin redirection to … denied by
// Cross-Origin Resource Sharing policy: …"). Firefox's "CORS request did not succeed" is a network failure, not a CORS
// check that failed.
const CORS_REASON = /corsErrorStatus|blocked by CORS policy|Reason: CORS|CORS (header|preflight|Missing|Allow)|Access-Control-Allow-|Preflight response is not successful|Cross-Origin Resource Sharing policy/i;
const NOT_CORS = /CORS request did not succeed/i;

/** The first of the engine's own reasons that names a failed CORS check. */
export function corsReasonOf(reasons: readonly string[]): string | undefined {
  return reasons.find((r) => CORS_REASON.test(r) && !NOT_CORS.test(r));
}


/** Where the blocked answer was an error or a redirect: what the browser's CORS error hides from whoever reads it. */
export function errorResponseNote(entry: LedgerEntry): string | undefined {
  const { status } = entry;
  const bare = headerValue(entry.responseHeaders, 'access-control-allow-origin') === undefined;
  const withoutCors = bare ? ' without CORS headers' : '';
  if (entry.kind === 'preflight') {
    if (status >= 200 && status < 300) return undefined;
    const route = status === 404 || status === 405 ? ': the route does not answer OPTIONS, so the server has no CORS handling for the preflight there' : '';
    return `the preflight got ${status}${withoutCors}; a preflight must be answered 2xx${route}. The browser reports a CORS error where the truth is a ${status} from the server`;
  }
  if (status >= 300 && status < 400) {
    const location = headerValue(entry.responseHeaders, 'location');
    return `the server answered ${status} (a redirect${location ? ` to ${location}` : ''})${withoutCors}: the browser refuses the redirect, and the CORS error hides where the server sent the request`;
  }
  if (status >= 400) {
    return `the server answered ${status}${bare ? ', and that error response carries no CORS headers' : ''}: the browser reports a CORS error where the truth is a server error (${status})`;
  }
  return undefined;
}

function describeEntry(entry: LedgerEntry): string {
  return `${entry.kind === 'preflight' ? 'the preflight' : `the ${entry.method} request`}${entry.path ? ` to ${entry.path}` : ''}`;
}

/**
 * Page report and ledger read together, with the oracle asked once already: its judgement of the recorded answers
 * (judgeAnswers: undefined where nothing was answered), whatever the verdict, which every later stage reads instead of
 * running the oracle on the recorded answers again; and its word on the request before sending (beforeSending, from
 * the page that made it: a sandboxed frame's page, else the request's origin), which a refusal is classified by.
 */
export function classifyJudged(
  report: PageReport,
  ledger: readonly LedgerEntry[],
  faults: readonly ServerFault[],
  context: ClassifyContext,
  recorded: RecordedJudgement | undefined,
  standard: BeforeSending,
): CaseOutcome {
  const preflightEntry = ledger.find((e) => e.kind === 'preflight');
  const actual = ledger.find((e) => e.kind === 'actual');
  const preflight: PreflightSeen = preflightEntry
    ? {
        sent: true,
        ...(preflightEntry.accessControlRequestMethod !== undefined && { accessControlRequestMethod: preflightEntry.accessControlRequestMethod }),
        ...(preflightEntry.accessControlRequestHeaders !== undefined && { accessControlRequestHeaders: preflightEntry.accessControlRequestHeaders }),
      }
    : { sent: false };
  const base = {
    preflight,
    reachedServer: actual !== undefined,
    handlerRan: ledger.some((e) => e.handlerRan),
    readable: false,
    readableHeaders: {},
    cookiesReceived: actual?.cookies ?? [],
    ...(report.kind === 'rejected' && { engineError: `${report.name}: ${report.message}` }),
  };
  // Judged once, by the caller, whatever the verdict: every later stage reads this instead of running the oracle again.
  const judgedBase = { ...base, ...(recorded && { recorded }) };
  const harnessError = (code: HarnessProblemCode, problem: string): CaseOutcome => ({ ...judgedBase, verdict: 'harness-error', harnessProblem: problem, harnessCode: code });

  const [firstFault] = faults;
  const serverSaid = `the server reported: ${faults.map((f) => f.message).join('; ')}`;
  // A page that waited in vain for a case the server faulted on: the fault is the cause, the timeout its symptom.
  if (report.kind === 'harness-error') return firstFault && report.code === 'timeout' ? harnessError(firstFault.code, serverSaid) : harnessError(report.code, report.message);
  if (firstFault) return harnessError(firstFault.code, serverSaid);

  if (context.sessionNotPlanted !== undefined && context.request.credentials !== 'omit' && actual) {
    return harnessError('session-not-planted', `the victim's session was not planted, so the cookies this request carried say nothing about the engine: ${context.sessionNotPlanted}`);
  }

  if (report.kind === 'resolved') {
    if (!actual) return harnessError('response-without-arrival', 'the page got a response but the server never saw the request');
    const readable = report.type !== 'opaque' && report.type !== 'opaqueredirect';
    return {
      ...judgedBase,
      verdict: 'allowed',
      readable,
      status: report.status,
      responseType: report.type,
      readableHeaders: Object.fromEntries(report.headers.map(([name, value]) => [name.toLowerCase(), value])),
    };
  }

  // A CORS failure is a network error, which fetch surfaces as a TypeError in every engine.
  if (report.name !== 'TypeError') return harnessError('not-a-network-error', `the fetch failed with ${report.name}, not a network error`);
  const arrived = actual ? ledger.filter((e) => e.kind === 'actual').at(-1) : ledger.filter((e) => e.kind === 'preflight').at(-1);
  if (arrived) {
    if (arrived.answered === false || arrived.status === 0) {
      return harnessError('no-answer', `${describeEntry(arrived)} reached the server, which closed the connection without answering: a dropped connection, not a CORS block`);
    }

    // A block is a block only where the Fetch Standard, applied to what the server really answered, or the engine's own
    // reason says CORS failed. Anything else after an answer (a body cut off, a reset) is the harness's to report.
    const judgement: RecordedJudgement = recorded ?? { judged: false, why: 'nothing was answered' };
    const engineReason = corsReasonOf(context.engineReasons);
    const oracleBlocks = judgement.judged && judgement.verdict !== 'allowed';
    if (!oracleBlocks && engineReason === undefined) {
      const answer = `${describeEntry(arrived)} was answered ${arrived.status}`;
      if (arrived.cutOff) return harnessError('unconfirmed-block', `${answer}, but the connection closed before the body was complete (the body was cut off): the fetch failed for that, not for CORS`);
      if (judgement.judged) {
        return harnessError('unconfirmed-block', `${answer} and that answer passes the CORS checks, yet the fetch failed and the engine named no CORS reason: not counted as a CORS block`);
      }
      return harnessError('unconfirmed-block', `${answer}, but the oracle cannot judge it (${judgement.why}) and the engine named no CORS reason: not counted as a CORS block`);
    }

    const blockedEntry = actual ? lastAnswered(ledger, 'actual') ?? arrived : lastAnswered(ledger, 'preflight') ?? arrived;
    const note = errorResponseNote(blockedEntry);
    const failing = judgement.judged ? judgement.failing : undefined;
    // Only where the engine named no check: its generic words, told from a network failure by the wire.
    const engineRefusal = engineReason === undefined && oracleBlocks ? refusedRedirectOf(ledger, context.engineReasons, failing?.rule) : undefined;
    const engineConfirms = engineReason !== undefined || engineRefusal !== undefined;
    const block: CorsBlock = {
      stage: actual ? 'response' : 'preflight',
      status: blockedEntry.status,
      allowOriginSent: headerValue(blockedEntry.responseHeaders, 'access-control-allow-origin') !== undefined,
      ...(note !== undefined && { errorResponse: note }),
      confirmedBy: [...(oracleBlocks ? (['oracle'] as const) : []), ...(engineConfirms ? (['engine'] as const) : [])],
      ...(oracleBlocks && failing && { oracleReason: failing.text, oracleRule: failing.rule }),
      ...(engineReason !== undefined && { engineReason }),
      ...(engineRefusal !== undefined && { engineRefusal }),
    };
    return { ...judgedBase, verdict: actual ? 'blocked-at-response' : 'blocked-at-preflight', block };
  }
  // Nothing of the request reached a server: the engine refused it (mixed content, a bad port, Local Network Access),
  // when the standard or the engine's own words say so.
  const refusal = refusalOf(report, ledger, faults, standard, context.engineReasons);
  if (refusal) return { ...judgedBase, verdict: 'blocked-before-sending', refusal };
  return harnessError('no-arrival', 'the fetch failed and no request reached the server');
}
