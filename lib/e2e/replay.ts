/**
 * A test's recorded cross-origin requests, sent again in another engine through the matrix's own engine layer
 * (`cors.replayIn('webkit')`): each replayable record becomes a typed case (lib/model/scenario.ts, target kind
 * `external`, as own-server mode makes them), measured by the matrix's batch, judged by its classification and
 * oracle, and turned back into a record the matchers read. This file is the pure part: record → case, and the
 * judged case → record. lib/e2e/replay-engine.ts runs the engine.
 */
import { causeOfRecord } from '../diagnose/index.ts';
import type { CaseRecord } from '../judge/case-record.ts';
import { corsReasonOf } from '../judge/outcome.ts';
import type { EngineInfo } from '../measure/engines/engine.ts';
import { CASE_QUERY, replayCaseId, withoutCaseQuery } from '../model/case-identity.ts';
import type { Case } from '../model/scenario.ts';
import { ENGINE_NAMES, type EngineName } from '../oracle/vocabulary.ts';
import type { CorsRecordings } from './matchers.ts';
import { blockedFields, explanationOf, preflightRecordOf, wireAnswerOf, wireEntriesOf, type CorsRequestRecord, type Initiator, type ReplayOrigin } from './record.ts';
import { CorsRequestSet, describePattern, type UrlPattern } from './request-set.ts';

/** Bad input to a replay, or an engine that cannot run one: names the argument and the rule. */
export class CorsReplayError extends Error {
  constructor(
    readonly argument: string,
    rule: string,
  ) {
    super(`${argument}: ${rule}`);
    this.name = 'CorsReplayError';
  }
}

/** The engine a test asked for, checked: one of the matrix's engines. */
export function checkReplayEngine(engine: unknown): EngineName {
  if (typeof engine === 'string' && (ENGINE_NAMES as readonly string[]).includes(engine)) return engine as EngineName;
  const safari = typeof engine === 'string' && /safari/i.test(engine) ? "; Safari's engine is 'webkit' (here WebKitGTK's MiniBrowser)" : '';
  throw new CorsReplayError(`cors.replayIn(${JSON.stringify(engine) ?? String(engine)})`, `the engine must be one of ${ENGINE_NAMES.map((n) => `'${n}'`).join(', ')}${safari}`);
}

/** A recorded request the replay did not send, and why. */
export interface SkippedReplay {
  readonly record: CorsRequestRecord;
  readonly why: string;
}

/** A recorded request as the case the matrix measures. */
export interface ReplayCase {
  readonly record: CorsRequestRecord;
  readonly testCase: Case;
  readonly kind: ReplayOrigin['kind'];
  readonly bodyStandIn?: ReplayOrigin['bodyStandIn'];
}

export interface ReplayPlan {
  readonly cases: readonly ReplayCase[];
  readonly skipped: readonly SkippedReplay[];
}

/** How the matrix's page runner makes a request of each replayable initiator (servers/assets/request-kinds.js). */
const KIND_OF: Readonly<Partial<Record<Initiator, ReplayOrigin['kind']>>> = { fetch: 'fetch', xhr: 'xhr', eventsource: 'event-source' };

const ELEMENT =
  "an element's load: the record does not hold the element's crossorigin value (anonymous or use-credentials), which decides its credentials mode, so a replay would have to guess it";

/** Why a request of this initiator is not replayed. */
const NOT_REPLAYED: Readonly<Record<Exclude<Initiator, 'fetch' | 'xhr' | 'eventsource'>, string>> = {
  script: `a <script> — ${ELEMENT}`,
  image: `an <img> — ${ELEMENT}`,
  font: `a font — ${ELEMENT}`,
  stylesheet: `a stylesheet — ${ELEMENT}`,
  media: `a <video>/<audio> — ${ELEMENT}`,
  manifest: `a web app manifest — ${ELEMENT}`,
  iframe: 'a frame navigation is not a CORS request',
  websocket: 'a WebSocket handshake is not a CORS request',
  other: 'Playwright did not say how the page made it (resource type "other"), so the replay cannot make it the same way',
};

function isHttpOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === origin;
  } catch {
    return false;
  }
}

/** Why this record cannot be replayed, or undefined when it can. */
function whyNotReplayed(record: CorsRequestRecord): string | undefined {
  if (record.replayed) return `it is itself a replay (in ${record.replayed.engine.name})`;
  if (record.verdict === 'pending') return 'it was still in flight when the replay started';
  if (record.verdict === 'not-cors') return `no CORS check to replay${record.note ? `: ${record.note}` : ''}`;
  if (!(record.initiator in KIND_OF)) return NOT_REPLAYED[record.initiator as keyof typeof NOT_REPLAYED];
  if (!record.routed) return `${new URL(record.url).origin} is not one of corsOptions.apiOrigins: a replay reaches your API only through the fixture's proxy, which knows no target for this origin`;
  if (!isHttpOrigin(record.pageOrigin)) return `the requesting page's origin (${record.pageOrigin || 'unknown'}) is not an http(s) origin the replay can serve its page under`;
  return undefined;
}

/**
 * The text sent for a body that cannot be sent as recorded: `{}` for JSON (the most neutral document), otherwise
 * nothing. Its Content-Type (a header, which CORS does read) is the recorded one either way.
 */
function bodyStandIn(record: CorsRequestRecord): ReplayOrigin['bodyStandIn'] {
  const { body } = record.request;
  if (body.kind !== 'binary' && body.kind !== 'unknown') return undefined;
  const type = record.request.headers.find((h) => h.name === 'content-type')?.value ?? '';
  const sent = /^application\/([\w.-]+\+)?json\b/i.test(type.trim()) ? '{}' : '';
  const why =
    body.kind === 'binary'
      ? `the body was binary (${body.bytes} bytes), and the matrix's page runner sends text bodies`
      : `the body was not recorded (${body.why}${body.bytes !== undefined ? `, ${body.bytes} bytes` : ''})`;
  return { sent, why };
}

