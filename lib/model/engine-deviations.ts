import { deviationBecause, type OracleDeviation } from '../oracle/index.ts';
import type { EngineName } from '../oracle/vocabulary.ts';

/**
 * Where real engines depart from the Fetch Standard, declared once, per engine, with the evidence. Each names the
 * oracle's step it departs from: the oracle without an engine follows the standard, and given an engine it applies the
 * engine's own rule at that step (lib/oracle/predict.ts), so every consequence (verdict, preflight, readable headers,
 * whether anything is sent) follows from that one evaluation. The run reports it as a known deviation, not a failure.
 */
export const ENGINE_DEVIATIONS: readonly OracleDeviation[] = [
  {
    engine: 'chromium',
    stage: 'preflight',
    rule: 'authorization-not-covered-by-wildcard',
    evidence: 'measured on Chromium 156.0.8078.79 (scenario "preflight", GET [Authorization] with Allow-Headers "*"): the actual request is sent and readable; Chromium only logs a deprecation warning',
  },
  {
    engine: 'firefox',
    stage: 'preflight',
    rule: 'authorization-not-covered-by-wildcard',
    evidence: 'measured on Firefox 153.7.0esr: the pref network.cors_preflight.authorization_covered_by_wildcard is true by default, so "*" covers Authorization',
  },
  {
    engine: 'webkit',
    stage: 'preflight',
    rule: 'authorization-not-covered-by-wildcard',
    evidence: 'measured on WebKitGTK 2.50.6: "*" in Access-Control-Allow-Headers covers Authorization',
  },
  {
    engine: 'webkit',
    stage: 'mixed content',
    rule: 'mixed-content-loopback-trustworthy',
    evidence:
      'measured on WebKitGTK 2.50.6 (tests/matrix/own-server-loopback.spec.ts): from an https page, a fetch to http://localhost:PORT or http://127.0.0.1:PORT sends nothing (its inspector: "[blocked] The page at https://… requested insecure content from http://…"), where Chromium 156 and Firefox 153 send it; WebKit blocks http loads of loopback from secure contexts when the fetch needs CORS (WebKit PR #27270 "Allow some access to localhost as mixed content": "If the resource fetch requires CORS, then we block")',
    reference: 'WebKit bug 171934, https://bugs.webkit.org/show_bug.cgi?id=171934',
  },
  {
    // Caching nothing, the next such request is preflighted again: that follows from Firefox's own preflight cache.
    engine: 'firefox',
    stage: 'preflight',
    rule: 'max-age-unparseable',
    evidence:
      'measured on Firefox 153.8.0esr (preflight-cache, sequence max-age-invalid): after a preflight answered with Access-Control-Max-Age "abc", the same PUT at once is preflighted again; the Fetch Standard (§4.8 CORS-preflight fetch, step "If max-age is failure or null, then set max-age to 5") caches it for 5 s, as Chromium 156 and WebKitGTK 2.50 do',
  },
  {
    engine: 'webkit',
    stage: 'request',
    rule: 'font-fetched-in-cors-mode',
    evidence:
      'measured on WebKitGTK 2.50.6 (request-kinds, @font-face from a.localhost to b.localhost without Allow-Origin): the ledger shows the font request arriving with no Origin header at all (a no-cors fetch) and the face loads; CSS Fonts 4 §4.8.2 fetches fonts in "cors" mode, as Chromium 156 and Firefox 153 do (both send Origin and refuse the face)',
  },
  {
    engine: 'firefox',
    stage: 'response',
    rule: 'network-error-fires-error',
    evidence:
      'measured on Firefox 153.8.0esr (request-kinds, <link rel=preload as=fetch crossorigin> without Allow-Origin): the link fires load, not error, while its own console says "The Same Origin Policy disallows reading the remote resource … (Reason: CORS header ‘Access-Control-Allow-Origin’ missing)"; HTML fires error when the fetch is a network error, as Chromium 156 does',
  },
];

/** The declared deviation that set an expectation, found by the `because` it gave that expectation (deviationBecause). */
export function declaredDeviationOf(engine: EngineName, because: string | undefined): OracleDeviation | undefined {
  return because === undefined ? undefined : ENGINE_DEVIATIONS.find((d) => d.engine === engine && deviationBecause(d) === because);
}
