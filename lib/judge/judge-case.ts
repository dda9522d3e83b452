import type { Measurement } from '../measure/measurement.ts';
import { expectationFor, statesVerdictFor, targetFields, type Case } from '../model/scenario.ts';
import type { CaseRecord } from './case-record.ts';
import { mismatches } from './compare.ts';
import { classify, type CaseOutcome } from './outcome.ts';
import { intentUnderMixedContent } from './mixed-content.ts';
import { mixedContentCheck } from '../oracle/mixed-content.ts';
import type { OracleDeviation } from '../oracle/index.ts';
import { oracleRequestOf } from './recorded-oracle.ts';

function oracleNote(testCase: Case, outcome: CaseOutcome, expected: CaseRecord['expected']): string | undefined {
  const oracle = testCase.oracle;
  if (!oracle || oracle.verdict === outcome.verdict) return undefined;
  const measured = `measured ${outcome.verdict} where the Fetch Standard gives ${oracle.verdict}`;
  if (outcome.verdict !== expected.verdict) return `${measured}: a failure, not a declared deviation`;
  if (expected.source === 'known-engine-deviation' && expected.because !== undefined) return `${measured}: ${expected.because}`;
  return `${measured}: the scenario states this${testCase.expect.why ? ` (${testCase.expect.why})` : ''}`;
}

/** Where a declared engine deviation set an intent case's verdict (WebKit and loopback mixed content): the note the run lists. */
function deviationNote(outcome: CaseOutcome, expected: CaseRecord['expected'], deviation: OracleDeviation): string {
  const rule = `${deviation.stage} rule "${deviation.rule}"`;
  if (outcome.verdict !== expected.verdict) return `the declared deviation from ${rule} expects ${expected.verdict}, measured ${outcome.verdict}: a failure, not a declared deviation`;
  return `measured ${outcome.verdict} where the standard sends the request (${rule}): a known engine deviation${deviation.reference ? `, ${deviation.reference}` : ''}`;
}

/** Judges one measurement against its case's expectation for the engine that measured it. Pure: same input, same record. */
export function judgeCase(testCase: Case, measurement: Measurement): CaseRecord {
  const request = oracleRequestOf({ requestOrigin: measurement.requestOrigin, url: measurement.url, request: testCase.request });
  const outcome = classify(measurement.report, measurement.ledger, measurement.faults, {
    request,
    engineReasons: measurement.engineReasons,
    // A null-origin frame is judged by its creator's context: the page that holds it.
    ...(measurement.requestOrigin === 'null' && { pageOrigin: new URL(measurement.pageUrl).origin }),
    ...(measurement.sessionNotPlanted !== undefined && { sessionNotPlanted: measurement.sessionNotPlanted }),
  });
  const engine = measurement.engine.name;
  const profile = measurement.engine.profile;
  const meant = expectationFor(testCase.expect, engine, profile);
  // An intent speaks of what the server lets read; how the page reaches it (mixed content) is laid over it here, with
  // the real origins. Scenario and oracle cases have it from the oracle already.
  const mixed = testCase.verdictFrom === 'intent' ? mixedContentCheck(measurement.requestOrigin, measurement.url) : undefined;
  const laid = mixed ? intentUnderMixedContent(meant, mixed, engine, statesVerdictFor(testCase.expect, engine, profile)) : { expected: meant };
  const { expected } = laid;
  const note = laid.deviation ? deviationNote(outcome, expected, laid.deviation) : oracleNote(testCase, outcome, expected);
  return {
    caseId: testCase.id,
    family: testCase.family,
    proves: testCase.proves,
    title: testCase.title,
    engine: measurement.engine,
    from: testCase.from,
    to: testCase.to,
    server: testCase.server,
    request: testCase.request,
    ...targetFields(testCase.target),
    ...(testCase.probe !== undefined && { probe: testCase.probe }),
    ...(testCase.finding !== undefined && { finding: testCase.finding }),
    ...(testCase.expect.why !== undefined && { why: testCase.expect.why }),
    requestOrigin: measurement.requestOrigin,
    url: measurement.url,
    expected,
    outcome,
    ledger: measurement.ledger,
    mismatches: mismatches(expected, outcome),
    engineReasons: measurement.engineReasons,
    ...(measurement.engineReasonsUnavailable !== undefined && { engineReasonsUnavailable: measurement.engineReasonsUnavailable }),
    verdictFrom: testCase.verdictFrom,
    ...(testCase.oracle && { oracle: testCase.oracle }),
    ...(testCase.oracleSilent !== undefined && { oracleSilent: testCase.oracleSilent }),
    ...(outcome.handlerRan && !outcome.readable && testCase.request.method !== 'GET' && testCase.request.method !== 'HEAD' && { writeReachedHandler: { cookies: outcome.cookiesReceived } }),
    ...(note !== undefined && { oracleNote: note }),
    durationMs: measurement.durationMs,
  };
}
