import { specificIssues, type Issue } from './zod-issues.ts';
import { caseRowSchema, familySchema } from './scenario-schema.ts';
import { enginePredictions, oracleSilence, predictCase, resolveExpectation, summarise, type SequenceState } from './case-oracle.ts';
import { deviationBecause, deviationsFor, ENGINE_PREFLIGHT_CACHES, OracleInputError } from '../oracle/index.ts';
import { ENGINE_DEVIATIONS } from './engine-deviations.ts';
import { ENGINE_NAMES, type EngineName } from '../oracle/vocabulary.ts';
import type { Case, CaseRow, EngineDeviation, Expectation, ScenarioFamily, StatedExpectation } from './scenario.ts';
import { caseTitle } from './title.ts';
import { scenarioCaseId } from './case-identity.ts';

/** Bad scenario input, found at load time before any browser starts. Lists every problem, each naming scenario, field and rule. */
export class ScenarioError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid scenarios (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ScenarioError';
  }
}

export function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? String(part) : `.${String(part)}`)).join('') || '(the row itself)';
}

export function describeIssues(where: string, issues: readonly Issue[]): string[] {
  return issues.flatMap(specificIssues).map((issue) => `${where}: field ${fieldPath(issue.path)}: ${issue.message}`);
}


/** The shared engine state of each sequence of one family, as the oracle has predicted it so far: by the standard, and per engine. */
type SequenceStates = Map<string, { readonly standard: SequenceState; readonly engines: Readonly<Record<EngineName, SequenceState>> }>;

const EMPTY_CACHE = { entries: [] };

function toCase(
  family: string,
  proves: string,
  index: number,
  row: CaseRow,
  where: string,
  problems: string[],
  stepOf: (sequenceId: string) => number,
  sequences: SequenceStates,
): Case | undefined {
  let stated: StatedExpectation = typeof row.expect === 'string' ? { verdict: row.expect } : (row.expect ?? {});
  const from = row.from ?? 'page';
  const sequence = row.sequence && { ...row.sequence, step: stepOf(row.sequence.id) };
  const silence = oracleSilence({ from, to: row.to, request: row.request, policy: row.policy, ...(sequence && { sequence }) });
  if (silence !== undefined && stated.verdict === undefined) {
    problems.push(`${where}: field expect.verdict: the oracle cannot speak for this case (${silence}), so the scenario must state the verdict, per engine where they differ, with the reason`);
    return undefined;
  }
  const before = sequence && sequences.get(sequence.id);
  const now = (before?.standard.now ?? 0) + (sequence?.afterMs ?? 0) / 1000;
  const input = { ...row, from };
  const sharedCache = before?.standard.sharedCache;
  const prediction = silence === undefined ? predictCase(input, sequence && { cache: before?.standard.cache ?? EMPTY_CACHE, now, ...(sharedCache && { sharedCache }) }) : undefined;
  if (prediction instanceof OracleInputError && stated.verdict === undefined) {
    problems.push(`${where}: field expect.verdict: the oracle cannot predict this case (${prediction.message}), so the scenario must state the verdict`);
    return undefined;
  }
  const predicted = prediction instanceof OracleInputError ? undefined : prediction;
  if (sequence) {
    // Each engine keeps its own preflight cache (a max-age cap, one result per URL or one entry per method and header),
    // predicted with its own rules (a declared departure, such as Firefox caching nothing for an unparseable max-age):
    // where that gives another answer than the standard's cache, the engine is held to it, with the engine's source,
    // or as the known deviation its own chain passes through.
    const engines = {} as Record<EngineName, SequenceState>;
    const deviations: Partial<Record<EngineName, EngineDeviation>> = {};
    for (const engine of ENGINE_NAMES) {
      const engineBefore = before?.engines[engine];
      const own = silence === undefined ? predictCase(input, { cache: engineBefore?.cache ?? EMPTY_CACHE, now, engine, ...(sharedCache && { sharedCache }) }, engine) : undefined;
      const ownPrediction = own instanceof OracleInputError ? undefined : own;
      engines[engine] = { cache: ownPrediction?.cache ?? engineBefore?.cache ?? EMPTY_CACHE, now, engine };
      if (!predicted || !ownPrediction || stated.engines?.[engine]) continue;
      if (ownPrediction.preflightSent === predicted.preflightSent && ownPrediction.verdict === predicted.verdict) continue;
      const model = ENGINE_PREFLIGHT_CACHES[engine];
      const [known] = deviationsFor(ownPrediction, engine, ENGINE_DEVIATIONS);
      deviations[engine] = {
        preflight: ownPrediction.preflightSent,
        ...(ownPrediction.verdict !== predicted.verdict && { verdict: ownPrediction.verdict }),
        ...(known
          ? { source: 'known-engine-deviation' as const, because: deviationBecause(known) }
          : { source: 'engine-cache-model' as const, because: `engine preflight cache, not the Fetch Standard (which leaves it to the user agent): ${model.storage}, max-age capped at ${model.maxAgeCap} s — ${model.source}` }),
      };
    }
    // The shared cache is outside the engines: one state for all of them.
    const sharedAfter = predicted?.sharedCache?.state ?? sharedCache;
    sequences.set(sequence.id, { standard: { cache: predicted?.cache ?? before?.standard.cache ?? EMPTY_CACHE, now, ...(sharedAfter && { sharedCache: sharedAfter }) }, engines });
    if (Object.keys(deviations).length > 0) stated = { ...stated, engines: { ...deviations, ...stated.engines } };
  }
  const silentWhy = silence === undefined ? undefined : `${stated.why ? `${stated.why}; ` : ''}the oracle cannot speak: ${silence}`;
  const expect: Expectation = predicted
    ? resolveExpectation(stated, predicted, row.policy, enginePredictions(input, predicted, sequence && { cache: before?.standard.cache ?? EMPTY_CACHE, now, ...(sharedCache && { sharedCache }) }))
    : { ...stated, verdict: stated.verdict ?? 'harness-error', ...(silentWhy !== undefined && { why: silentWhy }) };
  const title = caseTitle({ ...row, from, expect });
  return {
    id: scenarioCaseId(family, index, `${row.request.kind ?? ''} ${row.request.method} ${row.to} ${row.server}`),
    family,
    proves,
    title,
    server: row.server,
    from,
    to: row.to,
    request: {
      method: row.request.method,
      headers: row.request.headers ?? {},
      body: row.request.body ?? null,
      credentials: row.request.credentials ?? 'same-origin',
      mode: row.request.mode ?? 'cors',
      redirect: row.request.redirect ?? 'follow',
      ...(row.request.kind !== undefined && row.request.kind !== 'fetch' && { kind: row.request.kind }),
    },
    target: { kind: 'policy', policy: row.policy },
    expect,
    verdictFrom: stated.verdict === undefined ? 'oracle' : 'scenario',
    ...(predicted && { oracle: summarise(predicted) }),
    ...(silence !== undefined && { oracleSilent: silence }),
    ...(sequence && { sequence }),
    ...(row.wpt && { wpt: row.wpt }),
  };
}

