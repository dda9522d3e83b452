import { createServer as createHttpServer, request as httpRequest, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Ledger } from '../lib/model/ledger.ts';
import { recordThrough, type HandlerRuns } from './app-recorder.ts';
import { certificateFor } from './certificate.ts';

/** The query parameter that names the case on a request to your server, so the ledger can file it. */
export const CASE_QUERY = 'cm_case';

export interface FrontProxySettings {
  /** Host names whose pages the harness serves (your page origins and attackers). */
  readonly pageHosts: readonly string[];
  /** The host name browsers use for your API. */
  readonly apiHost: string;
  /** Where your server really listens: a loopback URL. */
  readonly target: URL;
  readonly pages: RequestListener;
  readonly ledger: Ledger;
  readonly handlerRuns: HandlerRuns;
}

export interface FrontProxy {
  /** `http://127.0.0.1:PORT`, for the engines' proxy settings. */
  readonly url: string;
  close(): Promise<void>;
}

function hostName(hostHeader: string | undefined): string {
  return (hostHeader ?? '').replace(/:\d+$/, '').toLowerCase();
}

/** Forwards a request to your server untouched and its answer back, duplicate header lines kept. */
function reverseProxy(target: URL, ledger: Ledger): RequestListener {
  return (req, res) => {
    const upstream = httpRequest({ hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      const status = answer.statusCode ?? 502;
      if (status >= 500) ledger.fault(`your server at ${target.origin} answered ${req.method} ${req.url} with ${status}`);
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
      ledger.fault(`your server at ${target.origin} did not answer ${req.method} ${req.url}: ${error.code ?? error.message}`);
      if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' });
      res.end('cors-matrix: the target did not answer');
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
  const pageHosts = new Set(settings.pageHosts.map((h) => h.toLowerCase()));
  const apiHost = settings.apiHost.toLowerCase();
  const toTarget = reverseProxy(settings.target, settings.ledger);
  const known = (host: string): boolean => pageHosts.has(host) || host === apiHost;

  const route: RequestListener = (req, res) => {
    const host = hostName(req.headers.host);
    if (pageHosts.has(host)) return settings.pages(req, res);
    if (host === apiHost) {
      const key = new URL(req.url ?? '/', 'http://x').searchParams.get(CASE_QUERY) ?? 'unnamed';
      return recordThrough(key, req, res, toTarget, settings.ledger, settings.handlerRuns);
    }
    refuse(res, host);
  };
  const refuse = (res: ServerResponse, host: string): void => {
    res.writeHead(502, { 'Content-Type': 'text/plain' }).end(`cors-matrix: ${host} is not part of this run; the proxy reaches only loopback`);
  };

  const tls = createHttpsServer(await certificateFor([...pageHosts, apiHost]), route);
  const proxy = createHttpServer((req: IncomingMessage, res: ServerResponse) => {
    // A proxied plain-http request names the whole URL; the pages and the API expect a path.
    try {
      const absolute = new URL(req.url ?? '');
      req.url = `${absolute.pathname}${absolute.search}`;
    } catch {
      // already a path
    }
    route(req, res);
  });
  proxy.on('connect', (req: IncomingMessage, socket, head: Buffer) => {
    const host = hostName(req.url);
    if (!known(host)) {
      socket.end(`HTTP/1.1 502 Bad Gateway\r\n\r\n`);
      return;
    }
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length > 0) socket.unshift(head);
    tls.emit('connection', socket);
  });
  await new Promise<void>((resolve, reject) => {
    proxy.once('error', reject);
    proxy.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = proxy.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        proxy.closeAllConnections();
        tls.closeAllConnections();
        tls.close();
        proxy.close(() => resolve());
      }),
  };
}
