/**
 * A shape for declaring where a real engine departs from the Fetch Standard. The declarations live with the engine
 * data (lib/model/engine-deviations.ts); `predict` applies them as the engine's own rule at the step they name when it
 * is given the engine ({@link EngineRules}), and follows the standard alone otherwise.
 */
import type { EngineName } from './vocabulary.ts';
import type { Stage, OracleRuleId } from './steps.ts';
import type { OracleStep } from './steps.ts';

export interface OracleDeviation {
  readonly engine: EngineName;
  /** The step of the oracle's chain the engine does not follow, e.g. `{ stage: 'preflight', rule: 'authorization-not-covered-by-wildcard' }`. */
  readonly stage: Stage;
  readonly rule: OracleRuleId;
  /** How it was established: engine and version, and what was measured or where it is documented. */
  readonly evidence: string;
  /** Where the engine's own project records it (a bug or a change), short enough for a one-line note. */
  readonly reference?: string;
}

/**
 * One engine, with the rules where it departs from the Fetch Standard: at each such step the oracle applies the
 * engine's rule instead of the standard's, so every consequence (verdict, preflight, readable headers, whether the
 * request reached the server) follows from that one evaluation.
 */
export interface EngineRules {
  readonly name: EngineName;
  readonly departures: readonly OracleDeviation[];
}

/** The deviations whose rule appears in a prediction's chain as a failing or deciding step. */
export function deviationsFor(prediction: { readonly steps: readonly OracleStep[] }, engine: EngineName, deviations: readonly OracleDeviation[]): OracleDeviation[] {
  return deviations.filter((d) => d.engine === engine && prediction.steps.some((s) => s.stage === d.stage && s.rule === d.rule));
}

/** How an expectation set by a declared deviation says why: the rule the engine departs from, its reference, the evidence. */
export function deviationBecause(d: OracleDeviation): string {
  return `known engine deviation from ${d.stage} rule "${d.rule}"${d.reference ? ` (${d.reference})` : ''}: ${d.evidence}`;
}

/** The engine's declared departure from the rule at this step, if it has one: the oracle then applies the engine's rule. */
export function departureFrom(engine: EngineRules | undefined, stage: Stage, rule: OracleRuleId): OracleDeviation | undefined {
  return engine?.departures.find((d) => d.engine === engine.name && d.stage === stage && d.rule === rule);
}
