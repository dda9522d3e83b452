import { deriveProbes, type DerivedRow } from '../intent.ts';
import { slug } from '../load-cases.ts';
import type { Case, EngineDeviation, Expectation } from '../scenario.ts';
import { caseTitle } from '../title.ts';
import { DEFAULT_API_ORIGIN, type OwnServerConfig } from './config.ts';

/** The origin a null-origin request comes from: a sandboxed frame inside this page. */
const NULL = 'null';

type Finding = NonNullable<OwnServerConfig['findings']>[number];

function expectationFor(row: DerivedRow<string>, findings: readonly Finding[]): { expect: Expectation; finding?: string } {
  let expect: Expectation = { verdict: row.expect.verdict ?? 'allowed', ...row.expect };
  const fromMatches = (from: Finding['from']): boolean => from === undefined || (typeof from === 'string' ? from === row.from : from.includes(row.from));
  const matched = findings.filter((f) => f.probe === row.probe && fromMatches(f.from));
  for (const f of matched) {
    if (!f.engines) {
      expect = { ...expect, ...f.observed, why: `finding: ${f.finding}` };
      continue;
    }
    const engines: Record<string, EngineDeviation> = { ...expect.engines };
    for (const engine of f.engines) engines[engine] = { ...engines[engine], ...f.observed, because: `finding: ${f.finding}` };
    expect = { ...expect, engines };
  }
  return matched.length ? { expect, finding: matched.map((f) => f.finding).join(' / ') } : { expect };
}

/** Every case that checks your server against your intent, per route, from your page origins and your attackers. */
export function ownServerCases(config: OwnServerConfig): Case[] {
  const api = config.apiOrigin ?? DEFAULT_API_ORIGIN;
  const allowed = config.intent.origins === '*' ? [config.attackers?.[0] ?? 'https://app.cors-matrix.test'] : [...config.intent.origins];
  const anyOrigin = config.intent.origins === '*';
  const outsiders = [...(config.attackers ?? []).filter((o) => !allowed.includes(o)), NULL];
  const hostPage = allowed[0] ?? api;
  const tried = [...allowed.map((o) => [o, true] as const), ...outsiders.map((o) => [o, anyOrigin] as const)];
  return config.routes.flatMap((route) => {
    const routeMethods = (route.methods ?? ['GET']).map((m) => m.toUpperCase());
    const methods = (config.intent.methods ?? []).filter((m) => routeMethods.includes(m.toUpperCase()));
    const url = `${api}${route.path}`;
    return deriveProbes({ ...config.intent, methods }, tried).map((row, i): Case => {
      const { expect, finding } = expectationFor(row, config.findings ?? []);
      return {
        id: `own-server-${slug(`${new URL(api).hostname} ${route.path}`)}-${String(i + 1).padStart(3, '0')}-${slug(`${row.probe} ${row.request.method} ${row.from}`)}`,
        family: 'own-server',
        proves: 'your server does what you meant, in real engines, from your page origins and from attackers',
        title: caseTitle({ request: row.request, from: row.from, to: url, server: 'your server', expect }),
        server: 'your server',
        from: row.from === NULL ? 'null' : 'page',
        to: 'cross-site',
        request: { method: row.request.method, headers: row.request.headers ?? {}, body: null, credentials: row.request.credentials ?? 'same-origin', mode: 'cors', redirect: 'follow' },
        external: { pageOrigin: row.from === NULL ? hostPage : row.from, url },
        expect,
        verdictFrom: 'intent',
        ...(finding !== undefined && { finding }),
      };
    });
  });
}
