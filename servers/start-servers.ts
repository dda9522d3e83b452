import { createServer as createHttpServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer, Server as HttpsServer } from 'node:https';
import { recordHandshakes } from './handshake-recorder.ts';
import type { AddressInfo } from 'node:net';
import getPort from 'get-port';
import { certificateFor } from './certificate.ts';
import { Ledger } from '../lib/model/ledger.ts';
import { originMap, TLS_HOST_NAMES, type OriginMap, type Ports } from '../lib/model/origins.ts';
import { keyInRequestTarget } from '../lib/model/case-identity.ts';
import { recordThrough, type HandlerRuns } from './app-recorder.ts';
import { CaseRegistry } from './case-registry.ts';
import { API_PREFIX, policyApp } from './policy-server.ts';
import { publicPort } from './public-address.ts';
import { webSocketUpgrades } from './websocket-answer.ts';
import { recordOnWire } from './wire-recorder.ts';
import { frontExtensionMethods, restoreWireMethod } from './raw-method-front.ts';
import { startSharedCache, type SharedCache } from './shared-cache.ts';

export interface RunningServers {
  readonly origins: OriginMap;
  readonly ports: Ports;
  readonly registry: CaseRegistry;
  readonly ledger: Ledger;
  /** Real apps mark here the requests their route handler saw (see RouteHooks.onHandler). */
  readonly handlerRuns: HandlerRuns;
  /** The listener behind every origin, for a front that serves the same pages under other host names. */
  readonly listener: RequestListener;
  /** The shared cache in front of the API (the `shared-cache` origin), with the ledger of what reached the API behind it. */
  readonly sharedCache: SharedCache;
  close(): Promise<void>;
}

/**
 * Every request that names a case is in the ledger from the moment it arrives, with its answer as written on the
 * wire: requests for a case served by a real app go to that app untouched, everything else to the policy app.
 */
function dispatch(registry: CaseRegistry, ledger: Ledger, handlerRuns: HandlerRuns, policyListener: RequestListener): RequestListener {
  return (req, res) => {
    const url = req.url ?? '';
    const key = url.startsWith(API_PREFIX) ? keyInRequestTarget(url) : undefined;
    const target = key === undefined ? undefined : registry.targetFor(key);
    if (key !== undefined && target?.kind === 'app') return recordThrough(key, req, res, target.listener, ledger, handlerRuns);
    // The policy app's handler is its answer to an actual request; a preflight never reaches a handler.
    if (key !== undefined) recordOnWire(key, req, res, ledger, (arrived) => target?.kind === 'policy' && arrived.kind === 'actual');
    policyListener(req, res);
  };
}

const LOOPBACK = '127.0.0.1';

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => resolve((server.address() as AddressInfo).port));
  });
}

// The public origin's port is fixed per process (the engine is told it at launch): one server set at a time holds it.
let publicPortHeld = false;

/**
 * Starts the policy app on two http ports and one https port, all bound to 127.0.0.1 only, and on the public
 * origin's port unless another server set of this process holds it (then that set answers the public origin).
 */
export async function startServers(): Promise<RunningServers> {
  const registry = new CaseRegistry();
  const ledger = new Ledger();
  const handlerRuns: HandlerRuns = new WeakSet<IncomingMessage>();
  // The servers bind port 0, so no other process can take a port between its choice and its use; the app needs
  // the origins, so it is put in place once the ports are known, before anything is asked of them.
  let app: RequestListener = (_req, res) => void res.writeHead(503).end();
  const serve: RequestListener = (req, res) => {
    restoreWireMethod(req);
    app(req, res);
  };
  // Behind the shared cache: the same apps, recorded in a ledger of their own (the front records what the engine saw).
  const apiLedger = new Ledger();
  let apiBehindCache: RequestListener = (_req, res) => void res.writeHead(503).end();
  let sharedCache: SharedCache | undefined;
  const holdsPublicPort = !publicPortHeld;
  publicPortHeld = true;
  // insecureHTTPParser: llhttp's lenient mode takes a header value with a control byte (\x01), which a script may send
  // (Fetch: a header value is any bytes but NUL, CR, LF and leading or trailing whitespace), so the server measures it
  // instead of refusing it. It does not cover extension methods (`patcH`, `NEW`): llhttp knows a fixed list (measured).
  const lenient = { insecureHTTPParser: true } as const;
  const servers = [
    createHttpServer(lenient, serve),
    createHttpServer(lenient, serve),
    createHttpsServer({ ...(await certificateFor(TLS_HOST_NAMES)), ...lenient }, serve),
    ...(holdsPublicPort ? [createHttpServer(lenient, serve)] : []),
  ];
  // Extension methods (`patcH`, `NEW`), which llhttp refuses, pass through a raw front (servers/raw-method-front.ts).
  for (const server of servers) frontExtensionMethods(server);
  const tlsServer = servers[2];
  if (tlsServer instanceof HttpsServer) recordHandshakes(tlsServer, ledger);
  const upgrades = webSocketUpgrades(registry, ledger);
  for (const server of servers) server.on('upgrade', upgrades);
  for (const server of servers) {
    server.keepAliveTimeout = 30_000;
    // A request the parser rejects never reaches the app; it must not pass for a CORS block.
    server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
      if (error.code?.startsWith('HPE_')) {
        // The request line usually made it into the packet: then the fault is the case's own.
        const packet = (error as { rawPacket?: unknown }).rawPacket;
        const key = Buffer.isBuffer(packet) ? keyInRequestTarget(packet.toString('latin1').split('\r\n')[0] ?? '') : undefined;
        ledger.fault('unparseable-request', `the server could not parse a request (${error.code}: ${error.message})`, key);
      }
      socket.destroy();
    });
  }
  const close = async (): Promise<void> => {
    if (holdsPublicPort) publicPortHeld = false;
    await sharedCache?.close();
    await Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            if (!server.listening) return resolve();
            server.closeAllConnections();
            server.close(() => resolve());
          }),
      ),
    );
  };
  let ports: Ports;
  try {
    const [primary = 0, secondary = 0, tls = 0] = await Promise.all(servers.slice(0, 3).map((server) => listen(server, 0)));
    const publicPortNumber = await publicPort();
    const publicServer = servers[3];
    if (publicServer) {
      await listen(publicServer, publicPortNumber).catch((error: NodeJS.ErrnoException) => {
        // Chosen once per process, and told to the engine at launch: it cannot be chosen again.
        throw Object.assign(new Error(`the public origin's port 127.0.0.1:${publicPortNumber}, chosen when this process started, is held by another process (${error.code}); run again`), { code: error.code });
      });
    }
    sharedCache = await startSharedCache(ledger, apiLedger, (req, res) => apiBehindCache(req, res));
    // Nothing may listen on the closed origin's port: chosen free, and never bound.
    ports = { primary, secondary, tls, closed: await getPort({ host: LOOPBACK }), public: publicPortNumber, cache: sharedCache.port };
  } catch (error) {
    await close();
    throw error;
  }
  const origins = originMap(ports);
  const policyListener = policyApp(registry, ledger, origins);
  app = dispatch(registry, ledger, handlerRuns, policyListener);
  apiBehindCache = dispatch(registry, apiLedger, handlerRuns, policyListener);
  return {
    origins,
    ports,
    registry,
    ledger,
    handlerRuns,
    listener: serve,
    sharedCache,
    close,
  };
}
