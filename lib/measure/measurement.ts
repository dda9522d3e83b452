import type { LedgerEntry, ServerFault } from '../model/ledger.ts';
import type { PageReport } from '../model/page-report.ts';
import type { EngineInfo } from './engines/engine.ts';

/**
 * What one case came to in one engine, before any judgement: what the script saw, what arrived at the server, and
 * what the engine said. Plain data, so that it can be stored between Playwright workers and judged again.
 */
export interface Measurement {
  readonly caseId: string;
  /** The case's key on the wire (lib/model/case-identity.ts). */
  readonly key: string;
  readonly url: string;
  readonly pageUrl: string;
  /** The Origin the request carries, as the harness serialises it (`null` from the sandboxed frame). */
  readonly requestOrigin: string;
  readonly engine: EngineInfo;
  readonly report: PageReport;
  readonly ledger: readonly LedgerEntry[];
  readonly faults: readonly ServerFault[];
  /** The engine's own words about the case (console lines, DevTools CORS error codes). */
  readonly engineReasons: readonly string[];
  /** Set when the engine can give no reasons at all, saying why. */
  readonly engineReasonsUnavailable?: string;
  /** Set when the victim's session could not be planted on the API origin first, saying why. */
  readonly sessionNotPlanted?: string;
  readonly startedAt: number;
  readonly durationMs: number;
}
