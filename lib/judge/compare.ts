import type { CaseOutcome, HarnessProblemCode } from './outcome.ts';
import type { CaseRecord } from './case-record.ts';
import { declaredDeviationOf } from '../model/engine-deviations.ts';
import type { Case, ExpectedOutcome } from '../model/scenario.ts';
import type { EngineName } from '../oracle/vocabulary.ts';

/** An expectation may name which harness problem a harness error must be, so that a crashed engine cannot pass for a refused connection. */
export type ComparedExpectation = ExpectedOutcome & { readonly harnessProblem?: HarnessProblemCode };

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = [...new Set(a)].sort();
  const right = [...new Set(b)].sort();
  return left.length === right.length && left.every((v, i) => v === right[i]);
}

/** Every way the measured outcome differs from what was expected; empty when it matches. */
export function mismatches(expected: ComparedExpectation, outcome: CaseOutcome): string[] {
  const found: string[] = [];
  if (outcome.verdict !== expected.verdict) found.push(`verdict: expected ${expected.verdict}, got ${outcome.verdict}`);
  else if (expected.harnessProblem !== undefined && outcome.harnessCode !== expected.harnessProblem) {
    found.push(`harness problem: expected ${expected.harnessProblem}, got ${outcome.harnessCode ?? 'none'}${outcome.harnessProblem ? ` (${outcome.harnessProblem})` : ''}`);
  }
  if (expected.preflight !== undefined && outcome.preflight.sent !== expected.preflight) {
    found.push(`preflight: expected ${expected.preflight ? 'one' : 'none'}, ${outcome.preflight.sent ? 'one was sent' : 'none was sent'}`);
  }
  for (const name of expected.readable ?? []) {
    if (!(name.toLowerCase() in outcome.readableHeaders)) found.push(`readable: expected the script to read ${name}, it could not`);
  }
  for (const name of expected.hidden ?? []) {
    if (name.toLowerCase() in outcome.readableHeaders) found.push(`hidden: expected ${name} to be hidden from the script, it was readable`);
  }
  if (expected.cookies !== undefined) {
    const harnessCookies = outcome.cookiesReceived.filter((c) => c.startsWith('cm_'));
    if (!sameSet(harnessCookies, expected.cookies)) {
      found.push(`cookies: expected [${expected.cookies.join(', ')}] at the server, it received [${harnessCookies.join(', ')}]`);
    }
  }
  if (expected.reachedHandler !== undefined && outcome.handlerRan !== expected.reachedHandler) {
    found.push(`reachedHandler: expected the request ${expected.reachedHandler ? 'to reach' : 'not to reach'} the server's handler, it ${outcome.handlerRan ? 'did' : 'did not'}`);
  }
  return found;
}

/**
 * Where the measured verdict is not the Fetch Standard's, or a declared engine deviation set the expectation: the note
 * the run lists. A scenario or oracle case is measured against the oracle's verdict; an intent case has no oracle
 * verdict, so only a declared deviation (WebKit and loopback mixed content) is noted, against the rule it departs from.
 */
export function noteOf(testCase: Case, outcome: CaseOutcome, expected: CaseRecord['expected'], engine: EngineName): string | undefined {
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
