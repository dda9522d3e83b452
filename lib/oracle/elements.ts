/**
 * What the callers of fetch decide around it, as rules of the oracle: CSS Fonts sets the mode of an @font-face
 * request, and HTML turns a preload's fetch into the link's load or error event. Each is one step of the chain, so an
 * engine that departs there (lib/model/engine-deviations.ts) is predicted with its own rule at that step.
 */
import { departureFrom } from './deviations.ts';
import { SOURCE } from './sources.ts';
import type { OracleStep } from './steps.ts';
import { formatStep, step } from './steps.ts';
import type { EngineRules, Prediction, RequestMode } from './types.ts';

/** The mode an @font-face request is made in, with the step that says why. */
export interface FontFetchMode {
  readonly mode: Extract<RequestMode, 'cors' | 'no-cors'>;
  readonly step: OracleStep;
}

/**
 * CSS Fonts 4 §4.8.2: a font is fetched with mode "cors" (credentials "same-origin"), and there is no attribute to opt
 * out. An engine that departs here fetches it no-cors: no Origin header, no CORS check, and the face loads.
 */
export function fontFetchMode(engine?: EngineRules): FontFetchMode {
  const rule = 'font-fetched-in-cors-mode';
  const standard = step('request', rule, 'note', 'CSS Fonts fetches an @font-face source with mode "cors" and credentials "same-origin" (no attribute opts out), so a font from another origin is held to the CORS check', SOURCE.fontFetching);
  const departure = departureFrom(engine, 'request', rule);
  if (departure === undefined) return { mode: 'cors', step: standard };
  const text = `CSS Fonts fetches an @font-face source with mode "cors", but ${departure.engine} departs from the standard here and fetches it with mode "no-cors" (a declared engine departure): no Origin header, no CORS check, and the face loads`;
  return { mode: 'no-cors', step: { ...standard, text, engineDeparture: departure.engine } };
}

/**
 * HTML, link type "preload": the link fires error when its fetch is a network error (a failed CORS check is one), and
 * load otherwise. The verdict is what the page sees of the link; an engine that departs here fires load, and the page
 * sees the preload as allowed (nothing of the response is readable either way).
 */
export function linkPreloadEvent(fetched: Prediction, engine?: EngineRules): Prediction {
  if (fetched.verdict === 'allowed') return fetched;
  const rule = 'network-error-fires-error';
  const standard = step('response', rule, 'note', 'the preload\'s fetch is a network error, so the <link> fires error (load only for a response)', SOURCE.linkPreload);
  const departure = departureFrom(engine, 'response', rule);
  if (departure === undefined) return withStep(fetched, standard, 'last');
  const text = `the preload's fetch is a network error, where the standard fires error at the <link>; ${departure.engine} departs from it here and fires load (a declared engine departure), so the page sees the preload as allowed, with nothing readable`;
  return { ...withStep(fetched, { ...standard, outcome: 'pass', text, engineDeparture: departure.engine }, 'last'), verdict: 'allowed', readable: false, readableHeaders: [] };
}

/** The prediction of a fetch whose caller decided a step before it (a font's mode): that step first, then the fetch's own. */
export function withCallerStep(fetched: Prediction, caller: OracleStep): Prediction {
  return withStep(fetched, caller, 'first');
}

/** The prediction with one more step at one end of its chain (its reasons follow). */
function withStep(prediction: Prediction, more: OracleStep, where: 'first' | 'last'): Prediction {
  const steps = where === 'first' ? [more, ...prediction.steps] : [...prediction.steps, more];
  return { ...prediction, steps, reasons: steps.map(formatStep) };
}
