import type { CaseRecord } from '../judge/case-record.ts';

/** One declared finding as the engines showed it: who got through, with which cookies, where. */
export interface FindingSeen {
  readonly caseId: string;
  readonly finding: string;
  readonly suite: string;
  readonly from: string;
  readonly requestOrigin: string;
  readonly request: string;
  readonly credentials: string;
  readonly engines: readonly { readonly project: string; readonly verdict: string; readonly cookies: readonly string[] }[];
}

/** Groups the records that carry a finding by case, once, for the terminal and the HTML report alike. */
export function findingsSeen(records: readonly { readonly project: string; readonly case?: CaseRecord }[]): FindingSeen[] {
  const seen = new Map<string, FindingSeen & { engines: FindingSeen['engines'][number][] }>();
  for (const { project, case: c } of records) {
    if (!c?.finding) continue;
    const headers = Object.keys(c.request.headers);
    const entry = seen.get(c.caseId) ?? {
      caseId: c.caseId,
      finding: c.finding,
      suite: c.app?.suite ?? c.family,
      from: c.from,
      requestOrigin: c.requestOrigin,
      // Your own server's cases name their route; the harness's own routes are per-case keys, which say nothing.
      request: `${c.request.method}${headers.length ? ` [${headers.join(', ')}]` : ''}${c.external ? ` ${new URL(c.external.url).pathname}` : ''}`,
      credentials: c.request.credentials,
      engines: [],
    };
    entry.engines.push({ project, verdict: c.outcome.verdict, cookies: c.outcome.cookiesReceived.filter((n) => n.startsWith('cm_')) });
    seen.set(c.caseId, entry);
  }
  return [...seen.values()];
}

export function describeFinding(f: FindingSeen): string {
  const withCookies = f.credentials === 'include';
  const engines = f.engines.map((e) => `${e.project}: ${e.verdict}${e.verdict === 'allowed' && withCookies ? `, cookies [${e.cookies.join(', ')}]` : ''}`).join('; ');
  return `${f.suite}: ${f.request} credentials=${f.credentials} from ${f.from} (${f.requestOrigin})\n      ${f.finding}\n      ${engines}`;
}
