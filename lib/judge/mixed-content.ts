// Mixed content, as the judge reads it: a request the engine refused before sending (an https page, an http URL). The
// rule itself is the oracle's (lib/oracle/mixed-content.ts); where an engine departs from it, the departure is declared
// once in lib/model/engine-deviations.ts, and an intent's expectation takes it in the model (lib/model/case-oracle.ts).
import { mixedContentCheck } from '../oracle/index.ts';

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
 * The mixed-content refusal of a request the engine refused to send (the caller, {@link refusalOf}, holds the evidence
 * that it sent nothing), when the page is on https and the URL is http; the engine's own mixed-content words are added
 * when it said them.
 */
export function mixedContentRefusal(request: { readonly origin: string; readonly url: string }, engineReasons: readonly string[]): Refusal | undefined {
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
