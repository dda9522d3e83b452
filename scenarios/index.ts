import { loadCases } from '../lib/model/load-cases.ts';
import { loadMiddlewareCases } from '../lib/model/load-middleware-cases.ts';
import { suiteOf, type Case, type ScenarioFamily } from '../lib/model/scenario.ts';
import credentials from './credentials.ts';
import exposedHeaders from './exposed-headers.ts';
import harnessChecks from './harness-checks.ts';
import middlewareSuites from './middleware.ts';
import auditSuites from './audit.ts';
import originAllowList from './origin-allow-list.ts';
import preflight from './preflight.ts';
import simpleRequests from './simple-requests.ts';
import errorStatuses from './error-statuses.ts';
import redirects from './redirects.ts';
import requestKinds from './request-kinds.ts';
import noCorsAndCsrf from './no-cors-and-csrf.ts';
import localNetworkAccess from './local-network-access.ts';
import preflightCache from './preflight-cache.ts';
import httpCache from './http-cache.ts';
import sharedCache from './shared-cache.ts';
import tokens from './tokens.ts';
import wptCors from './wpt-cors.ts';

export const FAMILIES: readonly ScenarioFamily[] = [simpleRequests, originAllowList, preflight, credentials, exposedHeaders, harnessChecks, redirects, errorStatuses, requestKinds, noCorsAndCsrf, localNetworkAccess, preflightCache, httpCache, sharedCache, tokens, wptCors];

/** Validated at import, so bad input stops the run before any browser starts. */
export const ALL_CASES: readonly Case[] = loadCases(FAMILIES);

export const CASES_BY_FAMILY: ReadonlyMap<string, readonly Case[]> = new Map(
  FAMILIES.map(({ family }) => [family, ALL_CASES.filter((c) => c.family === family)]),
);

/** The middleware suites and the attacker-origin audit, which is a middleware suite per class of broken origin check. */
export const MIDDLEWARE_SUITES = [...middlewareSuites, ...auditSuites];

/** Every middleware suite's cases, derived from its intent; validated at import like the scenarios. */
export const MIDDLEWARE_CASES: readonly Case[] = loadMiddlewareCases(MIDDLEWARE_SUITES);

export const MIDDLEWARE_CASES_BY_SUITE: ReadonlyMap<string, readonly Case[]> = new Map(
  [...new Set(MIDDLEWARE_CASES.map((c) => suiteOf(c) ?? ''))].map((suite) => [suite, MIDDLEWARE_CASES.filter((c) => suiteOf(c) === suite)]),
);