/**
 * The test's records as cases for the matrix, and the ones it cannot replay with why. A case is the request as the
 * script made it — method, the headers it set, its text body, the credentials mode the record gives — from the same
 * page origin to the same URL, answered by your API through the proxy (target kind `external`); what the team means
 * is that it works (expected `allowed`, from the intent, as the fixture judges its own records).
 */
export function replayPlan(records: readonly CorsRequestRecord[], from: EngineName): ReplayPlan {
  const cases: ReplayCase[] = [];
  const skipped: SkippedReplay[] = [];
  for (const record of records) {
    const why = whyNotReplayed(record);
    const kind = KIND_OF[record.initiator];
    if (why !== undefined || kind === undefined) {
      skipped.push({ record, why: why ?? 'not a replayable initiator' });
      continue;
    }
    const { body } = record.request;
    const standIn = kind === 'event-source' ? undefined : bodyStandIn(record);
    // EventSource sends no headers or body of the script's, and always GET.
    const headers = kind === 'event-source' ? {} : Object.fromEntries(record.request.headers.map((h) => [h.name, h.value]));
    cases.push({
      record,
      kind,
      ...(standIn && { bodyStandIn: standIn }),
      testCase: {
        id: replayCaseId(cases.length, `${record.method} ${new URL(record.url).pathname}`),
        family: 'e2e-replay',
        proves: `your app's own request, recorded in ${from} and sent again in another engine`,
        title: `${record.method} ${record.url} from ${record.pageOrigin} (replayed from ${from})`,
        server: 'your API',
        from: 'page',
        to: 'cross-site',
        request: {
          method: record.method,
          headers,
          body: standIn ? standIn.sent : kind !== 'event-source' && body.kind === 'text' ? body.text : null,
          credentials: record.credentials.mode,
          mode: 'cors',
          redirect: 'follow',
          ...(kind !== 'fetch' && { kind }),
        },
        target: { kind: 'external', pageOrigin: record.pageOrigin, url: record.url },
        expect: { verdict: 'allowed' },
        verdictFrom: 'intent',
      },
    });
  }
  return { cases, skipped };
}

/** A replayed case, measured and judged by the matrix (judgeCase), as the record the matchers read. */
export function replayedRecord(replay: ReplayCase, judged: CaseRecord, from: EngineName, at: number): CorsRequestRecord {
  const { record, testCase, kind, bodyStandIn: standIn } = replay;
  const { outcome, ledger } = judged;
  const key = new URL(judged.url).searchParams.get(CASE_QUERY);
  const wire = wireEntriesOf(ledger);
  const preflight = preflightRecordOf(wire.preflight);
  const response = wireAnswerOf(wire.actual);
  const reason = outcome.block?.engineReason ?? corsReasonOf(judged.engineReasons);
  const explanation = explanationOf(outcome);
  const common = {
    url: record.url,
    method: testCase.request.method,
    initiator: record.initiator,
    pageOrigin: record.pageOrigin,
    routed: true,
    preflight,
    ...(response && { response }),
    ...(reason !== undefined && { engineReason: withoutCaseQuery(reason, key) }),
    ...(outcome.engineError !== undefined && { engineError: withoutCaseQuery(outcome.engineError, key) }),
    ...(explanation !== undefined && { explanation }),
    credentials: { mode: testCase.request.credentials, from: `as recorded in ${from}: ${record.credentials.from}` },
    request: record.request,
    replayed: { from, engine: judged.engine, kind, ...(standIn && { bodyStandIn: standIn }) },
    at,
  } as const;
  switch (outcome.verdict) {
    case 'harness-error':
      return { ...common, verdict: 'harness-error', ...(outcome.harnessCode !== undefined && { harnessProblem: outcome.harnessCode }), note: outcome.harnessProblem ?? 'the harness could not measure it', readableHeaders: [] };
    case 'allowed':
      return { ...common, verdict: 'allowed', readableHeaders: Object.keys(outcome.readableHeaders).map((h) => h.toLowerCase()) };
    default:
      return { ...common, ...blockedFields(outcome, causeOfRecord(judged)) };
  }
}

/** The records of one replay: a request set source for the matchers, like the `cors` fixture itself. */
export class ReplayedRequests implements CorsRecordings {
  readonly isCorsRecordings = true;
  /** How messages name it: `cors.replayIn('webkit')`. */
  readonly label: string;
  readonly #records: readonly CorsRequestRecord[];

  constructor(
    /** The engine the replay ran in. */
    readonly engine: EngineInfo,
    /** The engine whose recorded requests were replayed. */
    readonly from: EngineName,
    records: readonly CorsRequestRecord[],
    /** Recorded requests not replayed, each with why. */
    readonly skipped: readonly SkippedReplay[],
  ) {
    this.#records = records;
    this.label = `cors.replayIn('${engine.name}')`;
  }

  records(): CorsRequestRecord[] {
    return [...this.#records];
  }

  notReplayed(): readonly SkippedReplay[] {
    return this.skipped;
  }

  /** The replayed requests whose URL matches (all of them without a pattern). */
  requests(pattern?: UrlPattern): CorsRequestSet {
    return new CorsRequestSet(this, pattern === undefined ? `${this.label}.requests()` : `${this.label}.requests(${describePattern(pattern)})`, pattern);
  }

  /** The replayed requests with this method whose URL matches. */
  request(method: string, pattern: UrlPattern): CorsRequestSet {
    return new CorsRequestSet(this, `${this.label}.request(${JSON.stringify(method)}, ${describePattern(pattern)})`, pattern, method);
  }
}
