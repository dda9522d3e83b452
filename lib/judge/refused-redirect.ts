/**
 * A redirect the engine refused to follow, told from a network failure by the wire.
 *
 * Firefox blocks a CORS request redirected to a URL with `user:pass@` (Fetch §4.5 HTTP-redirect fetch: a network
 * error) without a reason of its own: nsCORSListenerProxy::UpdateChannel vetoes the redirect silently, and the cancelled
 * channel then logs the line Firefox logs for any failed channel, "Cross-Origin Request Blocked … (Reason: CORS request
 * did not succeed). Status code: (null)" — word for word what it logs for a refused connection (measured on 153 ESR).
 * Its words alone cannot count. The wire can tell the two apart: the server answered the redirect in full, and the
 * same server, which would have recorded any request the engine sent to the redirect's target, received none. Then
 * nothing failed on the network: the engine blocked the request (its own words) at the redirect (the wire).
 */
import { isRedirectStatus, type OracleRuleId } from '../oracle/index.ts';
import { headerValue } from '../model/headers.ts';
import type { LedgerEntry } from '../model/ledger.ts';

/** What makes a block the engine's own refusal of a redirect, as typed facts rather than words to parse later. */
export interface RefusedRedirect {
  readonly kind: 'redirect-not-followed';
  /** The redirect status the server answered, complete on the wire. */
  readonly status: number;
  /** Its Location, as sent. */
  readonly location: string;
  /** The engine's own line that it blocked the request, which names no check. */
  readonly said: string;
}

/**
 * The oracle's failing rules for which this holds: those measured to be refused with Firefox's generic line. Others
 * (a 21st redirect, a non-http Location) are left out until an engine has been seen refusing them so.
 */
const REFUSED_WHEN_FOLLOWING: readonly OracleRuleId[] = ['redirect-location-credentials'];

/** Firefox's line for a cross-origin request it blocked, whatever the cause (nsCORSListenerProxy's LogBlockedRequest). */
const BLOCKED_LINE = /Cross-Origin Request Blocked/;

/**
 * The refused redirect, when the oracle puts the block down to a redirect the engine must not follow, the last
 * arrival was answered with that redirect in full, its Location leads to the server that answered (every `*.localhost`
 * name resolves to loopback, so the same port is the same listening server), that server saw no request to it, and
 * the engine said it blocked the request.
 */
export function refusedRedirectOf(ledger: readonly LedgerEntry[], engineReasons: readonly string[], failingRule: OracleRuleId | undefined): RefusedRedirect | undefined {
  if (failingRule === undefined || !REFUSED_WHEN_FOLLOWING.includes(failingRule)) return undefined;
  const last = ledger.at(-1);
  if (!last || last.kind !== 'actual' || !last.answered || last.cutOff === true || !isRedirectStatus(last.status)) return undefined;
  const location = headerValue(last.responseHeaders, 'location');
  if (location === undefined) return undefined;
  let target: URL;
  let answeredBy: URL;
  try {
    answeredBy = new URL(last.path, last.target);
    target = new URL(location, answeredBy);
  } catch {
    return undefined;
  }
  if (target.port !== answeredBy.port || target.protocol !== answeredBy.protocol || !isLoopbackName(target.hostname)) return undefined;
  const targetPath = `${target.pathname}${target.search}`;
  if (ledger.some((e) => e.path === targetPath)) return undefined;
  const said = engineReasons.find((r) => BLOCKED_LINE.test(r));
  return said === undefined ? undefined : { kind: 'redirect-not-followed', status: last.status, location, said };
}

function isLoopbackName(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost') || hostname === '127.0.0.1' || hostname === '[::1]';
}

/** One line for reports, the claim first: what the wire shows, then the engine's own words. */
export function describeRefusedRedirect(refused: RefusedRedirect): string {
  return `refused to follow the ${refused.status} redirect the server answered in full (no request reached its Location ${refused.location}); its own words: ${refused.said}`;
}
