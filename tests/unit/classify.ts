// Classification with the oracle asked here, as judgeCase asks it (lib/judge/judge-case.ts), for unit tests that give a
// page report, a ledger and the request directly. Not a test file: the unit tests import it.
import { classifyJudged, type CaseOutcome, type ClassifyContext } from '../../lib/judge/outcome.ts';
import { beforeSending, judgeAnswers } from '../../lib/judge/recorded-oracle.ts';
import type { LedgerEntry, ServerFault } from '../../lib/model/ledger.ts';
import type { PageReport } from '../../lib/model/page-report.ts';

/**
 * `pageOrigin`: the origin of the document that made the request, where the request's own is not it (a sandboxed
 * frame's requests carry `null`; mixed content is decided by the page that holds the frame). Absent: the request's.
 */
export function classify(report: PageReport, ledger: readonly LedgerEntry[], faults: readonly ServerFault[], context: ClassifyContext & { readonly pageOrigin?: string }): CaseOutcome {
  return classifyJudged(report, ledger, faults, context, judgeAnswers(context.request, ledger), beforeSending(context.pageOrigin ?? context.request.origin, context.request.url));
}
