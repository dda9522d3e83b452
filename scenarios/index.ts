import { loadCases } from '../lib/load-cases.ts';
import type { Case, ScenarioFamily } from '../lib/scenario.ts';
import credentials from './credentials.ts';
import exposedHeaders from './exposed-headers.ts';
import harnessChecks from './harness-checks.ts';
import originAllowList from './origin-allow-list.ts';
import preflight from './preflight.ts';
import simpleRequests from './simple-requests.ts';

export const FAMILIES: readonly ScenarioFamily[] = [simpleRequests, originAllowList, preflight, credentials, exposedHeaders, harnessChecks];

/** Validated at import, so bad input stops the run before any browser starts. */
export const ALL_CASES: readonly Case[] = loadCases(FAMILIES);

export const CASES_BY_FAMILY: ReadonlyMap<string, readonly Case[]> = new Map(
  FAMILIES.map(({ family }) => [family, ALL_CASES.filter((c) => c.family === family)]),
);
