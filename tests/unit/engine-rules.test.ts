// Engine behaviour is an input of the oracle: a declared departure is the engine's own rule at the step it names, and
// every field of that engine's expectation follows from the one prediction made with it.
import { test, expect } from '@playwright/test';
import { FAMILIES, ALL_CASES } from '../../scenarios/index.ts';
import { ENGINE_DEVIATIONS } from '../../lib/model/engine-deviations.ts';
import { predictCase } from '../../lib/model/case-oracle.ts';
import { expectationFor } from '../../lib/judge/judge-case.ts';
import type { Case } from '../../lib/model/scenario.ts';
import { deviationsFor, OracleInputError, predict } from '../../lib/oracle/index.ts';
import { ENGINE_NAMES } from '../../lib/oracle/vocabulary.ts';

const policyOf = (c: Case) => (c.target.kind === 'policy' ? c.target.policy : undefined);
/** A case's request as its scenario row wrote it (a loaded case says `body: null` for none). */
const rowRequest = (c: Case) => {
  const { body, kind, ...rest } = c.request;
  return { ...rest, ...(body !== null && { body }), ...(kind !== undefined && { kind }) };
};

/** Each scenario case whose standard prediction passes through a declared departure, with the engine that departs. */
function exercised() {
  return ALL_CASES.flatMap((c) => {
    const policy = policyOf(c);
    if (!policy || c.verdictFrom !== 'oracle' || c.sequence) return [];
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
