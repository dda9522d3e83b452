// Every request an engine refuses before any byte leaves it, as the judge reads it: mixed content (the rule is the
// oracle's, lib/oracle/mixed-content.ts, asked once with the rest of the measurement in recorded-oracle.ts; an engine's
// departure from it is declared once in lib/model/engine-deviations.ts and an intent's expectation takes it in the
// model), a bad port (the Fetch Standard's own port blocking), and Local Network Access denied (engine policy: the WICG
// Local Network Access proposal, not the Fetch Standard). Each is `blocked-before-sending` with its typed refusal and
// the engine's own words; a failed fetch that lacks the evidence stays a harness error.
import type { LedgerEntry, ServerFault } from '../model/ledger.ts';
import type { PageReport } from '../model/page-report.ts';
import { ORIGINS } from '../model/origins.ts';
import type { BeforeSending } from './recorded-oracle.ts';

/** Mixed content: the engine refused to send an https page's request to an http URL. */
export interface MixedContentRefusal {
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
 * that it sent nothing), when the page is on https and the URL is http (`standard.mixedContent`, the oracle's check of
 * that request: {@link BeforeSending}); the engine's own mixed-content words are added when it said them, else its words
 * about that URL.
 */
export function mixedContentRefusal(standard: BeforeSending, engineReasons: readonly string[]): MixedContentRefusal | undefined {
  const { mixedContent, pageOrigin, url } = standard;
  if (mixedContent === 'none') return undefined;
  // WebKit names mixed content in the page's own console; from a sandboxed frame in that page it says only that the
  // fetch "cannot load … due to access control checks": those are its words for this refusal, kept as they are.
  const apiOrigin = new URL(url).origin;
  const engineReason = mixedContentReasonOf(engineReasons) ?? engineReasons.find((r) => r.includes(apiOrigin));
  return {
    kind: 'mixed-content',
    pageOrigin,
    requestUrl: url,
    standard: mixedContent === 'blocked' ? 'mixed-content' : 'potentially-trustworthy',
    ...(engineReason !== undefined && { engineReason }),
  };
}

/** A URL on a port the Fetch Standard calls bad (Fetch §2.9 "port blocking"): every engine must refuse it. */
export interface BadPortRefusal {
  readonly kind: 'bad-port';
  readonly pageOrigin: string;
  readonly requestUrl: string;
  /** The standard refuses it too. */
  readonly standard: 'bad-port';
  readonly engineReason?: string;
}

/**
 * A public site's request into the local or loopback address space, refused because Local Network Access was not
 * granted: the Fetch Standard sends it, the engine's own policy refuses it (the expectation comes from a declared rule).
 */
export interface LocalNetworkRefusal {
  readonly kind: 'local-network-access';
  readonly pageOrigin: string;
  readonly requestUrl: string;
  readonly standard: 'engine-policy';
  /** The engine's own words, when it said any (Firefox 153 says only "CORS request did not succeed"). */
  readonly engineReason?: string;
}

/** Why the engine refused to send a request at all. */
export type Refusal = MixedContentRefusal | BadPortRefusal | LocalNetworkRefusal;

// Fetch §2.9 "port blocking": a request whose URL's port is one of these is a network error before anything is sent.
const BAD_PORTS: ReadonlySet<number> = new Set([
  0, 1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115, 117, 119, 123,
  135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995,
  1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

/** Whether the Fetch Standard blocks the URL's port (only http(s) URLs have their port checked). */
export function isBadPort(url: string): boolean {
  const { protocol, port } = new URL(url);
  if (protocol !== 'http:' && protocol !== 'https:' && protocol !== 'ws:' && protocol !== 'wss:') return false;
  return port !== '' && BAD_PORTS.has(Number(port));
}

// Chromium: "net::ERR_UNSAFE_PORT" (DevTools errorText, console "Failed to load resource: net::ERR_UNSAFE_PORT");
// Firefox: "NS_ERROR_PORT_ACCESS_NOT_ALLOWED" / "port … restricted"; WebKit: "Not allowed to use restricted network port".
const BAD_PORT_REASON = /ERR_UNSAFE_PORT|PORT_ACCESS_NOT_ALLOWED|restricted (network )?port|port .*(is )?restricted/i;
// Chromium: "Permission was denied for this request to access the `loopback` address space" and DevTools
// corsErrorStatus / blockedReason LocalNetworkAccessPermissionDenied; Firefox names Local Network Access in its line.
const LOCAL_NETWORK_REASON = /LocalNetworkAccessPermissionDenied|ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS|to access the `?(loopback|local)`? address space|local network access/i;

/**
 * The refusal, when all of its evidence holds: the fetch rejected with a TypeError, nothing of the request reached a
 * server (no arrival, no fault), and either the standard names the refusal (mixed content, a bad port) or the engine's
 * own words do (Local Network Access). `standard` is the oracle's word on the request before sending, asked by the
 * caller ({@link BeforeSending}): it names the request's page origin and URL too, so the two cannot disagree.
 */
export function refusalOf(
  report: PageReport,
  ledger: readonly LedgerEntry[],
  faults: readonly ServerFault[],
  standard: BeforeSending,
  engineReasons: readonly string[],
): Refusal | undefined {
  const { pageOrigin, url } = standard;
  if (report.kind !== 'rejected' || report.name !== 'TypeError' || ledger.length > 0 || faults.length > 0) return undefined;
  if (isBadPort(url)) {
    const engineReason = engineReasons.find((r) => BAD_PORT_REASON.test(r));
    return { kind: 'bad-port', pageOrigin, requestUrl: url, standard: 'bad-port', ...(engineReason !== undefined && { engineReason }) };
  }
  const mixed = mixedContentRefusal(standard, engineReasons);
  if (mixed) return mixed;
  const lna = engineReasons.find((r) => LOCAL_NETWORK_REASON.test(r));
  const local = { kind: 'local-network-access', pageOrigin, requestUrl: url, standard: 'engine-policy' } as const;
  if (lna !== undefined) return { ...local, engineReason: lna };
  // Firefox 153 names no Local Network Access in its words: the evidence is the page, on the origin the engine was told
  // at launch to count as public and not granted the permission (servers/public-address.ts), asking a loopback URL.
  if (new URL(pageOrigin === 'null' ? 'http://null.invalid' : pageOrigin).hostname === ORIGINS.public.host && standard.trustworthyUrl) {
    const [said] = engineReasons;
    return { ...local, ...(said !== undefined && { engineReason: said }) };
  }
  return undefined;
}

/** The refusal in the report's words: what the engine refused, and what the standard says of it. */
export function describeRefusal(refusal: Refusal): string {
  switch (refusal.kind) {
    case 'mixed-content': {
      const standard = refusal.standard === 'mixed-content' ? 'mixed content by the standard too' : "the standard counts the URL potentially trustworthy and sends it: the engine's own refusal";
      return `the engine refused to send it as mixed content (https page ${refusal.pageOrigin}, http URL); nothing reached the server; ${standard}`;
    }
    case 'bad-port':
      return `the engine refused to send it to port ${new URL(refusal.requestUrl).port}, a port the Fetch Standard blocks (port blocking); nothing reached the server`;
    case 'local-network-access':
      return `the engine refused to send it: Local Network Access was not granted to ${refusal.pageOrigin} for a request into the loopback address space; nothing reached the server; the Fetch Standard sends it, the refusal is the engine's own policy`;
  }
}
