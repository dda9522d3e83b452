import type { MatrixResults } from './results.ts';

/** One declared finding as the engines showed it: who got through, with which cookies, where. */
export interface FindingSeen {
  readonly finding: string;
  readonly suite: string;
  readonly from: string;
  readonly requestOrigin: string;
  readonly request: string;
  readonly engines: readonly { readonly engine: string; readonly verdict: string; readonly cookies: readonly string[] }[];
}

export function findingsSeen(results: MatrixResults): FindingSeen[] {
  const seen = new Map<string, FindingSeen & { engines: FindingSeen['engines'][number][] }>();
  for (const { case: c } of results.records) {
    if (!c?.finding) continue;
    const request = `${c.request.method}${Object.keys(c.request.headers).length ? ` [${Object.keys(c.request.headers).join(', ')}]` : ''} credentials=${c.request.credentials}`;
    const key = `${c.app?.suite ?? c.family}|${c.caseId}`;
    const entry = seen.get(key) ?? { finding: c.finding, suite: c.app?.suite ?? c.family, from: c.from, requestOrigin: c.requestOrigin, request, engines: [] };
    entry.engines.push({ engine: c.engine.name, verdict: c.outcome.verdict, cookies: c.outcome.cookiesReceived.filter((n) => n.startsWith('cm_')) });
    seen.set(key, entry);
  }
  return [...seen.values()];
}

export function describeFinding(f: FindingSeen): string {
  const engines = f.engines.map((e) => `${e.engine}: ${e.verdict}${e.verdict === 'allowed' && f.request.includes('include') ? `, cookies [${e.cookies.join(', ')}]` : ''}`).join('; ');
  return `${f.suite}: ${f.request} from ${f.from} (${f.requestOrigin})\n      ${f.finding}\n      ${engines}`;
}
