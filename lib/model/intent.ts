import type { HostedOriginName, OriginName } from './origins.ts';
import type { RequestRow, StatedExpectation } from './scenario.ts';
import type { Probe } from './probes.ts';
import { predict, type OracleRequest, type OracleResponse, type Prediction } from '../oracle/index.ts';

/** What a server is meant to allow, in the words of its owner rather than its headers. */
export interface Intent {
  /** The origins whose scripts may read responses: named harness origins, or `'*'` for any origin. */
  readonly origins: readonly OriginName[] | '*';
  /** Methods beyond GET, HEAD and POST that those scripts may use. */
  readonly methods?: readonly string[];
  /** Request headers beyond the safelisted ones that they may send. */
  readonly headers?: readonly string[];
  /** Whether they may read with credentials (cookies). */
  readonly credentials?: boolean;
  /** Response headers their scripts should be able to read. */
  readonly exposedHeaders?: readonly string[];
  /** Origins to try that must read nothing. Default: same-site, other-port and null (less any the intent names). */
  readonly outsiders?: readonly OriginName[];
}

export { PROBES, type Probe } from './probes.ts';

export interface DerivedRow<From extends string = OriginName> {
  readonly probe: Probe;
  readonly from: From;
  readonly request: RequestRow;
  readonly expect: StatedExpectation;
}

/** A header the route handler always sends and no intent exposes: it must stay hidden. */
export const INTERNAL_HEADER = 'X-Internal';
/** A request header no intent allows. */
export const UNINTENDED_HEADER = 'X-Unintended';
/** Origins that try what the intent allows, when the intent does not name them. */
const OUTSIDERS: readonly OriginName[] = ['same-site', 'other-port', 'null'];

function unintendedMethod(intent: Pick<Intent, 'methods'>): string {
  return ['DELETE', 'PATCH', 'PUT'].find((m) => !(intent.methods ?? []).some((i) => i.toUpperCase() === m)) ?? 'PROPFIND';
}

/** Whom to try from: every origin the intent names (or the page, for "any origin"), then origins it does not name. */
export function requesters(intent: Intent, target: HostedOriginName): { allowed: OriginName[]; outsiders: OriginName[] } {
  const allowed = intent.origins === '*' ? ['page' as const] : intent.origins.filter((o) => o !== target);
  const candidates = (intent.outsiders ?? OUTSIDERS).filter((o) => o !== target);
  const outsiders = intent.origins === '*' ? [...candidates] : candidates.filter((o) => !allowed.includes(o));
  return { allowed, outsiders };
}

/**
 * The cases that check a server against an intent, each with the outcome the intent means: allowed origins read
 * what they were meant to and nothing more; every other origin reads nothing.
 */
export function deriveRows(intent: Intent, target: HostedOriginName): DerivedRow[] {
  const { allowed, outsiders } = requesters(intent, target);
  const anyOrigin = intent.origins === '*';
  return deriveProbes(intent, [...allowed.map((o) => [o, true] as const), ...outsiders.map((o) => [o, anyOrigin] as const)]);
}

/** Stand-ins for the probe's origins: the oracle compares origins, so any two distinct ones give a cross-origin probe's answer. */
const REQUESTER = 'https://requester.cors-matrix.test';
const PROBED_URL = 'https://api.cors-matrix.test/probe';

type IntentAnswers = Pick<Intent, 'methods' | 'headers' | 'credentials' | 'exposedHeaders'>;

/**
 * How a server that does exactly what the intent means answers one origin: an origin that may read gets its own
 * origin back (with credentials when the intent allows them), the intent's methods and headers on the preflight, and
 * its exposed headers; any other origin gets no CORS header at all.
 */
export function intendedAnswers(intent: IntentAnswers, mayRead: boolean, origin: string): { readonly preflight: OracleResponse; readonly response: OracleResponse } {
  if (!mayRead) return { preflight: { status: 204, headers: [] }, response: { status: 200, headers: [] } };
  const list = (name: string, values: readonly string[] | undefined): [string, string][] => ((values ?? []).length > 0 ? [[name, (values ?? []).join(', ')]] : []);
  const grant: [string, string][] = [['Access-Control-Allow-Origin', origin], ['Vary', 'Origin'], ...(intent.credentials === true ? [['Access-Control-Allow-Credentials', 'true'] as [string, string]] : [])];
  return {
    preflight: { status: 204, headers: [...grant, ...list('Access-Control-Allow-Methods', intent.methods), ...list('Access-Control-Allow-Headers', intent.headers)] },
    response: { status: 200, headers: [...grant, ...list('Access-Control-Expose-Headers', intent.exposedHeaders)] },
  };
}

