/**
 * The oracle run on what was measured: on what the server actually answered (the ledger's recorded status and header
 * lines, not the policy the case declared), and on the request as the page made it, before anything was sent. This is
 * what tells a CORS block from a harness fault, and a refusal from a request that never arrived; the diagnosis reasons
 * from it. The judge runs the oracle's checks here, and nowhere else.
 */
import {
  OracleInputError,
  checkActualResponse,
  formatStep,
  mixedContentCheck,
  potentiallyTrustworthy,
  predict,
  prepareRequest,
  type HeaderPairs,
  type MixedContentCheck,
  type OracleRequest,
  type OracleResponse,
  type OracleStep,
} from '../oracle/index.ts';
import type { LedgerEntry } from '../model/ledger.ts';
import type { HeaderLine } from '../model/policy.ts';

const REDIRECT_STATUSES = [301, 302, 303, 307, 308];

/** The request fields a case record carries, from which the oracle's request is rebuilt. */
export interface RecordedRequest {
  readonly requestOrigin: string;
  readonly url: string;
  readonly request: {
    readonly method: string;
    readonly headers: Readonly<Record<string, string>>;
    readonly body: string | null;
    readonly credentials: RequestCredentials;
    readonly mode: RequestMode;
    readonly redirect?: RequestRedirect;
    readonly kind?: string;
  };
}

/** The oracle's request for a recorded case. `navigate` and other modes the oracle does not model are read as `cors`. */
export function oracleRequestOf(record: RecordedRequest): OracleRequest {
  const mode = record.request.mode === 'no-cors' || record.request.mode === 'same-origin' ? record.request.mode : 'cors';
  return {
    origin: record.requestOrigin,
    url: record.url,
    method: record.request.method,
    headers: Object.entries(record.request.headers),
    credentials: record.request.credentials,
    mode,
    ...(record.request.redirect !== undefined && { redirect: record.request.redirect }),
    // An upload listener sets the use-CORS-preflight flag, as a stream body does: the oracle models the flag through the latter.
    bodyKind: record.request.kind === 'xhr-upload-listener' ? 'stream' : record.request.body === null ? 'none' : 'text',
  };
}

/**
 * What the Fetch Standard says of a request before any of it is sent, from the document that makes it: the mixed-content
 * check (`blocked`: an https page's http URL that is not potentially trustworthy; `trustworthy`: an http URL the
 * standard sends all the same, a loopback address or a localhost name; `none`: the check does not apply), and whether
 * the URL is potentially trustworthy at all (Local Network Access reads that). Refusals are classified from it.
 */
export interface BeforeSending {
  /** The origin of the document that makes the request (a sandboxed frame's: the page that holds it). */
  readonly pageOrigin: string;
  readonly url: string;
  readonly mixedContent: MixedContentCheck['kind'];
  readonly trustworthyUrl: boolean;
}

/** The standard's word on a request from a document of origin `pageOrigin` to `url`, before anything is sent. */
export function beforeSending(pageOrigin: string, url: string): BeforeSending {
  // Asked of every measurement, it may not throw where nothing is refused: a URL that does not parse is never a
  // refusal (refusalOf parses it first, for its port, and fails there as it always did).
  if (!URL.canParse(url)) return { pageOrigin, url, mixedContent: 'none', trustworthyUrl: false };
  return { pageOrigin, url, mixedContent: mixedContentCheck(pageOrigin, url).kind, trustworthyUrl: potentiallyTrustworthy(url) !== undefined };
}

export function headerPairs(lines: readonly HeaderLine[]): HeaderPairs {
  return lines.map((h) => [h.name, h.value] as const);
}

function answerOf(entry: LedgerEntry): OracleResponse {
  return { status: entry.status, headers: headerPairs(entry.responseHeaders) };
}

/** A redirect's Location dropped: the CORS check of a redirect response is the same check, and nothing follows it. */
function withoutLocation(answer: OracleResponse): OracleResponse {
  return REDIRECT_STATUSES.includes(answer.status) ? { ...answer, headers: answer.headers.filter(([name]) => name.toLowerCase() !== 'location') } : answer;
}

interface RecordedHop {
  readonly preflight?: OracleResponse;
  readonly response?: OracleResponse;
}

