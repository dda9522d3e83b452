import type { Measurement } from '../measure/measurement.ts';
import { expectationFor, targetFields, type Case } from '../model/scenario.ts';
import type { CaseRecord } from './case-record.ts';
import { mismatches, noteOf } from './compare.ts';
import { classifyJudged } from './outcome.ts';
import { judgeAnswers, oracleRequestOf } from './recorded-oracle.ts';

/**
 * Judges one measurement against its case's expectation for the engine that measured it: the expectation was built
 * once, in the model (an intent's through the oracle, mixed content included), and is only looked up here for the
 * engine and profile. Pure: same input, same record.
 */
export function judgeCase(testCase: Case, measurement: Measurement): CaseRecord {
  const expected = expectationFor(testCase.expect, measurement.engine.name, measurement.engine.profile);
  const target = targetFields(testCase.target);
  const request = oracleRequestOf({ requestOrigin: measurement.requestOrigin, url: measurement.url, request: testCase.request });
  // The oracle runs once on what the server really answered; the classification and every later stage read that.
  const recorded = judgeAnswers(request, measurement.ledger);
  const outcome = classifyJudged(measurement.report, measurement.ledger, measurement.faults, {
    request,
    engineReasons: measurement.engineReasons,
    // A null-origin frame is judged by its creator's context: the page that holds it.
    ...(measurement.requestOrigin === 'null' && { pageOrigin: new URL(measurement.pageUrl).origin }),
    ...(measurement.sessionNotPlanted !== undefined && { sessionNotPlanted: measurement.sessionNotPlanted }),
  }, recorded);
  const differences = mismatches(expected, outcome);
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
    ...target,
    ...(testCase.probe !== undefined && { probe: testCase.probe }),
    ...(testCase.finding !== undefined && { finding: testCase.finding }),
    ...(testCase.expect.why !== undefined && { why: testCase.expect.why }),
    requestOrigin: measurement.requestOrigin,
    url: measurement.url,
    expected,
    outcome,
    ledger: measurement.ledger,
    mismatches: differences,
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
