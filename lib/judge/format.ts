import type { CaseRecord } from '../measure/case-runner.ts';
import type { LedgerEntry } from '../model/ledger.ts';
import type { CaseOutcome } from './outcome.ts';

function ledgerLine(entry: LedgerEntry): string {
  const request = [
    `origin=${entry.origin ?? '(none)'}`,
    entry.accessControlRequestMethod !== undefined && `ACRM=${entry.accessControlRequestMethod}`,
    entry.accessControlRequestHeaders !== undefined && `ACRH=${entry.accessControlRequestHeaders}`,
    `cookies=[${entry.cookies.join(', ')}]`,
    `handler ${entry.handlerRan ? 'ran' : 'did not run'}`,
  ].filter(Boolean);
  const answer = entry.responseHeaders.map((h) => `${h.name}: ${h.value}`).join(' | ') || '(no CORS headers)';
  return `    ${entry.kind.padEnd(9)} ${entry.method} ${entry.target}  ${request.join('  ')}\n              answered ${entry.status}  ${answer}`;
}

function outcomeLines(outcome: CaseOutcome): string[] {
  const preflight = outcome.preflight.sent
    ? `sent (ACRM=${outcome.preflight.accessControlRequestMethod ?? '-'}, ACRH=${outcome.preflight.accessControlRequestHeaders ?? '-'})`
    : 'not sent';
  return [
    `  verdict:        ${outcome.verdict}${outcome.harnessProblem ? ` — ${outcome.harnessProblem}` : ''}`,
    `  preflight:      ${preflight}`,
    `  reached server: ${outcome.reachedServer}   readable: ${outcome.readable}${outcome.status !== undefined ? `   status: ${outcome.status}` : ''}`,
    `  script read:    ${Object.keys(outcome.readableHeaders).join(', ') || '(nothing)'}`,
    `  cookies in:     ${outcome.cookiesReceived.join(', ') || '(none)'}`,
    `  engine error:   ${outcome.engineError ?? '(none)'}`,
  ];
}

/** The text a failing case prints: expected against actual, then what the server's ledger saw. */
export function describeRecord(record: CaseRecord): string {
  const { expected, engine } = record;
  const expectedParts = [
    `verdict ${expected.verdict}`,
    expected.preflight !== undefined && `preflight ${expected.preflight ? 'sent' : 'not sent'}`,
    expected.readable && `readable [${expected.readable.join(', ')}]`,
    expected.hidden && `hidden [${expected.hidden.join(', ')}]`,
    expected.cookies && `cookies [${expected.cookies.join(', ')}]`,
  ].filter(Boolean);
  return [
    `${record.title}`,
    `engine: ${engine.name} ${engine.version} (${engine.build} build, ${engine.protocol})`,
    `request: from ${record.requestOrigin} to ${record.url}`,
    `mismatches:`,
    ...record.mismatches.map((m) => `  - ${m}`),
    `expected (verdict from the ${record.verdictFrom}): ${expectedParts.join(', ')}${expected.because ? ` (because ${expected.because})` : ''}`,
    `actual:`,
    ...outcomeLines(record.outcome),
    `engine's own reason:`,
    ...(record.engineReasons.length
      ? record.engineReasons.map((r) => `    ${r}`)
      : [`    (none given${record.engineReasonsUnavailable ? `: ${record.engineReasonsUnavailable}` : ''})`]),
    `ledger (what reached the server):`,
    ...(record.ledger.length ? record.ledger.map(ledgerLine) : ['    (nothing arrived)']),
    ...(record.oracle
      ? [
          `oracle (the Fetch Standard): ${record.oracle.verdict}, preflight ${record.oracle.preflightSent ? 'sent' : 'not sent'}${record.oracleNote ? ` — ${record.oracleNote}` : ''}`,
          ...record.oracle.reasons.map((r, i) => `  ${i + 1}. ${r}`),
        ]
      : ['oracle: no prediction for this case']),
  ].join('\n');
}
