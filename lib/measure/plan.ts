// Planning a batch: each case registered under a fresh key, turned into the request the page makes, and grouped into
// units (a case, or every step of a sequence). Shared by the batch and by the benchmark's floor, which sends the same
// requests bare.
import type { RunningServers } from '../../servers/start-servers.ts';
import type { CaseTarget as RegisteredTarget } from '../../servers/case-registry.ts';
import { casePath, sequenceCaseId, withCaseQuery } from '../model/case-identity.ts';
import { hostingOrigin, serializedOrigin } from '../model/origins.ts';
import type { PageRequest } from '../model/page-report.ts';
import type { Case } from '../model/scenario.ts';

/** Per request: past this the page gives up and the case is a harness error. */
export const REQUEST_TIMEOUT_MS = 10_000;

/** One case to measure; the same case may be measured more than once in a batch (`--repeat-each`). */
export interface MeasureItem {
  readonly testCase: Case;
  readonly repeat: number;
}

export interface PlannedCase {
  readonly item: MeasureItem;
  readonly testCase: Case;
  readonly key: string;
  readonly pageUrl: string;
  readonly request: PageRequest;
  readonly requestOrigin: string;
  /** The origin whose cookies the case may carry: where the victim's session is planted first-party. */
  readonly apiOrigin: string;
}

/** Cases that share engine state, in step order; an independent case is a unit of one. */
export interface PlannedUnit {
  readonly cases: readonly PlannedCase[];
  /** All steps are requested from one page, so the page can run them on its own. */
  readonly pageUrl: string | undefined;
}

/** What the registry must hold for a case: its target, resolved (a real app's listener is built on first need). */
export type TargetResolver = (testCase: Case) => Promise<RegisteredTarget>;

/** Registers every item under a fresh key (a sequence's steps under one shared key) and groups them into units. */
export async function planUnits(items: readonly MeasureItem[], servers: RunningServers, resolve: TargetResolver): Promise<PlannedUnit[]> {
  const { origins, registry } = servers;
  const sequenceKeys = new Map<string, string>();
  const units = new Map<string, PlannedCase[]>();
  for (const [index, item] of items.entries()) {
    const { testCase } = item;
    const sequence = testCase.sequence && `${testCase.family}/${testCase.sequence.id}#${item.repeat}`;
    let key = sequence === undefined ? undefined : sequenceKeys.get(sequence);
    if (key === undefined) {
      key = registry.register(testCase.sequence ? sequenceCaseId(testCase.family, testCase.sequence.id) : testCase.id, await resolve(testCase));
      if (sequence !== undefined) sequenceKeys.set(sequence, key);
    }
    const { target } = testCase;
    const url = target.kind === 'external' ? withCaseQuery(target.url, key) : `${origins[testCase.to]}${casePath(key)}`;
    const pageUrl = `${target.kind === 'external' ? target.pageOrigin : origins[hostingOrigin(testCase.from)]}/__cm/page`;
    const request: PageRequest = {
      ...(testCase.request.kind !== undefined && { kind: testCase.request.kind }),
      url,
      method: testCase.request.method,
      headers: Object.entries(testCase.request.headers),
      body: testCase.request.body,
      credentials: testCase.request.credentials,
      mode: testCase.request.mode,
      redirect: testCase.request.redirect,
      inNullFrame: testCase.from === 'null',
      timeoutMs: REQUEST_TIMEOUT_MS,
    };
    const requestOrigin = target.kind === 'external' && testCase.from !== 'null' ? target.pageOrigin : serializedOrigin(testCase.from, origins);
    const apiOrigin = target.kind === 'external' ? new URL(target.url).origin : origins[testCase.to];
    const planned: PlannedCase = { item, testCase, key, pageUrl, request, requestOrigin, apiOrigin };
    const unitId = sequence ?? `item:${index}`;
    units.set(unitId, [...(units.get(unitId) ?? []), planned]);
  }
  return [...units.values()].map((steps) => {
    const pages = new Set(steps.map((s) => s.pageUrl));
    return { cases: steps, pageUrl: pages.size === 1 ? steps[0]?.pageUrl : undefined };
  });
}
