import type { HostedOriginName, OriginName } from './origins.ts';
import type { RequestRow, StatedExpectation } from './scenario.ts';
import type { Probe } from './probes.ts';

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

/** The probes for each origin tried, given whether the intent lets it read. Origins may be names or real origins. */
export function deriveProbes<From extends string>(intent: Omit<Intent, 'origins' | 'outsiders'>, tried: readonly (readonly [From, boolean])[]): DerivedRow<From>[] {
  const methods = intent.methods ?? [];
  const headers = intent.headers ?? [];
  const rows: DerivedRow<From>[] = [];
  const add = (probe: Probe, from: From, request: RequestRow, expect: StatedExpectation): void => void rows.push({ probe, from, request, expect });
  for (const [from, mayRead] of tried) {
    add('simple-read', from, { method: 'GET', credentials: 'omit' }, {
      verdict: mayRead ? 'allowed' : 'blocked-at-response',
      ...(mayRead && (intent.exposedHeaders ?? []).length > 0 && { readable: intent.exposedHeaders }),
      ...(mayRead && { hidden: [INTERNAL_HEADER] }),
      why: mayRead ? 'the intent lets this origin read, and exposes exactly the headers it names' : 'the intent does not name this origin',
    });
    const credentialed = mayRead && intent.credentials === true;
    add('credentialed-read', from, { method: 'GET', credentials: 'include' }, {
      verdict: credentialed ? 'allowed' : 'blocked-at-response',
      why: credentialed ? 'the intent lets this origin read with credentials' : mayRead ? 'the intent does not allow credentials' : 'the intent does not name this origin',
    });
    const firstMethod = methods[0];
    if (firstMethod !== undefined) {
      for (const method of mayRead ? methods : [firstMethod]) {
        add('intended-method', from, { method, credentials: 'omit' }, {
          verdict: mayRead ? 'allowed' : 'blocked-at-preflight',
          preflight: true,
          why: mayRead ? `the intent allows ${method}` : 'the intent does not name this origin',
        });
      }
    }
    if (!mayRead) continue;
    add('unintended-method', from, { method: unintendedMethod(intent), credentials: 'omit' }, {
      verdict: 'blocked-at-preflight',
      preflight: true,
      why: 'the intent does not allow this method',
    });
    if (headers.length > 0) {
      add('intended-headers', from, { method: 'GET', credentials: 'omit', headers: Object.fromEntries(headers.map((h) => [h, '1'])) }, {
        verdict: 'allowed',
        preflight: true,
        why: 'the intent allows these headers',
      });
    }
    add('unintended-header', from, { method: 'GET', credentials: 'omit', headers: { [UNINTENDED_HEADER]: '1' } }, {
      verdict: 'blocked-at-preflight',
      preflight: true,
      why: `the intent does not allow ${UNINTENDED_HEADER}`,
    });
  }
  return rows;
}
