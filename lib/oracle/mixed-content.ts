/**
 * Mixed content, the check main fetch makes before anything leaves the browser (Fetch §4.1 Main fetch: "should
 * fetching request be blocked as mixed content"): a page served over https may not fetch an http URL, unless that URL
 * is potentially trustworthy, as a loopback address or a `localhost` name is. The oracle models it for a requesting
 * document on https (the context every engine restricts) and for requests made the way fetch() and XHR make them
 * (blockable content; images and media would be upgraded instead, which the oracle does not model).
 */
import { SOURCE } from './sources.ts';
import { step, type OracleStep } from './steps.ts';

/** The ways a URL is potentially trustworthy (Secure Contexts, "Is origin potentially trustworthy?"), as a reason names them. */
export type TrustworthyBecause = 'secure-scheme' | 'loopback-address' | 'localhost-name';

/** Why a URL is potentially trustworthy, or undefined when it is not. */
export function potentiallyTrustworthy(url: string): TrustworthyBecause | undefined {
  const { protocol, hostname } = new URL(url);
  if (protocol === 'https:' || protocol === 'wss:') return 'secure-scheme';
  const host = hostname.toLowerCase().replace(/\.$/, '');
  // 127.0.0.0/8 (the URL parser has already turned 127.1 and the like into four parts) and ::1.
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || host === '[::1]') return 'loopback-address';
  if (host === 'localhost' || host.endsWith('.localhost')) return 'localhost-name';
  return undefined;
}

/**
 * What the mixed-content check says of one request: `none` where it does not apply (the page is not on https, or the
 * URL is not http), `blocked` for an http URL that is not potentially trustworthy, `trustworthy` for an http URL that
 * is (loopback): the standard lets it through, and a step says so, which an engine deviation can point at.
 */
export type MixedContentCheck =
  | { readonly kind: 'none' }
  | { readonly kind: 'blocked'; readonly step: OracleStep }
  | { readonly kind: 'trustworthy'; readonly because: Exclude<TrustworthyBecause, 'secure-scheme'>; readonly step: OracleStep };

/** The check for a request from a document of origin `pageOrigin` (serialised; `null` is never judged) to `url`. */
export function mixedContentCheck(pageOrigin: string, url: string): MixedContentCheck {
  if (!pageOrigin.startsWith('https:') || !url.startsWith('http:')) return { kind: 'none' };
  const host = new URL(url).host;
  const because = potentiallyTrustworthy(url);
  if (because === undefined) {
    return {
      kind: 'blocked',
      step: step('mixed content', 'mixed-content-blocked', 'fail', `the page is on https (${pageOrigin}) and the URL is http on ${host}, which is not potentially trustworthy: the request is blocked as mixed content before it is sent, and the script sees a TypeError`, SOURCE.mixedContent),
    };
  }
  if (because === 'secure-scheme') return { kind: 'none' };
  const what = because === 'loopback-address' ? 'a loopback address' : 'a localhost name';
  return {
    kind: 'trustworthy',
    because,
    step: step('mixed content', 'mixed-content-loopback-trustworthy', 'pass', `the page is on https (${pageOrigin}) and the URL is http, but ${host} is ${what}, which is potentially trustworthy (${SOURCE.potentiallyTrustworthy}): not mixed content, so the request is sent`, SOURCE.mixedContent),
  };
}
