/**
 * CORS matchers for Playwright's `expect`, with its conventions: `.not`, `expect.soft`, a timeout within which they
 * retry (requests settle and engines speak a moment after the page acts), and messages that say what was expected
 * and what happened, each request as the matrix prints a failing case.
 */
import type { ExpectMatcherState, MatcherReturnType } from '@playwright/test';
import { describeRequest, recordLine } from './describe.ts';
import type { CorsRequestRecord } from './record.ts';
import { CorsRequestSet, type RecordSource } from './request-set.ts';

/** The `cors` fixture as the matchers know it. */
export interface CorsRecordings extends RecordSource {
  readonly isCorsRecordings: true;
  /** How a message names it: `cors` (the fixture) unless given, e.g. `cors.replayIn('webkit')`. */
  readonly label?: string;
}

const POLL_MS = 50;
const DEFAULT_TIMEOUT_MS = 5_000;
const BLOCKED = new Set(['blocked-at-preflight', 'blocked-at-response', 'blocked']);

class MatcherInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CorsMatcherInputError';
  }
}

/** A set that holds a request the harness could not measure: neither a pass nor a fail, under .not as well. */
class HarnessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CorsHarnessError';
  }
}

function refuseHarnessErrors(matcher: string, label: string, records: readonly CorsRequestRecord[]): void {
  const failed = records.filter((r) => r.verdict === 'harness-error');
  if (failed.length === 0) return;
  throw new HarnessError(`${matcher}: ${label} holds ${failed.length} request${failed.length === 1 ? '' : 's'} the harness could not measure (a harness error, never a CORS result); nothing is judged:\n${failed.map(describeRequest).join('\n')}`);
}

function isRecordings(value: unknown): value is CorsRecordings {
  return typeof value === 'object' && value !== null && (value as Partial<CorsRecordings>).isCorsRecordings === true;
}

function requireSet(matcher: string, received: unknown): CorsRequestSet {
  if (received instanceof CorsRequestSet) return received;
  const what = isRecordings(received) ? 'the cors fixture itself' : received === null ? 'null' : Array.isArray(received) ? 'an array' : typeof received;
  throw new MatcherInputError(`${matcher}: expect(received) must be a request set from cors.requests(pattern) or cors.request(method, pattern); got ${what}`);
}

interface Judged {
  readonly pass: boolean;
  readonly message: string;
}

type Evaluate = () => Judged | 'wait';

