import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import getPort from 'get-port';
import selfsigned from 'selfsigned';
import { Ledger } from '../lib/ledger.ts';
import { originMap, TLS_HOST_NAMES, type OriginMap, type Ports } from '../lib/origins.ts';
import { CaseRegistry, policyApp } from './policy-server.ts';

export interface RunningServers {
  readonly origins: OriginMap;
  readonly ports: Ports;
  readonly registry: CaseRegistry;
  readonly ledger: Ledger;
  close(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';

async function tlsCertificate(): Promise<{ key: string; cert: string }> {
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'cors-matrix.localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'subjectAltName', altNames: TLS_HOST_NAMES.map((value) => ({ type: 2, value })) },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => resolve((server.address() as AddressInfo).port));
  });
}

/** Starts the policy app on two http ports and one https port, all bound to 127.0.0.1 only. */
export async function startServers(): Promise<RunningServers> {
  const registry = new CaseRegistry();
  const ledger = new Ledger();
  const [primary, secondary, tls, closed] = [await getPort({ host: LOOPBACK }), await getPort({ host: LOOPBACK }), await getPort({ host: LOOPBACK }), await getPort({ host: LOOPBACK })];
  const ports: Ports = { primary, secondary, tls, closed };
  const origins = originMap(ports);
  const app = policyApp(registry, ledger, origins);
  const servers = [createHttpServer(app), createHttpServer(app), createHttpsServer(await tlsCertificate(), app)];
  for (const server of servers) {
    server.keepAliveTimeout = 30_000;
    // A request the parser rejects never reaches the app; it must not pass for a CORS block.
    server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
      if (error.code?.startsWith('HPE_')) ledger.fault(`the server could not parse a request (${error.code}: ${error.message})`);
      socket.destroy();
    });
  }
  await Promise.all(servers.map((server, i) => listen(server, [primary, secondary, tls][i] ?? 0)));
  return {
    origins,
    ports,
    registry,
    ledger,
    close: async () => {
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
