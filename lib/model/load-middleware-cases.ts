import { z } from 'zod';
import { ENGINE_NAMES } from '../oracle/vocabulary.ts';
import { harnessRequest, intentUnderMixedContent } from './case-oracle.ts';
import { withFindings } from './findings.ts';
import { deriveProbes, deriveRows, PROBES, type DerivedRow, type Intent } from './intent.ts';
import { describeIssues, duplicateTitles, ScenarioError } from './load-cases.ts';
import { suiteCaseId } from './case-identity.ts';
import { MIDDLEWARE_ADAPTERS, MIDDLEWARE_NAMES } from '../middleware/index.ts';
import { suiteId, type AnyMiddlewareSuite } from './middleware-suite.ts';
import { sessionCookiesSchema } from './session-cookies.ts';
import { ORIGIN_NAMES, type OriginName } from './origins.ts';
import { headerName, requestHeaderName, requestMethodName } from './scenario-schema.ts';
import type { Case } from './scenario.ts';
import { caseTitle } from './title.ts';

const originName = z.enum(ORIGIN_NAMES, { error: `must be one of the named origins: ${ORIGIN_NAMES.join(', ')}` });

const intentSchema = z.strictObject({
  origins: z.union([z.literal('*'), z.array(originName).min(1, 'names no origin: an API nobody may read needs no CORS')]),
  methods: z.array(requestMethodName).optional(),
  headers: z.array(requestHeaderName).optional(),
  credentials: z.boolean().optional(),
  exposedHeaders: z.array(headerName).optional(),
  outsiders: z.array(originName).min(1).optional(),
});

const findingSchema = z.strictObject({
  probe: z.enum(PROBES),
  from: z.union([originName, z.array(originName).min(1)]).optional(),
  observed: z.record(z.string(), z.unknown()),
  engines: z.array(z.enum(ENGINE_NAMES)).optional(),
  finding: z.string().min(20, 'must say what the middleware does and why it matters'),
});

const kebab = (what: string) => z.string().regex(/^[a-z][a-z0-9-]*$/, `must be kebab-case (${what})`);

/** What every suite states, whichever app answers it. */
const suiteFields = {
  label: kebab('e.g. "list" or "credentials"'),
  optionsText: z.string().min(2, 'must show the options'),
  intent: intentSchema,
  target: originName.optional(),
  family: kebab('e.g. "middleware-express"').optional(),
  findings: z.array(findingSchema).optional(),
  sessionCookies: sessionCookiesSchema.optional(),
  snapshot: z.boolean().optional(),
  sharedCache: z
    .strictObject({
      readers: z
        .array(originName, { error: 'must list the origins that read through the shared cache, in order' })
        .min(1, 'names no origin: list the origins that read one URL through the shared cache, in order (at least two different ones)'),
    })
    .optional(),
};

function checkTarget(suite: { target?: string | undefined; intent: { origins: '*' | readonly string[] }; sharedCache?: { readers: readonly string[] } | undefined }, ctx: z.RefinementCtx): void {
  const target = suite.target ?? (suite.sharedCache ? 'shared-cache' : 'cross-site');
  if (suite.sharedCache && target !== 'shared-cache') {
    ctx.addIssue({ code: 'custom', path: ['target'], message: `is "${target}", but a suite behind the shared cache is served on the "shared-cache" origin: leave target out` });
  }
  const readers = suite.sharedCache?.readers ?? [];
  if (readers.length > 0 && new Set(readers).size < 2) {
    ctx.addIssue({ code: 'custom', path: ['sharedCache', 'readers'], message: `names one origin only (${readers[0]}): a second origin must read what the first one's request stored` });
  }
  if (readers.includes('null')) ctx.addIssue({ code: 'custom', path: ['sharedCache', 'readers'], message: 'holds "null": a sandboxed frame\'s reads cannot be told apart through the cache; name hosted origins' });
  if (suite.intent.origins !== '*' && suite.intent.origins.includes(target)) {
    ctx.addIssue({ code: 'custom', path: ['intent', 'origins'], message: `names the API's own origin "${target}": a same-origin read needs no CORS` });
  }
  if (target === 'null') ctx.addIssue({ code: 'custom', path: ['target'], message: 'the null origin cannot serve an API' });
}

const adapterSuiteSchema = z
  .object({
    middleware: z.enum(MIDDLEWARE_NAMES as [string, ...string[]], { error: `must be one of: ${MIDDLEWARE_NAMES.join(', ')}, or 'app' for your own app` }),
    options: z.custom<(o: unknown) => unknown>((v) => typeof v === 'function', 'must be a function of the harness origins returning the middleware options'),
    app: z.never({ error: "is only for middleware: 'app' (your own app); a built-in adapter takes its middleware's options" }).optional(),
    ...suiteFields,
  })
  .superRefine(checkTarget);

