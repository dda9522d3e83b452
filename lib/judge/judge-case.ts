import type { Measurement } from '../measure/measurement.ts';
import type { MeasuredProfile } from '../model/profiles.ts';
import type { AppRef, Case, CaseTarget, DeviationSource, Expectation, ExpectedOutcome, ExternalRef } from '../model/scenario.ts';
import type { Policy } from '../model/policy.ts';
import type { EngineName } from '../oracle/vocabulary.ts';
import type { CaseRecord } from './case-record.ts';
import { mismatches, noteOf } from './compare.ts';
import { classifyJudged } from './outcome.ts';
import { beforeSending, judgeAnswers, oracleRequestOf } from './recorded-oracle.ts';

/**
 * The expectation one engine under one profile is held to: the default, the engine's declared deviation over it, and
 * the deviation declared for that engine under that profile over both. An unmanaged (remote) engine is held to the
 * default profile's expectation. A lookup only: every part of it was built with the case, in the model.
 */
export function expectationFor(
  expect: Expectation,
  engine: EngineName,
  profile: MeasuredProfile = 'as-shipped',
): ExpectedOutcome & { readonly because?: string; readonly source?: DeviationSource } {
  const { engines: _engines, profiles: _profiles, why: _why, ...base } = expect;
  const deviation = expect.engines?.[engine];
  const underProfile = profile === 'unmanaged' ? undefined : expect.profiles?.[profile]?.[engine];
  return { ...base, ...deviation, ...underProfile };
}

/** The target's fields as a case record carries them (the record's versioned format keeps three optional fields). */
function targetFields(target: CaseTarget): { readonly policy?: Policy; readonly app?: AppRef; readonly external?: ExternalRef } {
  switch (target.kind) {
    case 'policy':
      return { policy: target.policy };
    case 'app':
      return { app: { suite: target.suite, middleware: target.middleware, options: target.options } };
    case 'external':
      return { external: { pageOrigin: target.pageOrigin, url: target.url, ...(target.server !== undefined && { server: target.server }) } };
  }
}

/**
 * Judges one measurement against its case's expectation for the engine that measured it: the expectation was built
 * once, in the model (an intent's through the oracle, mixed content included), and is only looked up here for the
 * engine and profile. Pure: same input, same record.
 */
export function judgeCase(testCase: Case, measurement: Measurement): CaseRecord {
  const expected = expectationFor(testCase.expect, measurement.engine.name, measurement.engine.profile);
  const target = targetFields(testCase.target);
  const request = oracleRequestOf({ requestOrigin: measurement.requestOrigin, url: measurement.url, request: testCase.request });
  // A null-origin frame is judged by its creator's context: the page that holds it.
  const pageOrigin = measurement.requestOrigin === 'null' ? new URL(measurement.pageUrl).origin : request.origin;
  // The oracle is asked once, here, of what was measured: what the server really answered, and what the standard says
  // of the request before sending it. The classification and every later stage read that, and run no oracle again.
  const recorded = judgeAnswers(request, measurement.ledger);
  const standard = beforeSending(pageOrigin, request.url);
  const outcome = classifyJudged(measurement.report, measurement.ledger, measurement.faults, {
    request,
    engineReasons: measurement.engineReasons,
    ...(measurement.sessionNotPlanted !== undefined && { sessionNotPlanted: measurement.sessionNotPlanted }),
  }, recorded, standard);
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
    ...(testCase.intendedVerdict !== undefined && { intendedVerdict: testCase.intendedVerdict }),
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
