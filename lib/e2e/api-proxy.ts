/**
 * The one proxy a test's browser context uses. Requests to your API's origins go through the harness's forwarding
 * proxy (servers/front-proxy.ts, as in own-server mode: one per origin, each recording into the same ledger, https
 * terminated there), so preflights and answers are recorded exactly as sent on the wire; every other request (your
 * frontend, its assets) is tunnelled to where it was addressed, untouched and unrecorded.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { Duplex } from 'node:stream';
import { startFrontProxy, type FrontProxy } from '../../servers/front-proxy.ts';
import type { HandlerRuns } from '../../servers/app-recorder.ts';
import { Ledger } from '../model/ledger.ts';
import type { CheckedCorsOptions } from './options.ts';

export interface ApiProxy {
  /** `http://127.0.0.1:PORT`, the context's proxy server. */
  readonly url: string;
  /** What reached your API through the proxy: every request, preflights included, and what it was answered. */
  readonly ledger: Ledger;
  /** The API origins routed, e.g. `https://api.example.com`. */
  readonly origins: readonly string[];
  /**
   * SHA-256 of the public keys (SPKI, base64) of the certificates the proxy serves for the https API origins: what
   * Chromium's --ignore-certificate-errors-spki-list takes, so that it accepts these and no other.
   */
  readonly certificateKeys: readonly string[];
  close(): Promise<void>;
}

const CLOSE_WAIT_MS = 2_000;
const DEFAULT_PORT = { 'http:': '80', 'https:': '443' } as const;

function hostPort(host: string, scheme: 'http:' | 'https:'): string {
  const url = new URL(`${scheme}//${host}`);
  return `${url.hostname}:${url.port || DEFAULT_PORT[scheme]}`.toLowerCase();
}

function portOfUrl(url: string): number {
  const parsed = new URL(url);
  return Number(parsed.port);
}

/** Pipes a tunnel both ways; either side closing closes the other. */
function splice(a: Duplex, b: Duplex): void {
  a.pipe(b);
  b.pipe(a);
  const end = (): void => {
    a.destroy();
    b.destroy();
  };
  a.on('error', end);
  b.on('error', end);
  a.on('close', end);
  b.on('close', end);
}