const appSuiteSchema = z
  .object({
    middleware: z.literal('app'),
    app: z.custom<(o: unknown, hooks: unknown) => unknown>(
      (v) => typeof v === 'function',
      'must be a function (origins, hooks) => request listener (or a promise of one) that builds your app for the harness origins',
    ),
    options: z.never({ error: "belongs to the built-in adapters: your own app takes its options inside app(origins, hooks)" }).optional(),
    ...suiteFields,
  })
  .superRefine(checkTarget);

/**
 * The reads of a suite behind the shared cache: each reader's simple read, in order, held to what the intent means
 * for that origin (a reader the intent does not name must read nothing).
 */
function sharedCacheRows(intent: Intent, readers: readonly OriginName[]): DerivedRow[] {
  const may = (o: OriginName): boolean => intent.origins === '*' || intent.origins.includes(o);
  const reads = deriveProbes(intent, readers.map((o) => [o, may(o)] as const)).filter((r) => r.probe === 'simple-read');
  return reads.map((row, i) => ({
    ...row,
    expect: { ...row.expect, why: `${row.expect.why ?? ''}; read ${i + 1} of ${reads.length} through the shared cache: whatever an earlier origin's request stored must not change it` },
  }));
}

/** Validates the suites, then derives each suite's cases from its intent. Throws ScenarioError naming every problem. */
export function loadMiddlewareCases(suites: readonly AnyMiddlewareSuite[]): Case[] {
  const problems: string[] = [];
  const cases: Case[] = [];
  const ids = new Set<string>();
  for (const [index, suite] of suites.entries()) {
    const where = `middleware suite ${typeof suite?.middleware === 'string' ? `"${suiteId(suite)}"` : `#${index + 1}`}`;
    const parsed = (suite?.middleware === 'app' ? appSuiteSchema : adapterSuiteSchema).safeParse(suite);
    if (!parsed.success) {
      problems.push(...describeIssues(where, parsed.error.issues));
      continue;
    }
    const id = suiteId(suite);
    if (ids.has(id)) problems.push(`${where}: field label: must be unique per middleware (and among 'app' suites), "${suite.label}" is used twice`);
    ids.add(id);
    const target = suite.target ?? (suite.sharedCache ? 'shared-cache' : 'cross-site');
    const server = `${suite.middleware} (${suite.label})`;
    const proves =
      suite.middleware === 'app'
        ? `the app "${suite.label}" does what it is meant to do in real engines`
        : `${suite.middleware} (${MIDDLEWARE_ADAPTERS[suite.middleware].packages}) does what its options were meant to do in real engines`;
    const rows = suite.sharedCache ? sharedCacheRows(suite.intent, suite.sharedCache.readers) : deriveRows(suite.intent, target);
    const serverOf = (i: number): string => (suite.sharedCache ? `${server}, read ${i + 1} of ${rows.length} through the shared cache` : server);
    rows.forEach((row, i) => {
      const { expect, finding, intendedVerdict } = withFindings(row, suite.findings ?? []);
      cases.push({
        id: suiteCaseId(suite.middleware, suite.label, i, `${row.probe} ${row.request.method} ${row.from}`),
        family: suite.family ?? `middleware ${suite.middleware}`,
        proves,
        title: caseTitle({ request: row.request, from: row.from, to: target, server: serverOf(i), expect }),
        server: serverOf(i),
        from: row.from,
        to: target,
        request: {
          method: row.request.method,
          headers: row.request.headers ?? {},
          body: null,
          credentials: row.request.credentials ?? 'same-origin',
          mode: 'cors',
          redirect: 'follow',
        },
        target: { kind: 'app', suite: id, middleware: suite.middleware, options: suite.optionsText },
        probe: row.probe,
        expect: intentUnderMixedContent(expect, harnessRequest(row.from, target)),
        verdictFrom: 'intent',
        ...(finding !== undefined && { finding }),
        ...(intendedVerdict !== undefined && { intendedVerdict }),
        // One URL for the suite's reads: a sequence of its own, whatever family the suite is reported under.
        ...(suite.sharedCache && { sequence: { id: `${suite.middleware}-${suite.label}`, step: i } }),
      });
    });
  }
  problems.push(...duplicateTitles(cases));
  if (problems.length) throw new ScenarioError(problems);
  return cases;
}
