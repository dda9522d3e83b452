import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import type { Ledger } from '../lib/model/ledger.ts';
import { DEFAULT_SESSION_COOKIES, sessionCookiesFromPath, setCookieLine } from '../lib/model/session-cookies.ts';

export const RUNNER_SCRIPT = readFileSync(new URL('./assets/runner.js', import.meta.url), 'utf8');
export const REQUEST_KINDS_SCRIPT = readFileSync(new URL('./assets/request-kinds.js', import.meta.url), 'utf8');

/** The page every case runs in. Its sandboxed frame has an opaque origin, so its requests carry `Origin: null`. */
export const RUNNER_PAGE = `<!doctype html>
<meta charset="utf-8">
<title>cors-matrix runner</title>
<script src="/__cm/runner.js"></script>
<script src="/__cm/request-kinds.js"></script>
<iframe id="null-origin-frame" sandbox="allow-scripts" src="/__cm/frame"></iframe>
`;

export const NULL_FRAME_PAGE = `<!doctype html>
<meta charset="utf-8">
<title>cors-matrix null-origin frame</title>
<script src="/__cm/runner.js"></script>
<script src="/__cm/request-kinds.js"></script>
`;

/** The default session's Set-Cookie lines (cm_lax, cm_none). */
export const HARNESS_COOKIES = DEFAULT_SESSION_COOKIES.map(setCookieLine);

/**
 * Answers a first-party visit to the session-cookie route (`sessionCookiePath()`) by setting exactly the cookies it
 * names, or the default session when it names none. A spec the route cannot read is a fault, answered 400.
 */
export function answerSessionCookies(pathAndQuery: string, res: ServerResponse, ledger: Ledger): void {
  let lines: string[];
  try {
    lines = sessionCookiesFromPath(pathAndQuery).map(setCookieLine);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    ledger.fault('server-fault', `the session-cookie route could not read its cookies: ${message}`);
    res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' }).end(message);
    return;
  }
  res.writeHead(200, { 'Set-Cookie': lines, 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(`<!doctype html><title>cookies set</title><p>${lines.length} cookies set`);
}
