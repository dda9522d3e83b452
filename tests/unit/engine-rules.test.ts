// Engine behaviour is an input of the oracle: a declared departure is the engine's own rule at the step it names, and
// every field of that engine's expectation follows from the one prediction made with it.
import { test, expect } from '@playwright/test';
import { FAMILIES, ALL_CASES } from '../../scenarios/index.ts';
import { declaredDeviationOf, ENGINE_DEVIATIONS } from '../../lib/model/engine-deviations.ts';
import { predictCase } from '../../lib/model/case-oracle.ts';
import { expectationFor } from '../../lib/judge/judge-case.ts';
import type { Case, RequestRow } from '../../lib/model/scenario.ts';
import type { Policy } from '../../lib/model/policy.ts';
import { deviationsFor, fontFetchMode, OracleInputError, predict, predictSequence, type EngineRules, type OracleRuleId, type Prediction, type SequenceStep } from '../../lib/oracle/index.ts';
import { ENGINE_NAMES, type EngineName } from '../../lib/oracle/vocabulary.ts';

const policyOf = (c: Case) => (c.target.kind === 'policy' ? c.target.policy : undefined);
/** A case's request as its scenario row wrote it (a loaded case says `body: null` for none). */
const rowRequest = (c: Case) => {
  const { body, kind, ...rest } = c.request;
  return { ...rest, ...(body !== null && { body }), ...(kind !== undefined && { kind }) };
};

/**
 * Each scenario case whose standard prediction passes through a declared departure, with the engine that departs. The
 * first step of a sequence starts from an empty cache, as a case alone does; later steps depend on the steps before.
 */
function exercised() {
  return ALL_CASES.flatMap((c) => {
    const policy = policyOf(c);
    if (!policy || c.verdictFrom !== 'oracle' || (c.sequence && c.sequence.step > 0)) return [];
    const standard = predictCase({ from: c.from, to: c.to, request: rowRequest(c), policy });
    if (standard instanceof OracleInputError) return [];
    return ENGINE_NAMES.flatMap((engine) => deviationsFor(standard, engine, ENGINE_DEVIATIONS).map((deviation) => ({ c, policy, standard, engine, deviation })));
  });
}

test.describe('declared engine departures, as rules of the oracle', () => {
  test('every declared deviation is exercised by a family of the scenarios', () => {
    const seen = new Set(exercised().map(({ deviation }) => `${deviation.engine} ${deviation.rule}`));
    for (const d of ENGINE_DEVIATIONS) expect(seen, `${d.engine} ${d.rule}: no scenario family exercises it`).toContain(`${d.engine} ${d.rule}`);
    expect(new Set(exercised().map(({ c }) => c.family)).size).toBeGreaterThan(0);
  });

  test('for every deviation and every case that exercises it, the engine expectation is one consistent prediction', () => {
    const all = exercised();
    expect(all.length).toBeGreaterThan(3);
    for (const { c, policy, standard, engine, deviation } of all) {
      const where = `${c.family} / ${c.title} / ${engine} (${deviation.rule})`;
      const own = predictCase({ from: c.from, to: c.to, request: rowRequest(c), policy }, undefined, engine);
      if (own instanceof OracleInputError) throw own;
      const held = expectationFor(c.expect, engine);
      // The engine's rule is applied at its step, marked as the engine's, and the standard's answer is kept on the case.
      expect(own.steps.some((s) => s.rule === deviation.rule && s.engineDeparture === engine), where).toBe(true);
      expect(c.oracle?.verdict, where).toBe(standard.verdict);
      expect(held.source, where).toBe('known-engine-deviation');
      expect(held.because, where).toContain(deviation.evidence);
      // One evaluation: verdict, preflight, readable and hidden headers all from the engine's prediction.
      expect(held.verdict, where).toBe(own.verdict);
      expect(held.preflight, where).toBe(own.preflightSent);
      for (const name of held.readable ?? []) expect(own.readableHeaders, where).toContain(name.toLowerCase());
      for (const name of held.hidden ?? []) expect(own.readableHeaders, where).not.toContain(name.toLowerCase());
      const set = Object.keys(policy.responseHeaders ?? {});
      expect([...(held.readable ?? []), ...(held.hidden ?? [])].sort(), where).toEqual([...set].sort());
      // Nothing read and nothing at the handler where the engine sends nothing.
      if (own.verdict !== 'allowed') expect(held.readable ?? [], where).toEqual([]);
      if (!own.reachedServer) expect(held.reachedHandler ?? false, where).toBe(false);
      if (own.verdict === 'blocked-before-sending') expect(held.preflight, where).toBe(false);
    }
  });

  test('Authorization under "*" with exposed headers: every engine reads the exposed header and Content-Type, and only X-Internal stays hidden', () => {
    const found = ALL_CASES.find((c) => c.family === 'preflight' && c.server === 'allows any header, exposes X-Request-Id');
    expect(found).toBeDefined();
    const c = found as Case;
    expect(c.oracle?.verdict).toBe('blocked-at-preflight');
    for (const engine of ENGINE_NAMES) {
      const held = expectationFor(c.expect, engine);
      expect(held).toMatchObject({ verdict: 'allowed', preflight: true, readable: ['X-Request-Id', 'Content-Type'], hidden: ['X-Internal'], source: 'known-engine-deviation' });
    }
  });

  test('without an engine, predict follows the Fetch Standard; with credentials, no engine lets "*" cover Authorization', () => {
    const request = { origin: 'https://app.test', url: 'https://api.test/x', method: 'GET', headers: [['Authorization', 'Bearer t']] as [string, string][], mode: 'cors' as const };
    const preflight = { status: 204, headers: [['Access-Control-Allow-Origin', 'https://app.test'], ['Access-Control-Allow-Headers', '*'], ['Access-Control-Allow-Credentials', 'true']] as [string, string][] };
    const response = { status: 200, headers: preflight.headers };
    const chromium = { name: 'chromium' as const, departures: ENGINE_DEVIATIONS };
    expect(predict({ request: { ...request, credentials: 'omit' }, preflight, response }).verdict).toBe('blocked-at-preflight');
    expect(predict({ request: { ...request, credentials: 'omit' }, preflight, response, engine: chromium }).verdict).toBe('allowed');
    expect(predict({ request: { ...request, credentials: 'include' }, preflight, response, engine: chromium }).verdict).toBe('blocked-at-preflight');
  });

  test('WebKit refuses loopback http from an https page before sending, as its own rule; the others and the standard send it', () => {
    const input = { request: { origin: 'https://app.test', url: 'http://127.0.0.1:8080/x', method: 'GET', headers: [], credentials: 'omit' as const, mode: 'cors' as const }, response: { status: 200, headers: [['Access-Control-Allow-Origin', '*']] as [string, string][] }, checkMixedContent: true };
    expect(predict(input).verdict).toBe('allowed');
    expect(predict({ ...input, engine: { name: 'chromium', departures: ENGINE_DEVIATIONS } }).verdict).toBe('allowed');
    const webkit = predict({ ...input, engine: { name: 'webkit', departures: ENGINE_DEVIATIONS } });
    expect([webkit.verdict, webkit.preflightSent, webkit.reachedServer, webkit.readable]).toEqual(['blocked-before-sending', false, false, false]);
  });

  test('the families list is the one the run uses', () => expect(FAMILIES.length).toBeGreaterThan(5));
});

