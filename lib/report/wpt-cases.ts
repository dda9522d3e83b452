import { loadCases } from '../model/load-cases.ts';
import type { WptSubtest } from '../model/scenario.ts';
import wptCors from '../../scenarios/wpt-cors.ts';

let byId: ReadonlyMap<string, WptSubtest> | undefined;

/** The WPT subtest of a case of the wpt-cors family, by case id; loaded once, on first use. */
export function wptSubtestOf(caseId: string): WptSubtest | undefined {
  byId ??= new Map(loadCases([wptCors]).flatMap((c) => (c.wpt ? [[c.id, c.wpt] as const] : [])));
  return byId.get(caseId);
}
