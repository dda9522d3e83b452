/**
 * The oracle run on what the server actually answered: the ledger's recorded status and header lines, not the
 * policy the case declared. This is what tells a CORS block from a harness fault, and what the diagnosis reasons from.
 */
import { OracleInputError, checkActualResponse, formatStep, predict, prepareRequest, type HeaderPairs, type OracleRequest, type OracleResponse, type OracleStep } from '../oracle/index.ts';
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
