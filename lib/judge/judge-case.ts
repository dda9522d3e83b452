import type { Measurement } from '../measure/measurement.ts';
import { declaredDeviationOf } from '../model/engine-deviations.ts';
import { expectationFor, targetFields, type Case } from '../model/scenario.ts';
import type { EngineName } from '../oracle/vocabulary.ts';
import type { CaseRecord } from './case-record.ts';
import { mismatches } from './compare.ts';
import { classify, type CaseOutcome } from './outcome.ts';
import { oracleRequestOf } from './recorded-oracle.ts';

/**
 * Where the measured verdict is not the Fetch Standard's, or a declared engine deviation set the expectation: the note
 * the run lists. A scenario or oracle case is measured against the oracle's verdict; an intent case has no oracle
 * verdict, so only a declared deviation (WebKit and loopback mixed content) is noted, against the rule it departs from.
 */
function noteOf(testCase: Case, outcome: CaseOutcome, expected: CaseRecord['expected'], engine: EngineName): string | undefined {
  const oracle = testCase.oracle;
  const deviation = !oracle && expected.source === 'known-engine-deviation' ? declaredDeviationOf(engine, expected.because) : undefined;
  if (deviation) {
    const rule = `${deviation.stage} rule "${deviation.rule}"`;
    if (outcome.verdict !== expected.verdict) return `the declared deviation from ${rule} expects ${expected.verdict}, measured ${outcome.verdict}: a failure, not a declared deviation`;
    return `measured ${outcome.verdict} where the standard sends the request (${rule}): a known engine deviation${deviation.reference ? `, ${deviation.reference}` : ''}`;
  }
  if (!oracle || oracle.verdict === outcome.verdict) return undefined;
  const measured = `measured ${outcome.verdict} where the Fetch Standard gives ${oracle.verdict}`;
  if (outcome.verdict !== expected.verdict) return `${measured}: a failure, not a declared deviation`;
  if (expected.source === 'known-engine-deviation' && expected.because !== undefined) return `${measured}: ${expected.because}`;
  return `${measured}: the scenario states this${testCase.expect.why ? ` (${testCase.expect.why})` : ''}`;
}

/**
 * Judges one measurement against its case's expectation for the engine that measured it: the expectation was built
 * once, in the model (an intent's through the oracle, mixed content included), and is only looked up here for the
 * engine and profile. Pure: same input, same record.
 */
export function judgeCase(testCase: Case, measurement: Measurement): CaseRecord {
  const request = oracleRequestOf({ requestOrigin: measurement.requestOrigin, url: measurement.url, request: testCase.request });
  const outcome = classify(measurement.report, measurement.ledger, measurement.faults, {
    request,
    engineReasons: measurement.engineReasons,
    // A null-origin frame is judged by its creator's context: the page that holds it.
    ...(measurement.requestOrigin === 'null' && { pageOrigin: new URL(measurement.pageUrl).origin }),
    ...(measurement.sessionNotPlanted !== undefined && { sessionNotPlanted: measurement.sessionNotPlanted }),
  });
  const expected = expectationFor(testCase.expect, measurement.engine.name, measurement.engine.profile);
  const note = noteOf(testCase, outcome, expected, measurement.engine.name);
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
