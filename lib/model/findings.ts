import { ENGINE_NAMES, type Verdict } from '../oracle/vocabulary.ts';
import type { DerivedRow } from './intent.ts';
import type { MiddlewareFinding } from './middleware-suite.ts';
import type { EngineDeviation, Expectation } from './scenario.ts';

/** A finding as declared for any kind of origin: harness names (middleware suites) or real origins (your server). */
export type Finding<From extends string> = Omit<MiddlewareFinding, 'from'> & { readonly from?: From | readonly From[] };

/** The intent's expectation, with every matching finding laid over it: for every engine, or for those it names. */
export function withFindings<From extends string>(row: DerivedRow<From>, findings: readonly Finding<From>[]): { expect: Expectation; finding?: string; intendedVerdict?: Verdict } {
  const fromMatches = (from: Finding<From>['from']): boolean => from === undefined || (typeof from === 'string' ? from === row.from : (from as readonly From[]).includes(row.from));
  const matched = findings.filter((f) => f.probe === row.probe && fromMatches(f.from));
  let expect: Expectation = { verdict: row.expect.verdict ?? 'allowed', ...row.expect };
  for (const f of matched) {
    if (!f.engines) {
      expect = { ...expect, ...f.observed, why: `finding: ${f.finding}` };
      continue;
    }
    const engines: Partial<Record<(typeof ENGINE_NAMES)[number], EngineDeviation>> = { ...expect.engines };
    for (const engine of f.engines) engines[engine] = { ...engines[engine], ...f.observed, because: `finding: ${f.finding}` };
    expect = { ...expect, engines };
  }
  // The intent's own verdict is kept beside the finding: the diagnosis tells what was meant from what was found by it.
  return matched.length ? { expect, finding: matched.map((f) => f.finding).join(' / '), intendedVerdict: row.expect.verdict ?? 'allowed' } : { expect };
}
