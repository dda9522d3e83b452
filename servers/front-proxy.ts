import { createServer as createHttpServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createSecureContext } from 'node:tls';
import type { Duplex } from 'node:stream';
import { CASE_QUERY } from '../lib/model/case-identity.ts';
import type { Ledger } from '../lib/model/ledger.ts';
import { isSessionCookiePath } from '../lib/model/session-cookies.ts';
import { recordThrough, type HandlerRuns } from './app-recorder.ts';
import { certificateFor } from './certificate.ts';
import { recordHandshakes } from './handshake-recorder.ts';
import { tapTunnel } from './tapped-tunnel.ts';
import { answerSessionCookies } from './pages.ts';
import { describeUpstreamFailure, HELD_BACK_HEADER, holdsBack, LOCAL_UPSTREAM, requestUpstream, type UpstreamSettings } from './upstream.ts';
import { gateFor, withinBudget } from './upstream-budget.ts';

export { upstreamOf } from './upstream.ts';

/** Kept for importers; lib/model/case-identity.ts owns the name. */
export { CASE_QUERY } from '../lib/model/case-identity.ts';

/** The ledger key of a request to your server that names no case (a stray request, a favicon). */
export const UNNAMED_CASE = 'unnamed';

export interface FrontProxySettings {
  /** Host names whose pages the harness serves (your page origins and attackers). */
  readonly pageHosts: readonly string[];
  /** The host name browsers use for your API. */
  readonly apiHost: string;
  /**
   * The port of your API origin (`5173` for `http://localhost:5173`, `443` for `https://api.example.com`): it tells the
   * API from a page on the same host name. Without it the host name alone names the API.
   */
  readonly apiPort?: string;
  /** Where your server really listens: a loopback URL, or a deployed one when `upstream.deployed`. */
  readonly target: URL;
  /** How a deployed target is reached (DNS pins, private CA, writes held back). Default: a server on this machine. */
  readonly upstream?: UpstreamSettings;
  readonly pages: RequestListener;
  readonly ledger: Ledger;
  readonly handlerRuns: HandlerRuns;
  /** Why your server is not answering, when the harness knows (its command ended). */
  readonly targetEnded?: () => string | undefined;
  /**
   * https to the API host goes to your server as bytes, recorded from the passing stream (servers/tapped-tunnel.ts),
   * when your server is on this machine over http. The cors fixture's proxy sets it; the matrix, whose own pages and
   * session cookies the proxy answers on the API's host, does not.
   */
  readonly tapTunnels?: boolean;
}

export interface FrontProxy {
  /** `http://127.0.0.1:PORT`, for the engines' proxy settings. */
  readonly url: string;
  /**
   * Takes a proxy request that reached another proxy of this process (the cors fixture's, lib/e2e/api-proxy.ts), as
   * if it had come to `url`: no second connection, and no bytes piped between two sockets of one process.
   */
  takeRequest(req: IncomingMessage, res: ServerResponse): void;
  /** Takes a CONNECT that reached another proxy of this process, as if it had come to `url`. */
  takeConnect(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): Promise<void>;
}

/** The case a request to your server names (its CASE_QUERY parameter), if any. */
function caseKeyIn(pathAndQuery: string): string | undefined {
  try {
    return new URL(pathAndQuery, 'http://api.invalid').searchParams.get(CASE_QUERY) ?? undefined;
  } catch {
    return undefined;
  }
}

const LOOPBACK_TARGET = /^(localhost|127(\.\d{1,3}){3}|\[::1\]|[a-z0-9.-]+\.localhost)$/i;

function hostName(hostHeader: string | undefined): string {
  return (hostHeader ?? '').replace(/:\d+$/, '').toLowerCase();
}

/** The port a Host line (or CONNECT target) names, or the scheme's default. */
function portOf(hostHeader: string | undefined, scheme: 'http' | 'https'): string {
  return /:(\d+)$/.exec(hostHeader ?? '')?.[1] ?? (scheme === 'https' ? '443' : '80');
}

// A server that crashes drops its connections a moment before its process is seen to end.
const EXIT_SETTLE_MS = 300;

/** The origin grant of a preflight's answer, per case: what a held-back write's answer repeats. */
type PreflightGrants = Map<string, Record<string, string>>;

function originGrant(headers: IncomingMessage['headers']): Record<string, string> {
  const grant: Record<string, string> = {};
  for (const name of ['access-control-allow-origin', 'access-control-allow-credentials']) {
    const value = headers[name];
    if (typeof value === 'string') grant[name] = value;
  }
  return grant;
}

/** Forwards a request to your server untouched and its answer back, duplicate header lines kept. */
function reverseProxy(target: URL, settings: UpstreamSettings, ledger: Ledger, key: string | undefined, targetEnded: () => string | undefined, grants: PreflightGrants): RequestListener {
  return (req, res) => {
    if (holdsBack(req.method, settings)) {
      // A write to a live API is answered here and never forwarded: the engine's decision to send it is the
      // measurement. The answer repeats the origin grant the server gave this case's preflight (none without one),
      // so the read verdict is the server's grant, and the header says the answer is the proxy's.
      req.resume();
      res.writeHead(204, { ...grants.get(key ?? UNNAMED_CASE), [HELD_BACK_HEADER]: `held back: ${req.method} not forwarded to ${target.host} (allowWrites is off)` }).end();
      return;
    }
    const upstream = requestUpstream(target, settings, req.method, req.url, req.headers, (answer) => {
      if (settings.deployed && req.method === 'OPTIONS') grants.set(key ?? UNNAMED_CASE, originGrant(answer.headers));
      const status = answer.statusCode ?? 502;
      const grouped = new Map<string, string[]>();
      for (let i = 0; i + 1 < answer.rawHeaders.length; i += 2) {
        const name = answer.rawHeaders[i] ?? '';
        grouped.set(name, [...(grouped.get(name) ?? []), answer.rawHeaders[i + 1] ?? '']);
      }
      for (const [name, values] of grouped) res.setHeader(name, values.length === 1 ? (values[0] ?? '') : values);
      res.statusCode = status;
      answer.pipe(res);
    });
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      const at = Date.now();
      setTimeout(() => {
        const ended = targetEnded();
        const why = settings.deployed ? describeUpstreamFailure(error, target, settings) : (error.code ?? error.message);
        ledger.fault('target-unreachable', `your server at ${target.origin} did not answer ${req.method} ${req.url}: ${why}${ended ? ` (${ended})` : ''}`, key, at);
        if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' });
        res.end('cors-matrix: the target did not answer');
      }, EXIT_SETTLE_MS);
    });
    req.pipe(upstream);
  };
}

