// A suggested fix is checked, not guessed: applied to the recorded answers, then the oracle is run on the changed
// answers (the one place the diagnosis runs it: on answers no server gave) for the affected cases, which must come
// out as intended, and for every outsider's case of the same server, none of which may become readable.
import type { CaseRecord } from '../judge/case-record.ts';
import { judgeRecorded, oracleRequestOf, type RecordedJudgement } from '../judge/recorded-oracle.ts';
import { headerList, listValues } from '../model/headers.ts';
import type { LedgerEntry } from '../model/ledger.ts';
import { applyFix, type AnswerLines, type FixTarget, type HeaderFix } from './fixes.ts';

export interface CauseCheck {
  /** The fix gave the intended verdict on every affected case, and opened nothing for an outsider. */
  readonly passed: boolean;
  readonly casesChecked: number;
  readonly outsidersChecked: number;
  /** The server's intended cases that were allowed and must stay allowed with the fix. */
  readonly keptChecked: number;
  readonly detail: string;
}

/** Who an answer is for, as the fix needs to know it. */
export function fixTargetOf(c: CaseRecord, intended: ReadonlySet<string>): FixTarget {
  const preflight = c.ledger.find((e) => e.kind === 'preflight');
  return {
    requestOrigin: c.requestOrigin,
    intendedOrigins: intended,
    credentials: c.request.credentials === 'include',
    method: preflight?.accessControlRequestMethod ?? c.request.method,
    requestHeaders: listValues(preflight?.accessControlRequestHeaders),
    route: new URL(c.url).pathname,
  };
}

function fixedLedger(c: CaseRecord, fix: HeaderFix, intended: ReadonlySet<string>): { ledger: LedgerEntry[]; synthesized: boolean } {
  const target = fixTargetOf(c, intended);
  const apply = (e: LedgerEntry): LedgerEntry => {
    const stage = e.kind === 'preflight' ? 'preflight' : 'response';
    const fixed = applyFix(fix, stage, { status: e.status, headers: e.responseHeaders }, target);
    return { ...e, status: fixed.status, responseHeaders: fixed.headers };
  };
  const ledger = c.ledger.filter((e) => e.answered !== false && e.status > 0).map(apply);
  const lastPreflight = ledger.filter((e) => e.kind === 'preflight').at(-1);
  if (ledger.some((e) => e.kind === 'actual') || !lastPreflight) return { ledger, synthesized: false };
  // The preflight blocked the request, so no actual answer was recorded: assume it carries the fixed preflight's CORS headers.
  const cors = lastPreflight.responseHeaders.filter((h) => /^access-control-allow-(origin|credentials)$|^vary$/i.test(h.name));
  const answer: AnswerLines = applyFix(fix, 'response', { status: 200, headers: cors }, target);
  ledger.push({ ...lastPreflight, kind: 'actual', method: c.request.method, handlerRan: true, status: answer.status, responseHeaders: answer.headers });
  return { ledger, synthesized: true };
}

function verdictOf(judged: RecordedJudgement | undefined): string {
  if (!judged) return 'unjudged (nothing was answered)';
  return judged.judged ? judged.verdict : `unjudged (${judged.why})`;
}

/**
 * Applies the fix to every affected record, every outsider record and every allowed intended record of the server,
 * and runs the oracle again: the affected come out as intended, no outsider becomes readable, and nothing the intent
 * allows and the server allowed is broken by it (a method dropped everywhere that another route needs).
 */
export function checkFix(fix: HeaderFix, affected: readonly CaseRecord[], outsiders: readonly CaseRecord[], intended: ReadonlySet<string>, intendedRead: boolean, kept: readonly CaseRecord[] = []): CauseCheck {
  // A set: the same case measured in several engines has the same recorded answers and comes to the same problem.
  const problems = new Set<string>();
  let synthesized = 0;
  for (const c of affected) {
    const { ledger, synthesized: made } = fixedLedger(c, fix, intended);
    if (made) synthesized++;
    const judged = judgeRecorded(oracleRequestOf(c), ledger);
    const verdict = verdictOf(judged);
    const ok = intendedRead ? verdict === 'allowed' : verdict === 'blocked-at-preflight' || verdict === 'blocked-at-response';
    if (fix.kind === 'vary-origin' && !ledger.some((e) => e.kind === 'actual' && headerList(e.responseHeaders, 'vary').some((v) => v.toLowerCase() === 'origin'))) problems.add(`${c.caseId}: Vary still lacks Origin`);
    // What still fails once the fix is in: the next thing the server's owner has to change.
    const stillFailing = judged?.judged && judged.failing ? ` (still failing: ${judged.failing.stage}: ${judged.failing.text})` : '';
    if (!ok) problems.add(`${c.caseId}: the oracle gives ${verdict} with the fix, not ${intendedRead ? 'allowed' : 'a block'}${stillFailing}`);
  }
  // A request the engine refused to send (mixed content) has no answers a header fix could change: no header opens it.
  const judgeable = outsiders.filter((c) => c.outcome.verdict !== 'blocked-before-sending');
  for (const c of judgeable) {
    // Before the fix: the judgement the record already carries.
    const before = verdictOf(c.outcome.recorded);
    const after = verdictOf(judgeRecorded(oracleRequestOf(c), fixedLedger(c, fix, intended).ledger));
    if (after === 'allowed' && before !== 'allowed') problems.add(`${c.caseId}: the fix would let ${c.requestOrigin} read`);
  }
  const affectedIds = new Set(affected.map((c) => c.caseId));
  const keep = kept.filter((c) => !affectedIds.has(c.caseId) && c.outcome.verdict === 'allowed');
  for (const c of keep) {
    const after = verdictOf(judgeRecorded(oracleRequestOf(c), fixedLedger(c, fix, intended).ledger));
    if (after !== 'allowed') problems.add(`${c.caseId}: the fix would block ${c.request.method} from ${c.requestOrigin}, which the intent allows (${after})`);
  }
  const assumed = synthesized > 0 ? ` (${synthesized} blocked at preflight: their actual answer assumed to carry the fixed preflight's Allow-Origin/-Credentials)` : '';
  return {
    passed: problems.size === 0,
    casesChecked: affected.length,
    outsidersChecked: judgeable.length,
    keptChecked: keep.length,
    detail: problems.size === 0 ? `oracle on the recorded answers with the fix: ${affected.length} case${affected.length === 1 ? '' : 's'} as intended, ${judgeable.length} outsider case${judgeable.length === 1 ? '' : 's'} still refused${keep.length ? `, ${keep.length} intended case${keep.length === 1 ? '' : 's'} still allowed` : ''}${assumed}` : [...problems].slice(0, 5).join('; '),
  };
}