/** The answered entries in arrival order, grouped into the URLs of a redirect chain: each actual request closes a hop. */
function hopsOf(ledger: readonly LedgerEntry[]): RecordedHop[] {
  const hops: RecordedHop[] = [];
  let preflight: OracleResponse | undefined;
  for (const entry of ledger) {
    if (entry.answered === false || entry.status <= 0) continue;
    if (entry.kind === 'preflight') preflight = answerOf(entry);
    else {
      hops.push({ ...(preflight && { preflight }), response: answerOf(entry) });
      preflight = undefined;
    }
  }
  if (preflight) hops.push({ preflight });
  return hops;
}

export type RecordedJudgement =
  | {
      readonly judged: true;
      /** `allowed` here means no CORS step failed on the answers that were recorded. */
      readonly verdict: 'allowed' | 'blocked-at-preflight' | 'blocked-at-response';
      /** The first step that failed, when one did. */
      readonly failing?: OracleStep;
      readonly reasons: readonly string[];
    }
  | { readonly judged: false; readonly why: string };

/** The last answered entry of a kind: after a redirect or a repeated preflight, the one the engine acted on last. */
export function lastAnswered(ledger: readonly LedgerEntry[], kind: LedgerEntry['kind']): LedgerEntry | undefined {
  return ledger.filter((e) => e.kind === kind && e.answered !== false && e.status > 0).at(-1);
}

const PLACEHOLDER_RESPONSE: OracleResponse = { status: 200, headers: [] };

function judged(prediction: ReturnType<typeof predict>, hasActual: boolean): RecordedJudgement {
  const failing = prediction.steps.find((st) => st.outcome === 'fail');
  // The standard stops this request before sending it (mixed content), yet the server answered it: the engine sent it
  // anyway, so the CORS steps on its answers are the standard's for a request it would never have made.
  if (prediction.verdict === 'blocked-before-sending') return { judged: false, why: `${failing?.text ?? 'the request is blocked before sending'}; yet the server recorded it, so the engine did not block it and the CORS steps on its answers are not judged` };
  // Without a recorded actual answer, only the preflight's part of the prediction stands.
  const verdict = !hasActual && prediction.verdict === 'blocked-at-response' ? 'allowed' : prediction.verdict;
  const kept = !hasActual && failing?.stage === 'response' ? undefined : failing;
  return { judged: true, verdict, ...(kept && { failing: kept }), reasons: prediction.reasons };
}

/** The oracle run on what the server answered, or undefined where nothing was answered (no status to judge). */
export function judgeAnswers(request: OracleRequest, ledger: readonly LedgerEntry[]): RecordedJudgement | undefined {
  return ledger.some((e) => e.answered !== false && e.status > 0) ? judgeRecorded(request, ledger) : undefined;
}

/** Runs the Fetch Standard's CORS steps over the recorded preflights and responses of one case, redirect hops included. */
export function judgeRecorded(request: OracleRequest, ledger: readonly LedgerEntry[]): RecordedJudgement {
  const hops = hopsOf(ledger);
  const last = hops.at(-1);
  const earlier = hops.slice(0, -1).flatMap((h) => (h.response ? [{ ...(h.preflight && { preflight: h.preflight }), response: h.response }] : []));
  const attempt = (finalResponse: OracleResponse | undefined): RecordedJudgement =>
    judged(
      predict({
        request,
        ...(earlier.length > 0 && { redirects: earlier }),
        ...(last?.preflight && { preflight: last.preflight }),
        response: finalResponse ?? PLACEHOLDER_RESPONSE,
      }),
      finalResponse !== undefined,
    );
  try {
    try {
      return attempt(last?.response);
    } catch (error) {
      // The chain ends at a redirect the engine did not follow (the ledger holds nothing after it): judge that answer as final.
      if (!(error instanceof OracleInputError) || !last?.response || !REDIRECT_STATUSES.includes(last.response.status)) throw error;
      return attempt(withoutLocation(last.response));
    }
  } catch (error) {
    if (!(error instanceof OracleInputError)) throw error;
    // A preflight the ledger does not hold (answered from the engine's preflight cache): judge the actual answer alone.
    if (error.field === 'preflight' && last?.response) {
      try {
        const check = checkActualResponse(prepareRequest(request).request, withoutLocation(last.response));
        const failing = check.steps.find((st) => st.outcome === 'fail');
        return { judged: true, verdict: check.ok ? 'allowed' : 'blocked-at-response', ...(failing && { failing }), reasons: check.steps.map(formatStep) };
      } catch (inner) {
        if (!(inner instanceof OracleInputError)) throw inner;
        return { judged: false, why: inner.message };
      }
    }
    return { judged: false, why: error.message };
  }
}