/** The request the harness sends for a probe, as the oracle takes it (cross-origin, mode cors, no body). */
export function probeRequest(request: RequestRow, from: string): OracleRequest {
  return {
    origin: from === 'null' ? 'null' : REQUESTER,
    url: PROBED_URL,
    method: request.method,
    headers: Object.entries(request.headers ?? {}),
    credentials: request.credentials ?? 'same-origin',
    mode: request.mode ?? 'cors',
    bodyKind: request.body === undefined ? 'none' : 'text',
  };
}

/**
 * What the intent means for one request the harness sends: the oracle's prediction for exactly that request against
 * a server that answers as the intent means. So a safelisted method with safelisted headers expects no preflight, and
 * an origin the intent does not name is refused at the preflight only when one is sent.
 */
export function intendedOutcome(intent: IntentAnswers, mayRead: boolean, from: string, request: RequestRow): Pick<Prediction, 'verdict' | 'preflightSent'> {
  const sent = probeRequest(request, from);
  const { verdict, preflightSent } = predict({ request: sent, ...intendedAnswers(intent, mayRead, sent.origin) });
  return { verdict, preflightSent };
}

/**
 * Which write probes are sent. `'omit'`: the intended methods without credentials, one method per outsider (the
 * middleware suites, whose credentialed-read probe covers credentials). `'as-the-page-sends'` (your own server's
 * audit): every intended method from every origin, without credentials and, when the intent allows credentials, again
 * with them (`credentialed-method`) as the team's page sends its writes — so the diagnosis can say which writes an
 * outside page gets through, with the user's session or without (a `*` lets the one through, a reflection both).
 */
export type WriteProbes = 'omit' | 'as-the-page-sends';

/** The probes for each origin tried, given whether the intent lets it read. Origins may be names or real origins. */
export function deriveProbes<From extends string>(intent: Omit<Intent, 'origins' | 'outsiders'>, tried: readonly (readonly [From, boolean])[], writes: WriteProbes = 'omit'): DerivedRow<From>[] {
  const methods = intent.methods ?? [];
  const headers = intent.headers ?? [];
  const rows: DerivedRow<From>[] = [];
  const add = (probe: Probe, from: From, mayRead: boolean, request: RequestRow, meant: { readonly why: string; readonly readable?: readonly string[]; readonly hidden?: readonly string[] }): void => {
    const { verdict, preflightSent } = intendedOutcome(intent, mayRead, from, request);
    const reads = verdict === 'allowed';
    rows.push({
      probe,
      from,
      request,
      expect: {
        verdict,
        preflight: preflightSent,
        ...(reads && meant.readable !== undefined && meant.readable.length > 0 && { readable: meant.readable }),
        ...(reads && meant.hidden !== undefined && { hidden: meant.hidden }),
        why: meant.why,
      },
    });
  };
  for (const [from, mayRead] of tried) {
    const notNamed = 'the intent does not name this origin';
    add('simple-read', from, mayRead, { method: 'GET', credentials: 'omit' }, {
      why: mayRead ? 'the intent lets this origin read, and exposes exactly the headers it names' : notNamed,
      ...(intent.exposedHeaders !== undefined && { readable: intent.exposedHeaders }),
      hidden: [INTERNAL_HEADER],
    });
    add('credentialed-read', from, mayRead, { method: 'GET', credentials: 'include' }, {
      why: mayRead && intent.credentials === true ? 'the intent lets this origin read with credentials' : mayRead ? 'the intent does not allow credentials' : notNamed,
    });
    const firstMethod = methods[0];
    if (firstMethod !== undefined) {
      const asThePage = writes === 'as-the-page-sends';
      for (const method of mayRead || asThePage ? methods : [firstMethod]) {
        add('intended-method', from, mayRead, { method, credentials: 'omit' }, { why: mayRead ? `the intent allows ${method}` : notNamed });
        if (asThePage && intent.credentials === true) {
          add('credentialed-method', from, mayRead, { method, credentials: 'include' }, { why: mayRead ? `the intent allows ${method} with credentials` : notNamed });
        }
      }
    }
    if (!mayRead) continue;
    add('unintended-method', from, mayRead, { method: unintendedMethod(intent), credentials: 'omit' }, { why: 'the intent does not allow this method' });
    if (headers.length > 0) {
      add('intended-headers', from, mayRead, { method: 'GET', credentials: 'omit', headers: Object.fromEntries(headers.map((h) => [h, '1'])) }, { why: 'the intent allows these headers' });
    }
    add('unintended-header', from, mayRead, { method: 'GET', credentials: 'omit', headers: { [UNINTENDED_HEADER]: '1' } }, { why: `the intent does not allow ${UNINTENDED_HEADER}` });
  }
  return rows;
}