/** Retries until the result is the one asked for (pass, or fail under .not) or the timeout ends; then the last word. */
async function poll(state: ExpectMatcherState, source: RecordSource, evaluate: Evaluate, onTimeout: () => Judged): Promise<Judged> {
  const timeout = state.timeout ?? DEFAULT_TIMEOUT_MS;
  const deadline = Date.now() + timeout;
  for (;;) {
    // What the pages hold and the recorder has not taken yet (their queued calls, in engines without a binding).
    await source.refresh?.();
    const result = evaluate();
    if (result !== 'wait' && result.pass !== state.isNot) return result;
    if (Date.now() >= deadline) return result === 'wait' ? onTimeout() : result;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function hint(state: ExpectMatcherState, matcher: string, received: string, expected = ''): string {
  return state.utils.matcherHint(matcher, received, expected, { isNot: state.isNot, promise: state.promise });
}

function listing(records: readonly CorsRequestRecord[]): string {
  return records.length ? records.map(recordLine).map((l) => `  ${l}`).join('\n') : '  (none)';
}

/** The records a set names once every one of them has settled; a pattern that never names any is bad input. */
function settled(set: CorsRequestSet): CorsRequestRecord[] | 'wait' {
  const records = set.records();
  if (records.length === 0 || records.some((r) => r.verdict === 'pending')) return 'wait';
  return records;
}

function unsettled(matcher: string, set: CorsRequestSet): never {
  const records = set.records();
  const skipped = set.notReplayed();
  if (records.length === 0 && skipped.length > 0) {
    throw new MatcherInputError(`${matcher}: ${set.label} names only requests the replay did not send:\n${skipped.map((s) => `  ${recordLine(s.record)}: ${s.why}`).join('\n')}`);
  }
  if (records.length === 0) {
    throw new MatcherInputError(`${matcher}: ${set.label} matched none of the ${set.all().length} cross-origin requests recorded; a pattern must name at least one request the page made:\n${listing(set.all())}`);
  }
  throw new MatcherInputError(`${matcher}: ${set.label} — ${records.filter((r) => r.verdict === 'pending').length} of its requests did not settle within the timeout:\n${listing(records)}`);
}

function perRequest(state: ExpectMatcherState, matcher: string, set: CorsRequestSet, expected: string, test: (r: CorsRequestRecord) => boolean, args = ''): Promise<MatcherReturnType> {
  return (async () => {
    const result = await poll(
      state,
      set,
      () => {
        const records = settled(set);
        if (records === 'wait') return 'wait';
        refuseHarnessErrors(matcher, set.label, records);
        const wrong = records.filter((r) => !test(r));
        const shown = state.isNot ? records.filter(test) : wrong;
        const message = [
          hint(state, matcher, set.label, args),
          '',
          `Expected: ${state.isNot ? 'not ' : ''}${expected} (every request of ${set.label}${state.isNot ? ' — at least one not' : ''})`,
          `Received: ${records.length - wrong.length} of ${records.length} ${expected}`,
          '',
          ...shown.map(describeRequest),
        ].join('\n');
        return { pass: wrong.length === 0, message };
      },
      () => unsettled(matcher, set),
    );
    return { pass: result.pass, message: () => result.message, name: matcher, expected, actual: result.message };
  })();
}

export const corsMatchers = {
  /** No request the page made was blocked by CORS. */
  async toHaveNoCorsErrors(this: ExpectMatcherState, received: unknown): Promise<MatcherReturnType> {
    const matcher = 'toHaveNoCorsErrors';
    if (!isRecordings(received)) {
      throw new MatcherInputError(`${matcher}: expect(received) must be the cors fixture (test(…, async ({ page, cors }) => …)) or a replay (await cors.replayIn(engine)); got ${received instanceof CorsRequestSet ? `a request set (${received.label}); use toBeAllowed() on a set` : received === null ? 'null' : typeof received}`);
    }
    const result = await poll(
      this,
      received,
      () => {
        const records = received.records();
        if (records.some((r) => r.verdict === 'pending')) return 'wait';
        refuseHarnessErrors(matcher, received.label ?? 'cors', records);
        const blocked = records.filter((r) => BLOCKED.has(r.verdict));
        const message = [
          hint(this, matcher, received.label ?? 'cors'),
          '',
          `Expected: ${this.isNot ? 'at least one' : 'no'} request blocked by CORS`,
          `Received: ${blocked.length} of ${records.length} cross-origin requests blocked`,
          '',
          ...(blocked.length ? blocked.map(describeRequest) : ['every cross-origin request:', listing(records)]),
        ].join('\n');
        return { pass: blocked.length === 0, message };
      },
      () => {
        const records = received.records();
        return { pass: false, message: `${hint(this, matcher, received.label ?? 'cors')}\n\nrequests did not settle within the timeout:\n${listing(records.filter((r) => r.verdict === 'pending'))}` };
      },
    );
    return { pass: result.pass, message: () => result.message, name: matcher };
  },

  /** Every request of the set was allowed: the script could read it. */
  async toBeAllowed(this: ExpectMatcherState, received: unknown): Promise<MatcherReturnType> {
    const set = requireSet('toBeAllowed', received);
    return perRequest(this, 'toBeAllowed', set, 'allowed', (r) => r.verdict === 'allowed');
  },

  /** Every request of the set was blocked by CORS, at the given stage if one is given. */
  async toBeBlockedByCors(this: ExpectMatcherState, received: unknown, options: { readonly stage?: 'preflight' | 'response' } = {}): Promise<MatcherReturnType> {
    const set = requireSet('toBeBlockedByCors', received);
    if (typeof options !== 'object' || options === null || (options.stage !== undefined && options.stage !== 'preflight' && options.stage !== 'response')) {
      throw new MatcherInputError(`toBeBlockedByCors: options.stage must be 'preflight' or 'response' (or left out); got ${JSON.stringify(options?.stage ?? options)}`);
    }
    const { stage } = options;
    const expected = stage ? `blocked by CORS at the ${stage}` : 'blocked by CORS';
    return perRequest(this, 'toBeBlockedByCors', set, expected, (r) => (stage ? r.verdict === `blocked-at-${stage}` : BLOCKED.has(r.verdict)), stage ? `{ stage: '${stage}' }` : '');
  },

  /** Every request of the set went out after a preflight (seen on the wire: its origin must be routed). */
  async toHaveSentPreflight(this: ExpectMatcherState, received: unknown): Promise<MatcherReturnType> {
    const set = requireSet('toHaveSentPreflight', received);
    const unrouted = set.records().filter((r) => !r.routed);
    if (unrouted.length > 0) {
      throw new MatcherInputError(`toHaveSentPreflight: ${set.label} names requests to ${[...new Set(unrouted.map((r) => new URL(r.url).origin))].join(', ')}, which corsOptions.apiOrigins does not route; a preflight is seen only on the wire, so add the origin there`);
    }
    return perRequest(this, 'toHaveSentPreflight', set, 'preceded by a preflight', (r) => r.preflight.sent);
  },

  /** The script could read this response header on every request of the set (allowed, and safelisted or exposed). */
  async toHaveReadHeader(this: ExpectMatcherState, received: unknown, header: unknown): Promise<MatcherReturnType> {
    const set = requireSet('toHaveReadHeader', received);
    if (typeof header !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(header)) {
      throw new MatcherInputError(`toHaveReadHeader: the header must be a header name such as 'x-total'; got ${JSON.stringify(header)}`);
    }
    const name = header.toLowerCase();
    return perRequest(this, 'toHaveReadHeader', set, `able to read ${header}`, (r) => r.verdict === 'allowed' && r.readableHeaders.includes(name), `'${header}'`);
  },
};
