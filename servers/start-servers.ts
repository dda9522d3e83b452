import { createServer as createHttpServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
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

export interface RunningServers {
  readonly origins: OriginMap;
  readonly ports: Ports;
  readonly registry: CaseRegistry;
  readonly ledger: Ledger;
  /** Real apps mark here the requests their route handler saw (see RouteHooks.onHandler). */
  readonly handlerRuns: HandlerRuns;
  /** The listener behind every origin, for a front that serves the same pages under other host names. */
  readonly listener: RequestListener;
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
  const [primary, secondary, tls, closed] = [await getPort({ host: LOOPBACK }), await getPort({ host: LOOPBACK }), await getPort({ host: LOOPBACK }), await getPort({ host: LOOPBACK })];
  const ports: Ports = { primary, secondary, tls, closed, public: await publicPort() };
  const origins = originMap(ports);
  const handlerRuns: HandlerRuns = new WeakSet<IncomingMessage>();
  const app = dispatch(registry, ledger, handlerRuns, policyApp(registry, ledger, origins));
  const holdsPublicPort = !publicPortHeld;
  publicPortHeld = true;
  const servers = [createHttpServer(app), createHttpServer(app), createHttpsServer(await certificateFor(TLS_HOST_NAMES), app), ...(holdsPublicPort ? [createHttpServer(app)] : [])];
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
        ledger.fault(`the server could not parse a request (${error.code}: ${error.message})`, key);
      }
      socket.destroy();
    });
  }
  await Promise.all(servers.map((server, i) => listen(server, [primary, secondary, tls, ports.public][i] ?? 0)));
  return {
    origins,
    ports,
    registry,
    ledger,
    handlerRuns,
    listener: app,
    close: async () => {
      if (holdsPublicPort) publicPortHeld = false;
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.closeAllConnections();
              server.close(() => resolve());
            }),
        ),
      );
    },
  };
}
