import { test, expect } from '@playwright/test';
import { Ledger, type LedgerEntry } from '../../lib/model/ledger.ts';
import type { PageReport, PageStepReport } from '../../lib/model/page-report.ts';
import { refusedRequestFaults, withRefusedPage } from '../../lib/measure/refused-certificate.ts';

const REJECTED: PageReport = { kind: 'rejected', name: 'TypeError', message: 'Failed to fetch' };
const step = (report: PageReport, startedAt = 100, finishedAt = 110): PageStepReport => ({ report, startedAt, finishedAt });
const ARRIVED = [{ kind: 'actual' } as LedgerEntry];

interface Row {
  readonly name: string;
  readonly handshakes: readonly { readonly at: number; readonly host: string; readonly refused?: string }[];
  readonly url: string;
  readonly report: PageReport;
  readonly arrived?: readonly LedgerEntry[];
  /** The words the fault must hold, or undefined for no fault. */
  readonly fault: RegExp | undefined;
}

const ROWS: readonly Row[] = [
  { name: 'a refusal during the step', handshakes: [{ at: 105, host: 'b.localhost', refused: 'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE' }], url: 'https://b.localhost:4443/api/x', report: REJECTED, fault: /with b\.localhost \(ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE\): it refused the server's certificate, so no request was sent/ },
  { name: 'a refusal earlier, still standing', handshakes: [{ at: 40, host: 'b.localhost', refused: 'ECONNRESET' }], url: 'https://b.localhost:4443/api/x', report: REJECTED, fault: /\(ECONNRESET\) \(earlier, 60 ms before this request/ },
  { name: 'a refusal followed by a connection (Chromium ignoring certificate errors)', handshakes: [{ at: 40, host: 'b.localhost', refused: 'ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN' }, { at: 41, host: 'b.localhost' }], url: 'https://b.localhost:4443/api/x', report: REJECTED, fault: undefined },
  { name: 'a refusal of another host', handshakes: [{ at: 105, host: 'a.localhost', refused: 'ECONNRESET' }], url: 'https://b.localhost:4443/api/x', report: REJECTED, fault: undefined },
  { name: 'a refusal after the step ended', handshakes: [{ at: 200, host: 'b.localhost', refused: 'ECONNRESET' }], url: 'https://b.localhost:4443/api/x', report: REJECTED, fault: undefined },
  { name: 'plain http never has a handshake', handshakes: [{ at: 105, host: 'b.localhost', refused: 'ECONNRESET' }], url: 'http://b.localhost:8080/api/x', report: REJECTED, fault: undefined },
  { name: 'a request that arrived was not refused', handshakes: [{ at: 105, host: 'b.localhost', refused: 'ECONNRESET' }], url: 'https://b.localhost:4443/api/x', report: REJECTED, arrived: ARRIVED, fault: undefined },
  { name: 'a fetch that resolved was not refused', handshakes: [{ at: 105, host: 'b.localhost', refused: 'ECONNRESET' }], url: 'https://b.localhost:4443/api/x', report: { kind: 'resolved', status: 200, type: 'cors', headers: [], body: '' }, fault: undefined },
];

for (const row of ROWS) {
  test(`refused certificate, request: ${row.name}`, () => {
    const ledger = new Ledger();
    for (const h of row.handshakes) ledger.handshake(h);
    const faults = refusedRequestFaults(ledger, 'case-1', row.url, step(row.report), row.arrived ?? []);
    if (row.fault === undefined) return expect(faults).toEqual([]);
    expect(faults).toHaveLength(1);
    expect(faults[0]?.code).toBe('certificate-refused');
    expect(faults[0]?.key).toBe('case-1');
    expect(faults[0]?.message).toMatch(row.fault);
  });
}

test('a page that did not load while its host stands refused says the certificate was refused, keeping the driver\'s words', () => {
  const ledger = new Ledger();
  ledger.handshake({ at: 105, host: 'a.localhost', refused: 'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE' });
  const failed: PageReport = { kind: 'harness-error', code: 'page-not-loaded', message: 'the engine failed: page.goto: Protocol error' };
  const report = withRefusedPage(ledger, 'https://a.localhost:4443/__cm/page', step(failed));
  expect(report).toMatchObject({ kind: 'harness-error', code: 'certificate-refused' });
  expect(report.kind === 'harness-error' && report.message).toMatch(/refused the server's certificate, so the page https:\/\/a\.localhost:4443\/__cm\/page did not load \(the engine failed: page\.goto: Protocol error\)/);
  expect(withRefusedPage(ledger, 'http://a.localhost:8080/__cm/page', step(failed))).toBe(failed);
});
