import { intentUnderMixedContent } from './case-oracle.ts';
import { withFindings } from './findings.ts';
import { deriveProbes } from './intent.ts';
import { ownServerCaseId } from './case-identity.ts';
import type { Case } from './scenario.ts';
import { caseTitle } from './title.ts';
import { apiOriginOf, type OwnServerConfig } from './own-server-config.ts';

/** The origin a null-origin request comes from: a sandboxed frame inside this page. */
const NULL = 'null';

/** Every case that checks your server against your intent, per route, from your page origins and your attackers. */
export function ownServerCases(config: OwnServerConfig): Case[] {
  const api = apiOriginOf(config);
  const allowed = config.intent.origins === '*' ? [config.attackers?.[0] ?? 'https://app.cors-matrix.test'] : [...config.intent.origins];
  const anyOrigin = config.intent.origins === '*';
  const outsiders = [...(config.attackers ?? []).filter((o) => !allowed.includes(o)), NULL];
  const hostPage = allowed[0] ?? api;
  const tried = [...allowed.map((o) => [o, true] as const), ...outsiders.map((o) => [o, anyOrigin] as const)];
  return config.routes.flatMap((route) => {
    const routeMethods = (route.methods ?? ['GET']).map((m) => m.toUpperCase());
    const methods = (config.intent.methods ?? []).filter((m) => routeMethods.includes(m.toUpperCase()));
    const url = `${api}${route.path}`;
    return deriveProbes({ ...config.intent, methods }, tried, 'as-the-page-sends').map((row, i): Case => {
      const { expect, finding, intendedVerdict } = withFindings(row, config.findings ?? []);
      return {
        // The port too: two dev servers on localhost (:5173 and :5174) are two APIs. A default port is not written.
        id: ownServerCaseId(new URL(api).host, route.path, i, `${row.probe} ${row.request.method} ${row.from}`),
        family: 'own-server',
        proves: 'your server does what you meant, in real engines, from your page origins and from attackers',
        title: caseTitle({ request: row.request, from: row.from, to: url, server: 'your server', expect }),
        server: 'your server',
        from: row.from === NULL ? 'null' : 'page',
        to: 'cross-site',
        request: { method: row.request.method, headers: row.request.headers ?? {}, body: null, credentials: row.request.credentials ?? 'same-origin', mode: 'cors', redirect: 'follow' },
        target: { kind: 'external', pageOrigin: row.from === NULL ? hostPage : row.from, url, ...(config.server !== undefined && { server: config.server }) },
        probe: row.probe,
        // A null-origin frame (sandboxed) is judged as mixed content by the page that made it: its own origin is opaque,
        // and the Mixed Content check looks at the ancestors, so an https host page prohibits http from the frame too.
        expect: intentUnderMixedContent(expect, { pageOrigin: row.from === NULL ? hostPage : row.from, url }),
        verdictFrom: 'intent',
        ...(finding !== undefined && { finding }),
        ...(intendedVerdict !== undefined && { intendedVerdict }),
      };
    });
  });
}
