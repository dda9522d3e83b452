import type { EngineInfo } from '../measure/engines/engine.ts';
import type { LedgerEntry } from '../model/ledger.ts';
import type { HostedOriginName, OriginName } from '../model/origins.ts';
import type { Policy } from '../model/policy.ts';
import type { AppRef, Case, DeviationSource, ExpectedOutcome, ExternalRef, OracleSummary } from '../model/scenario.ts';
import type { CaseOutcome } from './outcome.ts';
import type { Verdict } from '../oracle/vocabulary.ts';
import type { Probe } from '../model/intent.ts';

/** One case in one engine: what was asked, what arrived, what the script saw, and how that compares. */
export interface CaseRecord {
  readonly caseId: string;
  readonly family: string;
  readonly proves: string;
  readonly title: string;
  readonly engine: EngineInfo;
  readonly from: OriginName;
  readonly to: HostedOriginName;
  readonly server: string;
  readonly request: Case['request'];
  readonly policy?: Policy;
  readonly app?: AppRef;
  readonly external?: ExternalRef;
  /** For a case derived from an intent: what it probes. */
  readonly probe?: Probe;
  /** Set when the expectation is a declared finding about the server rather than what was meant. */
  readonly finding?: string;
  /** With a finding: the verdict the intent meant, which the finding's expectation replaced. */
  readonly intendedVerdict?: Verdict;
  readonly requestOrigin: string;
  readonly url: string;
  /** Why the default expectation is what it is, as the scenario says. */
  readonly why?: string;
  readonly expected: ExpectedOutcome & { readonly because?: string; readonly source?: DeviationSource };
  readonly outcome: CaseOutcome;
  readonly ledger: readonly LedgerEntry[];
  readonly mismatches: readonly string[];
  /** The engine's own words about the case (console lines, DevTools CORS error codes). */
  readonly engineReasons: readonly string[];
  /** Set when the engine can give no reasons at all, saying why. */
  readonly engineReasonsUnavailable?: string;
  /** Where the expected verdict came from. */
  readonly verdictFrom: Case['verdictFrom'];
  /** What the Fetch Standard predicts, as the oracle reads it, with its chain of reasons. */
  readonly oracle?: OracleSummary;
  /** Set when the oracle cannot speak for this case (engine policy, not the Fetch Standard), saying why. */
  readonly oracleSilent?: string;
  /** Set when a write reached the server's handler although the script could read nothing: CORS does not stop CSRF. */
  readonly writeReachedHandler?: { readonly cookies: readonly string[] };
  /** Set when the measured verdict is not the oracle's: a known engine deviation, a scenario's override, or a failure. */
  readonly oracleNote?: string;
  readonly durationMs: number;
  /** Which measurement this is: the test's repeat index and retry, so a retried record is told from the first. */
  readonly attempt?: { readonly repeatEachIndex: number; readonly retry: number };
}