const rules = (name: EngineName): EngineRules => ({ name, departures: ENGINE_DEVIATIONS });
const ruleSteps = (p: Prediction, rule: OracleRuleId) => p.steps.filter((s) => s.rule === rule);
const row = (title: string): Case => {
  const found = ALL_CASES.find((c) => c.title === title);
  if (!found) throw new Error(`no case titled ${title}`);
  return found;
};
/** The engine's expectation on a loaded case, and the declared deviation the run and the WPT summary find behind it. */
const heldWithDeviation = (c: Case, engine: EngineName) => {
  const held = expectationFor(c.expect, engine);
  return { held, rule: declaredDeviationOf(engine, held.because)?.rule };
};
function casePrediction(request: RequestRow, policy: Policy, engine?: EngineName): Prediction {
  const p = predictCase({ from: 'page', to: 'cross-site', request, policy }, undefined, engine);
  if (p instanceof OracleInputError) throw p;
  return p;
}

test.describe('engine departures at a step of their own: the standard without an engine, the engine\'s rule with it', () => {
  test('an unparseable Access-Control-Max-Age: the standard caches it for 5 s; Firefox caches nothing, so the same PUT at once is preflighted again', () => {
    const request = { origin: 'https://app.test', url: 'https://api.test/x', method: 'PUT', headers: [], credentials: 'omit' as const, mode: 'cors' as const };
    const answers = (maxAge: string) => ({ preflight: { status: 204, headers: [['Access-Control-Allow-Origin', '*'], ['Access-Control-Allow-Methods', 'PUT'], ['Access-Control-Max-Age', maxAge]] as [string, string][] }, response: { status: 200, headers: [['Access-Control-Allow-Origin', '*']] as [string, string][] } });
    const twice = (maxAge: string, engine?: EngineRules): Prediction[] => {
      const steps: SequenceStep[] = [0, 0.1].map((at) => ({ at, request, ...(engine && { engine }) }));
      return predictSequence(steps, { server: answers(maxAge) });
    };
    const standard = twice('abc');
    expect(standard.map((p) => p.preflightSent)).toEqual([true, false]);
    expect(ruleSteps(standard[0] as Prediction, 'max-age-unparseable').map((s) => [s.text, s.engineDeparture])).toEqual([['Access-Control-Max-Age "abc" is not a number of seconds (digits only), so the default 5 seconds apply', undefined]]);
    // The rule is that value's alone: a number of seconds (or a negative one) is the plain max-age rule, and Firefox follows it.
    for (const maxAge of ['600', '0', '-1']) expect(ruleSteps(predict({ request, ...answers(maxAge) }), 'max-age-unparseable'), maxAge).toEqual([]);
    expect(twice('600', rules('firefox')).map((p) => p.preflightSent)).toEqual([true, false]);
    for (const engine of ['chromium', 'webkit'] as const) expect(twice('abc', rules(engine)).map((p) => p.preflightSent), engine).toEqual([true, false]);
    const firefox = twice('abc', rules('firefox'));
    expect(firefox.map((p) => [p.verdict, p.preflightSent, p.cache.entries.length])).toEqual([['allowed', true, 0], ['allowed', true, 0]]);
    expect(ruleSteps(firefox[0] as Prediction, 'max-age-unparseable')[0]).toMatchObject({ stage: 'preflight', engineDeparture: 'firefox', text: expect.stringContaining('does not cache it') });
  });

  test('the loaded max-age-invalid sequence: Firefox is held to a second preflight, as the known deviation from "max-age-unparseable"; the others to the cache', () => {
    const first = row('PUT from page to cross-site, allows PUT with Max-Age "abc", max-age-invalid step 1: first → allowed');
    const again = row('PUT from page to cross-site, allows PUT with Max-Age "abc", max-age-invalid step 2: again at once → allowed');
    expect([first.oracle?.preflightSent, again.oracle?.preflightSent]).toEqual([true, false]);
    const firefox = heldWithDeviation(again, 'firefox');
    expect(firefox.held).toMatchObject({ verdict: 'allowed', preflight: true, source: 'known-engine-deviation' });
    expect(firefox.rule).toBe('max-age-unparseable');
    expect(heldWithDeviation(first, 'firefox')).toMatchObject({ held: { verdict: 'allowed', preflight: true }, rule: 'max-age-unparseable' });
    for (const engine of ['chromium', 'webkit'] as const) expect(expectationFor(again.expect, engine), engine).toMatchObject({ verdict: 'allowed', preflight: false });
  });

  test('@font-face: the standard fetches it in mode "cors" (Origin sent, refused without Allow-Origin); WebKit fetches it no-cors and the face loads', () => {
    expect([fontFetchMode().mode, fontFetchMode(rules('chromium')).mode, fontFetchMode(rules('webkit')).mode]).toEqual(['cors', 'cors', 'no-cors']);
    const font: RequestRow = { kind: 'font', method: 'GET' };
    const none: Policy = { allowOrigin: 'none', body: 'font' };
    const standard = casePrediction(font, none);
    expect([standard.verdict, standard.hops?.[0]?.originHeader, ruleSteps(standard, 'font-fetched-in-cors-mode').length]).toEqual(['blocked-at-response', 'http://a.localhost:1080', 1]);
    for (const engine of ['chromium', 'firefox'] as const) expect(casePrediction(font, none, engine).verdict, engine).toBe('blocked-at-response');
    const webkit = casePrediction(font, none, 'webkit');
    expect([webkit.verdict, webkit.preflightSent, webkit.hops?.[0]?.originHeader, webkit.readable, webkit.responseType]).toEqual(['allowed', false, null, false, 'opaque']);
    expect(ruleSteps(webkit, 'font-fetched-in-cors-mode')[0]?.engineDeparture).toBe('webkit');
    // Another kind is not the font rule's: an <img crossorigin> stays a CORS request in WebKit.
    expect(casePrediction({ kind: 'img-canvas', method: 'GET' }, { allowOrigin: 'none', body: 'image' }, 'webkit').verdict).toBe('blocked-at-response');
    const loaded = heldWithDeviation(row('font GET from page to cross-site, serves a font without CORS headers → blocked at response (webkit: allowed)'), 'webkit');
    expect(loaded).toMatchObject({ held: { verdict: 'allowed', preflight: false, source: 'known-engine-deviation' }, rule: 'font-fetched-in-cors-mode' });
  });

  test('<link rel=preload as=fetch crossorigin>: a network error fires error (the standard, Chromium, WebKit); Firefox fires load', () => {
    const preload: RequestRow = { kind: 'preload', method: 'GET' };
    const standard = casePrediction(preload, { allowOrigin: 'none' });
    expect([standard.verdict, ruleSteps(standard, 'network-error-fires-error').length]).toEqual(['blocked-at-response', 1]);
    for (const engine of ['chromium', 'webkit'] as const) expect(casePrediction(preload, { allowOrigin: 'none' }, engine).verdict, engine).toBe('blocked-at-response');
    const firefox = casePrediction(preload, { allowOrigin: 'none' }, 'firefox');
    expect([firefox.verdict, firefox.preflightSent, firefox.reachedServer, firefox.readableHeaders]).toEqual(['allowed', false, true, []]);
    expect(ruleSteps(firefox, 'network-error-fires-error')[0]).toMatchObject({ outcome: 'pass', engineDeparture: 'firefox' });
    // A preload whose fetch succeeds takes no such step: the rule, and Firefox's departure from it, are the network error's alone.
    expect(ruleSteps(casePrediction(preload, { allowOrigin: '*' }, 'firefox'), 'network-error-fires-error')).toEqual([]);
    const loaded = heldWithDeviation(row('preload GET from page to cross-site, sends no CORS headers → blocked at response (firefox: allowed)'), 'firefox');
    expect(loaded).toMatchObject({ held: { verdict: 'allowed', preflight: false, source: 'known-engine-deviation' }, rule: 'network-error-fires-error' });
  });
});
