import type { LedgerEntry, ServerFault } from '../model/ledger.ts';
import type { PageReport } from '../model/page-report.ts';

import type { Verdict } from '../oracle/vocabulary.ts';

export { VERDICTS, type Verdict } from '../oracle/vocabulary.ts';

export interface PreflightSeen {
  readonly sent: boolean;
  readonly accessControlRequestMethod?: string;
  readonly accessControlRequestHeaders?: string;
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
  /** Why the case is a harness error rather than a CORS result. */
  readonly harnessProblem?: string;
}

function harnessError(problem: string, base: Omit<CaseOutcome, 'verdict' | 'harnessProblem'>): CaseOutcome {
  return { ...base, verdict: 'harness-error', harnessProblem: problem };
}

export function classify(report: PageReport, ledger: readonly LedgerEntry[], faults: readonly ServerFault[]): CaseOutcome {
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

  if (report.kind === 'harness-error') return harnessError(report.message, base);
  if (faults.length > 0) return harnessError(`the server reported: ${faults.map((f) => f.message).join('; ')}`, base);

  if (report.kind === 'resolved') {
    if (!actual) return harnessError('the page got a response but the server never saw the request', base);
    const readable = report.type !== 'opaque' && report.type !== 'opaqueredirect';
    return {
      ...base,
      verdict: 'allowed',
      readable,
      status: report.status,
      responseType: report.type,
      readableHeaders: Object.fromEntries(report.headers.map(([name, value]) => [name.toLowerCase(), value])),
    };
  }

  // A CORS failure is a network error, which fetch surfaces as a TypeError in every engine.
  if (report.name !== 'TypeError') return harnessError(`the fetch failed with ${report.name}, not a network error`, base);
  if (actual) return { ...base, verdict: 'blocked-at-response' };
  if (preflightEntry) return { ...base, verdict: 'blocked-at-preflight' };
  return harnessError('the fetch failed and no request reached the server', base);
}
