/**
 * The oracle's chain of reasons. Each step names the stage of the fetch it belongs to, the rule it applied (a
 * stable id, so that engine deviations can point at a rule), whether the request passed it, and the section of the
 * standard the rule comes from.
 */
import type { Source } from './sources.ts';
import type { EngineName } from './vocabulary.ts';

export const STAGES = ['request', 'mixed content', 'same origin', 'no-cors', 'no preflight', 'preflight cache', 'preflight', 'response', 'redirect', 'readable headers'] as const;
export type Stage = (typeof STAGES)[number];

export const RULES = [
  // Building the request, as fetch() and the Request constructor do.
  'method-normalised',
  'method-as-written',
  'forbidden-request-header-dropped',
  'no-cors-header-dropped',
  'text-body-content-type',
  // What the caller of fetch decides (CSS Fonts, HTML elements): a font's request mode, a preload link's event.
  'font-fetched-in-cors-mode',
  'network-error-fires-error',
  // Mixed content (main fetch, before anything is sent): an https page and an http URL.
  'mixed-content-blocked',
  'mixed-content-loopback-trustworthy',
  // Which path main fetch takes.
  'same-origin-basic',
  'no-cors-opaque',
  'no-preflight-needed',
  'preflight-needed',
  'preflight-sent',
  'preflight-input-ignored',
  // The CORS-preflight cache.
  'cache-hit',
  'cache-miss',
  'cache-stored',
  'cache-not-stored',
  'cache-cleared',
  'cache-replaced',
  // The CORS check (preflight and actual response).
  'allow-origin-missing',
  'allow-origin-wildcard',
  'allow-origin-wildcard-with-credentials',
  'allow-origin-mismatch',
  'allow-origin-match',
  'allow-credentials-true',
  'allow-credentials-missing',
  'allow-credentials-not-true',
  // The preflight's own checks.
  'preflight-status-ok',
  'preflight-status-not-ok',
  'allow-methods-malformed',
  'allow-headers-malformed',
  'method-listed',
  'method-safelisted',
  'method-wildcard',
  'method-not-allowed',
  'authorization-not-covered-by-wildcard',
  'authorization-not-listed',
  'headers-allowed',
  'header-not-allowed',
  'max-age',
  'max-age-unparseable',
  // Status codes: the CORS check does not look at them, but they decide what a failure hides.
  'error-status-readable',
  'error-status-masked',
  // Redirects (Fetch §4.4 HTTP fetch, §4.5 HTTP-redirect fetch).
  'redirect-mode-error',
  'redirect-mode-manual',
  'redirect-no-location',
  'redirect-location-invalid',
  'redirect-location-scheme',
  'redirect-limit',
  'redirect-followed',
  'redirect-location-credentials',
  'redirect-stream-body',
  'redirect-method-to-get',
  'redirect-authorization-dropped',
  'redirect-tainted-origin',
  'redirect-same-origin-mode',
  'redirect-to-cors',
  'redirect-input-ignored',
  // What the script can read.
  'readable-basic',
  'readable-opaque',
  'readable-blocked',
  'readable-safelisted',
  'readable-exposed',
  'readable-expose-wildcard',
  'expose-wildcard-literal',
  'expose-headers-malformed',
  'hidden-not-exposed',
  'hidden-forbidden',
] as const;
export type OracleRuleId = (typeof RULES)[number];

/**
 * Failing rules that are no CORS check: Fetch §4.4 HTTP fetch and §4.5 HTTP-redirect fetch turn the fetch into a
 * network error whatever its mode, a same-origin request's as much as a cross-origin one's (redirect mode "error"
 * refuses any redirect). A block they decide is a block to the script, but no engine owes a CORS reason for it.
 */
export const NOT_CORS_CHECKS: readonly OracleRuleId[] = ['redirect-mode-error', 'redirect-location-invalid', 'redirect-location-scheme', 'redirect-limit', 'redirect-stream-body'];

export type StepOutcome = 'pass' | 'fail' | 'note';

export interface OracleStep {
  /** Which request of a redirect chain the step belongs to: 0 for the first URL, 1 for the first redirect's target, … (absent: 0). */
  readonly hop?: number;
  readonly stage: Stage;
  readonly rule: OracleRuleId;
  readonly outcome: StepOutcome;
  readonly text: string;
  readonly source: Source;
  /** Set where the step is an engine's own rule in place of the standard's (a declared departure): which engine. */
  readonly engineDeparture?: EngineName;
}

export function step(stage: Stage, rule: OracleRuleId, outcome: StepOutcome, text: string, source: Source): OracleStep {
  return { stage, rule, outcome, text, source };
}

/** The same steps, marked as belonging to hop `hop` of a redirect chain (hop 0 stays unmarked, as before redirects existed). */
export function atHop(hop: number, steps: readonly OracleStep[]): OracleStep[] {
  return hop === 0 ? [...steps] : steps.map((s) => ({ ...s, hop }));
}

/** `stage: text [source]`, the form the reasons are printed in; a step of a later hop reads `stage (hop N): …`, counting from 1. */
export function formatStep(s: OracleStep): string {
  const hop = s.hop === undefined || s.hop === 0 ? '' : ` (hop ${s.hop + 1})`;
  return `${s.stage}${hop}: ${s.text} [${s.source}]`;
}