/** The public key hash of the certificate a front proxy serves for an https origin, read through a CONNECT as an engine would. */
async function certificateKeyOf(front: FrontProxy, origin: URL): Promise<string> {
  const authority = `${origin.hostname}:${origin.port || '443'}`;
  const socket = connect(portOfUrl(front.url), '127.0.0.1');
  await once(socket, 'connect');
  socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n\r\n`);
  let head = '';
  while (!head.includes('\r\n\r\n')) {
    const [chunk] = (await once(socket, 'data')) as [Buffer];
    head += chunk.toString('latin1');
  }
  const tls = tlsConnect({ socket, servername: origin.hostname, rejectUnauthorized: false });
  try {
    await once(tls, 'secureConnect');
    const key = new X509Certificate(tls.getPeerCertificate().raw).publicKey.export({ type: 'spki', format: 'der' });
    return createHash('sha256').update(key).digest('base64');
  } finally {
    tls.destroy();
  }
}

/**
 * For a replay (cors.replayIn): the harness's own servers stand in for your frontend's origins, as in own-server
 * mode. Their ledger records the API's arrivals, their pages are served under your page hosts, and a request to any
 * other host is refused, so nothing leaves loopback.
 */
export interface ReplayPages {
  /** Host names of the page origins the replay's requests come from (`127.0.0.1`, `app.example.com`). */
  readonly hosts: readonly string[];
  /** The harness's pages (the matrix's runner page). */
  readonly listener: RequestListener;
  readonly ledger: Ledger;
  readonly handlerRuns: HandlerRuns;
}

export async function startApiProxy(options: CheckedCorsOptions, replay?: ReplayPages): Promise<ApiProxy> {
  const ledger = replay?.ledger ?? new Ledger();
  const handlerRuns: HandlerRuns = replay?.handlerRuns ?? new WeakSet();
  // The front proxy serves pages too in own-server mode; here your frontend is reached directly, so it serves none.
  const noPages = (_req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(502, { 'Content-Type': 'text/plain' }).end('cors-matrix: not an API origin');
  };
  const pageHosts = new Set((replay?.hosts ?? []).map((h) => h.toLowerCase()));
  const fronts = new Map<string, FrontProxy>();
  const started: FrontProxy[] = [];
  try {
    for (const { origin, target } of options.apis) {
      const url = new URL(origin);
      // Without a replay's pages on the API's host, https to your API passes as bytes (servers/tapped-tunnel.ts).
      const front = await startFrontProxy({ pageHosts: [...pageHosts], apiHost: url.hostname, apiPort: url.port || DEFAULT_PORT[url.protocol as 'http:' | 'https:'], target, pages: replay?.listener ?? noPages, ledger, handlerRuns, tapTunnels: replay === undefined });
      started.push(front);
      fronts.set(`${url.protocol}//${hostPort(url.host, url.protocol as 'http:' | 'https:')}`, front);
    }
  } catch (error) {
    await Promise.all(started.map((f) => f.close()));
    throw error;
  }
  const certificateKeys: string[] = [];
  for (const { origin } of options.apis) {
    const url = new URL(origin);
    const front = url.protocol === 'https:' ? fronts.get(`https://${hostPort(url.host, 'https:')}`) : undefined;
    if (front) certificateKeys.push(await certificateKeyOf(front, url));
  }
  // A replay's page hosts are served by any front proxy (each serves them, the API's host:port told apart by its port).
  const pageFront = (scheme: 'http:' | 'https:', host: string): FrontProxy | undefined => {
    try {
      return pageHosts.has(new URL(`${scheme}//${host}`).hostname.toLowerCase()) ? started[0] : undefined;
    } catch {
      return undefined;
    }
  };
  const frontFor = (scheme: 'http:' | 'https:', host: string): FrontProxy | undefined => fronts.get(`${scheme}//${hostPort(host, scheme)}`) ?? pageFront(scheme, host);

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end('cors-matrix: a proxy request names an absolute URL');
      return;
    }
    const front = target.protocol === 'http:' ? frontFor('http:', target.host) : undefined;
    if (!front && replay) {
      res.writeHead(502, { 'Content-Type': 'text/plain' }).end(`cors-matrix: ${target.host} is neither an API origin nor a page of this replay; the proxy reaches only those`);
      return;
    }
    // To the API's front proxy, in this process, as a proxy request (the absolute URL kept); anything else straight
    // to its own host.
    if (front) {
      front.takeRequest(req, res);
      return;
    }
    const upstream = httpRequest({ host: target.hostname, port: target.port || 80, method: req.method, path: `${target.pathname}${target.search}`, headers: req.headers });
    upstream.on('response', (answer) => {
      const headers: string[] = [];
      for (let i = 0; i + 1 < answer.rawHeaders.length; i += 2) headers.push(answer.rawHeaders[i] ?? '', answer.rawHeaders[i + 1] ?? '');
      res.writeHead(answer.statusCode ?? 502, headers);
      answer.pipe(res);
    });
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' });
      res.end(`cors-matrix: ${target.host} did not answer: ${error.code ?? error.message}`);
    });
    req.pipe(upstream);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('connect', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const authority = req.url ?? '';
    const front = frontFor('https:', authority);
    if (!front && replay) {
      socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
      return;
    }
    // The API's front proxy takes the tunnel in this process: it answers the CONNECT and terminates TLS itself.
    if (front) {
      front.takeConnect(req, socket, head);
      return;
    }
    const [host = '', port = '443'] = authority.split(/:(?=\d+$)/);
    const upstream = connect(Number(port), host.replace(/^\[|\]$/g, ''));
    upstream.once('connect', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      splice(socket, upstream);
    });
    upstream.once('error', () => {
      socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    ledger,
    origins: options.apis.map((a) => a.origin),
    certificateKeys,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      // Every socket is destroyed above; a server whose close still waits (a half-closed tunnel) is not waited for long.
      const bounded = (closing: Promise<unknown>): Promise<unknown> => Promise.race([closing, new Promise((resolve) => setTimeout(resolve, CLOSE_WAIT_MS).unref())]);
      await bounded(new Promise<void>((resolve) => server.close(() => resolve())));
      await bounded(Promise.all(started.map((f) => f.close())));
    },
  };
}
