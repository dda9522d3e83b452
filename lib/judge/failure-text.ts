// The text a failing judgement prints. The judge's own account of its record; the diagnosis, which stands above the
// judge (it reads records), is laid in by the caller as the cause and its fix.
import type { CaseRecord } from './case-record.ts';
import { describeRefusal } from './refusals.ts';
import { describeService, type LedgerEntry } from '../model/ledger.ts';
import { corsReasonOf, type CaseOutcome } from './outcome.ts';
import { describeRefusedRedirect } from './refused-redirect.ts';

/** The diagnosis's word on one failing record, as the text prints it: lib/diagnose's Cause (causeOfRecord) has these fields. */
export interface CauseLines {
  readonly summary: string;
  /** The smallest response-header fix, in words, where one was found. */
  readonly fix?: string;
  /** Whether the oracle confirmed that fix. */
  readonly check?: { readonly passed: boolean };
}

const WIDTH = 220;

function clip(text: string, width = WIDTH): string {
  const line = text.replace(/\s*\n\s*/g, ' ').trimEnd();
  return line.length > width ? `${line.slice(0, width - 1)}…` : line;
}

function ledgerLine(entry: LedgerEntry): string {
  const cors = entry.responseHeaders.filter((h) => /^(access-control-|vary$|location$)/i.test(h.name));
  const answer = entry.answered === false || entry.status === 0 ? 'no answer' : `${entry.status}${entry.cutOff ? ' (cut off)' : ''} ${cors.map((h) => `${h.name}: ${h.value}`).join(' | ') || '(no CORS headers)'}`;
  const asked = [entry.accessControlRequestMethod && `ACRM=${entry.accessControlRequestMethod}`, entry.accessControlRequestHeaders && `ACRH=${entry.accessControlRequestHeaders}`, entry.cookies.length > 0 && `cookies=[${entry.cookies.join(', ')}]`]
    .filter(Boolean)
    .join(' ');
  const cache = entry.servedBy ? ` [${describeService(entry.servedBy)}]` : '';
  return clip(`${entry.kind} ${entry.method} ${(entry.path ?? entry.target).replace(/[?&]cm_case=[^&]*/, '')}${asked ? ` ${asked}` : ''} → ${answer}${cache}`);
}

function actualLine(outcome: CaseOutcome): string {
  if (outcome.harnessProblem) return `${outcome.verdict} [${outcome.harnessCode ?? 'harness'}] — ${outcome.harnessProblem}`;
  if (outcome.refusal) return `${outcome.verdict} — ${describeRefusal(outcome.refusal)}`;
  const block = outcome.block;
  if (!block) return `${outcome.verdict}${outcome.status !== undefined ? `, status ${outcome.status}` : ''}, read [${Object.keys(outcome.readableHeaders).join(', ')}]`;
  return `${outcome.verdict} (answered ${block.status}; confirmed by ${block.confirmedBy.join(' and ')})${block.errorResponse ? ` — ${block.errorResponse}` : ''}`;
}

/** The oracle's word on the answers the server really gave: the verdict and the step that decided it. */
function oracleLine(record: CaseRecord): string {
  const judged = record.outcome.recorded;
  if (!judged) return 'nothing was answered';
  if (!judged.judged) return `cannot judge the recorded answers (${judged.why})`;
  const decisive = judged.failing ?? judged.reasons.filter((r) => r.startsWith('response:') || r.startsWith('preflight:')).at(-1);
  const text = typeof decisive === 'string' ? decisive : decisive ? `${decisive.stage}: ${decisive.text}` : '';
  return `${judged.verdict}${text ? ` — ${text}` : ''}`;
}

/**
 * The text a failing case prints, kept to about fifteen lines: what differed, the cause and its checked fix (the
 * diagnosis's, given by the caller: `causeOfRecord(record)`), the engine's own reason, what reached the server and what
 * the standard says of it. The full record is in the report.
 */
export function describeRecord(record: CaseRecord, cause?: CauseLines): string {
  const { expected, engine, outcome } = record;
  const expectedParts = [
    `verdict ${expected.verdict}`,
    expected.preflight !== undefined && `preflight ${expected.preflight ? 'sent' : 'not sent'}`,
    expected.readable && `readable [${expected.readable.join(', ')}]`,
    expected.hidden && `hidden [${expected.hidden.join(', ')}]`,
    expected.cookies && `cookies [${expected.cookies.join(', ')}]`,
  ].filter(Boolean);
  // DevTools' corsErrorStatus is the shortest exact reason; console lines follow.
  // A refused redirect is said with what the wire adds: the engine's own line alone reads as a network failure.
  const refused = outcome.block?.engineRefusal;
  const reason = outcome.refusal?.engineReason ?? corsReasonOf([...record.engineReasons].sort((a, b) => Number(b.startsWith('devtools:')) - Number(a.startsWith('devtools:')))) ?? (refused && describeRefusedRedirect(refused)) ?? record.engineReasons[0];
  const headers = Object.keys(record.request.headers);
  return [
    record.title,
    `engine:   ${engine.name} ${engine.version} (${engine.build} build, ${engine.protocol})`,
    `request:  ${record.request.method}${headers.length ? ` [${headers.join(', ')}]` : ''} credentials=${record.request.credentials} from ${record.requestOrigin} to ${record.url}`,
    ...record.mismatches.map((m) => `mismatch: ${clip(m)}`),
    clip(`expected: ${expectedParts.join(', ')} (from the ${record.verdictFrom})${expected.because ? ` because ${expected.because}` : ''}`),
    clip(`actual:   ${actualLine(outcome)}`, 400),
    ...(cause ? [clip(`cause:    ${cause.summary}`, 300), ...(cause.fix ? [clip(`fix:      ${cause.fix}${cause.check ? ` (${cause.check.passed ? 'checked ✓' : 'check ✗'})` : ''}`, 400)] : [])] : []),
    `engine's reason: ${reason ? clip(reason, 200) : `(none given${record.engineReasonsUnavailable ? `: ${record.engineReasonsUnavailable}` : ''})`}`,
    ...(record.ledger.length ? record.ledger.slice(0, 3).map((e, i) => `${i === 0 ? 'ledger:  ' : '         '} ${ledgerLine(e)}`) : ['ledger:   (nothing arrived)']),
    clip(`oracle on the recorded answers: ${oracleLine(record)}`, 300),
    ...(record.oracleNote ? [clip(`note:     ${record.oracleNote}`)] : []),
    `more:     cors-matrix-report/index.html, case ${record.caseId}`,
  ].join('\n');
}
