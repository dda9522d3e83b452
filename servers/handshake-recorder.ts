import type { Server } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { Ledger } from '../lib/model/ledger.ts';

function hostOf(socket: TLSSocket): string {
  return typeof socket.servername === 'string' ? socket.servername.toLowerCase() : '';
}

/**
 * Keeps every TLS handshake in the ledger, by the host name the engine asked for: an engine that refuses the
 * certificate sends no request, so without this its failed fetch would look like a request that vanished (or, worse,
 * a CORS block). Handshakes that succeed are kept too: Chromium told to ignore certificate errors still breaks off
 * its first handshake with a host before it connects, and a refusal followed by a connection is no refusal.
 */
export function recordHandshakes(server: Server, ledger: Ledger): void {
  server.on('secureConnection', (socket: TLSSocket) => ledger.handshake({ at: Date.now(), host: hostOf(socket) }));
  server.on('tlsClientError', (error: NodeJS.ErrnoException, socket: TLSSocket) => {
    ledger.handshake({ at: Date.now(), host: hostOf(socket), refused: error.code ?? error.message });
    socket.destroy();
  });
}

/**
 * The same for one TLS socket terminated outside a server (servers/tapped-tunnel.ts): its handshake, or the error that
 * broke it off.
 */
export function recordSocketHandshake(socket: TLSSocket, ledger: Ledger): void {
  let secured = false;
  socket.once('secure', () => {
    secured = true;
    ledger.handshake({ at: Date.now(), host: hostOf(socket) });
  });
  socket.once('error', (error: NodeJS.ErrnoException) => {
    if (!secured) ledger.handshake({ at: Date.now(), host: hostOf(socket), refused: error.code ?? error.message });
  });
}
