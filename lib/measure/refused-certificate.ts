import type { Ledger, LedgerEntry, ServerFault } from '../model/ledger.ts';
import type { PageReport, PageStepReport } from '../model/page-report.ts';

/**
 * The engine's refusal of the certificate of the URL's host, when its last handshake with the host up to the end of
 * the step was broken off. Engines remember a refused certificate and fail the host's next requests without another
 * handshake, so an earlier refusal counts too, unless a handshake succeeded after it (Chromium told to ignore
 * certificate errors breaks off its first handshake with every host, then connects).
 */
function refusal(ledger: Ledger, url: string, step: PageStepReport): { readonly at: number; readonly words: string } | undefined {
  const { protocol, hostname } = new URL(url);
  if (protocol !== 'https:') return undefined;
  const last = ledger.lastHandshakeWith(hostname, step.finishedAt + 1);
  if (last?.refused === undefined) return undefined;
  const when = last.at < step.startedAt - 1 ? ` (earlier, ${step.startedAt - last.at} ms before this request; engines remember a refusal)` : '';
  return { at: last.at, words: `the engine broke off the TLS handshake with ${hostname} (${last.refused})${when}: it refused the server's certificate` };
}

/**
 * A fetch that failed with nothing arrived, while the engine stands refusing the certificate of the host it asked
 * for: that refusal is the case's fault. (A handshake names no case: the host, and nothing having arrived, tie it.)
 */
export function refusedRequestFaults(ledger: Ledger, key: string, requestUrl: string, step: PageStepReport, arrived: readonly LedgerEntry[]): ServerFault[] {
  if (step.report.kind !== 'rejected' || arrived.length > 0) return [];
  const refused = refusal(ledger, requestUrl, step);
  return refused ? [{ at: refused.at, message: `${refused.words}, so no request was sent`, key, code: 'certificate-refused' }] : [];
}

/** A page that did not load because the engine refused its certificate says so, beside the driver's own words. */
export function withRefusedPage(ledger: Ledger, pageUrl: string, step: PageStepReport): PageReport {
  if (step.report.kind !== 'harness-error') return step.report;
  const refused = refusal(ledger, pageUrl, step);
  return refused ? { kind: 'harness-error', code: 'certificate-refused', message: `${refused.words}, so the page ${pageUrl} did not load (${step.report.message})` } : step.report;
}
