import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { keyInRequestTarget } from '../lib/model/case-identity.ts';
import type { Ledger } from '../lib/model/ledger.ts';
import type { HeaderLine } from '../lib/model/policy.ts';
import { arrival } from './arrival.ts';
import type { CaseRegistry } from './case-registry.ts';

/**
 * WebSocket handshakes for cases: a WebSocket is not fetched under CORS, so no engine checks anything the server
 * says; only the server can refuse an Origin. This handler refuses none, to show the handshake reaching the handler
 * from any site: it accepts, tells the script which Origin it saw, and closes. Each handshake is a ledger entry.
 */
export function webSocketUpgrades(registry: CaseRegistry, ledger: Ledger): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  const server = new WebSocketServer({ noServer: true });
  return (req, socket, head) => {
    const key = keyInRequestTarget(req.url ?? '');
    if (key === undefined || registry.targetFor(key)?.kind !== 'policy') {
      ledger.fault('server-fault', `WebSocket handshake for ${req.url ?? '(no URL)'} names no registered case`, key);
      socket.destroy();
      return;
    }
    const complete = ledger.arrive(key, arrival(req));
    let sent: HeaderLine[] = [];
    server.once('headers', (lines: string[]) => {
      sent = lines.slice(1).map((line) => {
        const colon = line.indexOf(':');
        return { name: line.slice(0, colon), value: line.slice(colon + 1).trim() };
      });
    });
    server.handleUpgrade(req, socket, head, (webSocket) => {
      complete({ answered: true, handlerRan: true, status: 101, responseHeaders: sent });
      webSocket.send(`cors-matrix case ${key}: the handler ran for Origin ${req.headers.origin ?? '(none)'}`);
      webSocket.close();
    });
  };
}