/** Validates every family and row, then expands them into named cases. Throws {@link ScenarioError} listing every problem. */
export function loadCases(families: readonly ScenarioFamily[]): Case[] {
  const problems: string[] = [];
  const cases: Case[] = [];
  const seenFamilies = new Set<string>();
  families.forEach((input, familyIndex) => {
    const family = familySchema.safeParse(input);
    const familyName = typeof input?.family === 'string' ? input.family : `#${familyIndex + 1}`;
    if (!family.success) {
      problems.push(...describeIssues(`scenario "${familyName}"`, family.error.issues));
      return;
    }
    if (seenFamilies.has(family.data.family)) problems.push(`scenario "${familyName}": field family: must be unique, it is used twice`);
    seenFamilies.add(family.data.family);
    const steps = new Map<string, number>();
    const stepOf = (id: string): number => {
      const step = steps.get(id) ?? 0;
      steps.set(id, step + 1);
      return step;
    };
    const sequences: SequenceStates = new Map();
    family.data.cases.forEach((rawRow, index) => {
      const label = (rawRow as { server?: unknown } | null)?.server;
      const where = `scenario "${familyName}" case ${index + 1}${typeof label === 'string' ? ` ("${label}")` : ''}`;
      const row = caseRowSchema.safeParse(rawRow);
      if (!row.success) {
        problems.push(...describeIssues(where, row.error.issues));
        return;
      }
      const loaded = toCase(family.data.family, family.data.proves, index, row.data as CaseRow, where, problems, stepOf, sequences);
      if (loaded) cases.push(loaded);
    });
  });
  problems.push(...duplicateTitles(cases));
  if (problems.length) throw new ScenarioError(problems);
  return cases;
}

/** Two cases with one title would be one test to Playwright, and one row to a reader. */
export function duplicateTitles(cases: readonly Case[]): string[] {
  const titles = new Map<string, string>();
  const problems: string[] = [];
  for (const c of cases) {
    const earlier = titles.get(c.title);
    if (earlier) problems.push(`scenario "${c.family}" case ${c.id}: field server: the title "${c.title}" is already used by ${earlier}; say what differs in "server"`);
    titles.set(c.title, c.id);
  }
  return problems;
}
