// Mixed content, as the judge reads it: a request the engine refused before sending (an https page, an http URL), and
// what an intent's expectation becomes for it. The rule itself is the oracle's (lib/oracle/mixed-content.ts); where an
// engine departs from it, the departure is declared once in lib/model/engine-deviations.ts.
import { ENGINE_DEVIATIONS } from '../model/engine-deviations.ts';
import type { LedgerEntry, ServerFault } from '../model/ledger.ts';
import type { PageReport } from '../model/page-report.ts';
import type { DeviationSource, ExpectedOutcome } from '../model/scenario.ts';
import { deviationBecause, deviationsFor, mixedContentCheck, type MixedContentCheck, type OracleDeviation } from '../oracle/index.ts';
import type { EngineName } from '../oracle/vocabulary.ts';

/** Why the engine refused to send a request at all. */
export interface Refusal {
  /** Mixed content: the page is on https and the URL is http. */
  readonly kind: 'mixed-content';
  /** The requesting page's origin (https). */
  readonly pageOrigin: string;
  /** The http URL the engine would not fetch. */
  readonly requestUrl: string;
  /**
   * What the standard says of that URL: `mixed-content` when it is not potentially trustworthy (every engine must
   * refuse it); `potentially-trustworthy` when it is a loopback address or a localhost name (the standard sends it,
   * so the refusal is the engine's own departure).
   */
  readonly standard: 'mixed-content' | 'potentially-trustworthy';
  /** The engine's own words for the refusal, when it said any. */
  readonly engineReason?: string;
}

// WebKit's inspector (security source): "[blocked] The page at https://… requested insecure content from http://….";
// Chromium: "Mixed Content: The page at '…' was loaded over HTTPS, but requested an insecure resource '…'. This
// request has been blocked"; Firefox: "Blocked loading mixed active content “http://…”".
const MIXED_CONTENT_REASON = /\[blocked\] The page at \S+ (requested|was not allowed to (display|run)) insecure content|Mixed Content: .*requested an insecure|Blocked loading mixed (active |display )?content/i;

/** The first of the engine's own reasons that says it refused mixed content. */
export function mixedContentReasonOf(reasons: readonly string[]): string | undefined {
  return reasons.find((r) => MIXED_CONTENT_REASON.test(r));
}

/**
 * The refusal, when all of its evidence holds: the fetch rejected with a TypeError (a network error), nothing of the
 * request reached the server or the front proxy (no arrival, no fault), the page is on https and the URL is http.
 * The engine's own mixed-content words are added when it said them; a fetch that fails any of these is not a refusal.
 */
export function mixedContentRefusal(
  report: PageReport,
  ledger: readonly LedgerEntry[],
  faults: readonly ServerFault[],
  request: { readonly origin: string; readonly url: string },
  engineReasons: readonly string[],
): Refusal | undefined {
  if (report.kind !== 'rejected' || report.name !== 'TypeError' || ledger.length > 0 || faults.length > 0) return undefined;
  const check = mixedContentCheck(request.origin, request.url);
  if (check.kind === 'none') return undefined;
  const engineReason = mixedContentReasonOf(engineReasons);
  return {
    kind: 'mixed-content',
    pageOrigin: request.origin,
    requestUrl: request.url,
    standard: check.kind === 'blocked' ? 'mixed-content' : 'potentially-trustworthy',
    ...(engineReason !== undefined && { engineReason }),
  };
}

/** An expectation as one engine is held to it, with where its deviation comes from. */
export type EngineExpectation = ExpectedOutcome & { readonly because?: string; readonly source?: DeviationSource };

/** An intent's expectation with mixed content laid over it, and the declared engine deviation that set it, if one did. */
export interface MixedContentExpectation {
  readonly expected: EngineExpectation;
  readonly deviation?: OracleDeviation;
}

const BLOCKS: readonly string[] = ['blocked-at-preflight', 'blocked-at-response'];

/** Nothing is sent: no preflight, nothing read, nothing at the handler; headers the intent hides stay hidden. */
function sentNothing(expected: EngineExpectation): EngineExpectation {
  const { readable: _readable, cookies: _cookies, ...rest } = expected;
  return { ...rest, verdict: 'blocked-before-sending', preflight: false, ...(expected.reachedHandler !== undefined && { reachedHandler: false }) };
}

/**
 * An intent's expectation for one engine, with mixed content laid over it. An intent speaks of what the server lets
 * read, not of how the page reaches it, so:
 * - an http URL that is not potentially trustworthy, from an https page: every engine refuses it. What the intent
 *   refuses stays refused, now before sending; what it lets read stays expected to be read, and fails as it must (the
 *   API cannot be reached that way; the diagnosis says so).
 * - a loopback http URL from an https page: the standard sends it; an engine with a declared deviation from that rule
 *   (WebKit) is expected to refuse it, as a known engine deviation with its evidence.
 * An engine whose verdict the case states itself (`stated`) keeps it.
 */
export function intentUnderMixedContent(
  expected: EngineExpectation,
  check: MixedContentCheck,
  engine: EngineName,
  stated: boolean,
  deviations: readonly OracleDeviation[] = ENGINE_DEVIATIONS,
): MixedContentExpectation {
  if (stated || check.kind === 'none' || expected.verdict === 'harness-error') return { expected };
  if (check.kind === 'blocked') {
    return { expected: BLOCKS.includes(expected.verdict) ? { ...sentNothing(expected), because: `${check.step.text} [${check.step.source}]` } : expected };
  }
  const [known] = deviationsFor({ steps: [check.step] }, engine, deviations);
  if (known?.observed.verdict === undefined) return { expected };
  return {
    expected: {
      ...sentNothing(expected),
      verdict: known.observed.verdict,
      source: 'known-engine-deviation',
      because: deviationBecause(known),
    },
    deviation: known,
  };
}