/**
 * A forwarding proxy on 127.0.0.1 that gives arbitrary host names a home on this machine without touching
 * /etc/hosts: page hosts get the harness's pages, the API host reaches your server through the ledger, and every
 * other host is refused, so no request leaves loopback. https is terminated here with a certificate generated for
 * exactly these names.
 */
export async function startFrontProxy(settings: FrontProxySettings): Promise<FrontProxy> {
  const upstream = settings.upstream ?? LOCAL_UPSTREAM;
  // A deployed target is named in the config; anything else must be on this machine. Either way the proxy forwards
  // to that one target only: it is no open proxy.
  if (!upstream.deployed && !LOOPBACK_TARGET.test(settings.target.hostname)) throw new Error(`the front proxy forwards only to loopback; ${settings.target.origin} is not on this machine`);
  const grants: PreflightGrants = new Map();
  // A deployed target gets a request budget and a rate, printed now, before anything is forwarded.
  const gate = gateFor(settings.target, upstream);
  const pageHosts = new Set(settings.pageHosts.map((h) => h.toLowerCase()));
  const apiHost = settings.apiHost.toLowerCase();
  const known = (host: string): boolean => pageHosts.has(host) || host === apiHost;
  // A dev server's API and the page that calls it often share a host name (http://localhost:3000 calling
  // http://localhost:5173): then the port tells them apart. Otherwise the host name alone names the API.
  const isApi = (host: string, port: string): boolean => host === apiHost && (port === settings.apiPort || !pageHosts.has(host));

  const routeFor = (scheme: 'http' | 'https'): RequestListener => (req, res) => {
    const host = hostName(req.headers.host);
    if (isApi(host, portOf(req.headers.host, scheme))) {
      const url = req.url ?? '/';
      // The victim's session is planted on your API's own host, by the proxy, before credentialed cases run.
      if (isSessionCookiePath(url)) return answerSessionCookies(url, res, settings.ledger);
      // Your paths are your own (they may well start with /api/): only the query names the case here.
      const key = caseKeyIn(url);
      return recordThrough(key ?? UNNAMED_CASE, req, res, withinBudget(gate, settings.ledger, key, (r) => !holdsBack(r.method, upstream), reverseProxy(settings.target, upstream, settings.ledger, key, settings.targetEnded ?? (() => undefined), grants)), settings.ledger, settings.handlerRuns);
    }
    if (pageHosts.has(host)) return settings.pages(req, res);
    refuse(res, host);
  };
  const refuse = (res: ServerResponse, host: string): void => {
    res.writeHead(502, { 'Content-Type': 'text/plain' }).end(`cors-matrix: ${host} is not part of this run; the proxy reaches only loopback`);
  };

  const credentials = await certificateFor([...pageHosts, apiHost]);
  const tls = createHttpsServer(credentials, routeFor('https'));
  const tapsApi = settings.tapTunnels === true && !upstream.deployed && settings.target.protocol === 'http:';
  const tunnelSettings = { target: settings.target, ledger: settings.ledger, secureContext: createSecureContext(credentials), caseKeyOf: (path: string) => caseKeyIn(path) ?? UNNAMED_CASE };
  const tunnels = new Set<() => void>();
  recordHandshakes(tls, settings.ledger);
  const proxy = createHttpServer((req: IncomingMessage, res: ServerResponse) => {
    // A proxied plain-http request names the whole URL; the pages and the API expect a path. The URL's host is the
    // one asked for, whatever the Host line says (RFC 9112 §3.2.2), so that is the host the proxy routes (or refuses).
    try {
      const absolute = new URL(req.url ?? '');
      req.url = `${absolute.pathname}${absolute.search}`;
      req.headers.host = absolute.host;
    } catch {
      // already a path
    }
    routeFor('http')(req, res);
  });
  const onConnect = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const host = hostName(req.url);
    if (!known(host)) {
      socket.end(`HTTP/1.1 502 Bad Gateway\r\n\r\n`);
      return;
    }
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length > 0) socket.unshift(head);
    if (tapsApi && isApi(host, portOf(req.url, 'https'))) {
      const end = tapTunnel(socket, tunnelSettings);
      tunnels.add(end);
      socket.once('close', () => tunnels.delete(end));
      return;
    }
    tls.emit('connection', socket);
  };
  proxy.on('connect', onConnect);
  await new Promise<void>((resolve, reject) => {
    proxy.once('error', reject);
    proxy.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = proxy.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    takeRequest: (req, res) => proxy.emit('request', req, res),
    takeConnect: onConnect,
    close: () =>
      new Promise<void>((resolve) => {
        for (const end of tunnels) end();
        proxy.closeAllConnections();
        tls.closeAllConnections();
        tls.close();
        proxy.close(() => resolve());
      }),
  };
}
