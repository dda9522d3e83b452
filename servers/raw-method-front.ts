import { METHODS, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { Server as TlsServer } from 'node:tls';
import { headerLinesOf, Http1Framer, requestFraming } from './http1-framing.ts';

/**
 * A raw front for extension methods. Node's HTTP parser (llhttp) knows a fixed list of methods and refuses any other
 * token (`patcH`, `NEW`: HPE_INVALID_METHOD), even with insecureHTTPParser, while the Fetch Standard lets a script send
 * any token and the engines do. http-parser-js, the one maintained replacement parser, has the same fixed list.
 *
 * So each accepted socket is wrapped before Node's parser sees it: the front reads each request's head (request line
 * and headers) as it arrives, and when the method is not one Node knows it writes a stand-in method Node accepts and
 * the real one in WIRE_METHOD_HEADER; bodies (Content-Length or chunked) pass through untouched so that the next
 * request of a keep-alive connection is found. restoreWireMethod puts the real method back on the request before
 * anything (recorder, policy) reads it, so the ledger shows the method exactly as it was on the wire.
 */
export const WIRE_METHOD_HEADER = 'x-cors-matrix-wire-method';
/** A method Node parses, with a body allowed, that no scenario sends. */
const STAND_IN = 'PROPPATCH';
const KNOWN = new Set<string>(METHODS);
/** Requests whose socket went through the front: only for these is WIRE_METHOD_HEADER the front's own. */
const fronted = new WeakSet<object>();

/** Rewrites the request heads of one connection's byte stream; bodies pass as they came. */
class HeadRewriter {
  // An unterminated head is held here until its empty line comes (Node's parser never sees half a head).
  readonly #framer = new Http1Framer((head) => requestFraming(headerLinesOf(head.toString('latin1'))));

  feed(chunk: Buffer): Buffer {
    const out: Buffer[] = [];
    this.#framer.feed(chunk, (bytes, isHead) => out.push(isHead ? this.rewrite(bytes.toString('latin1')) : bytes));
    return Buffer.concat(out);
  }

  private rewrite(head: string): Buffer {
    const lines = head.split('\r\n');
    const requestLine = lines[0] ?? '';
    const space = requestLine.indexOf(' ');
    const method = space > 0 ? requestLine.slice(0, space) : '';
    // A copy of the internal header sent by the client is dropped, so that only the front can name the method.
    const headers = lines.slice(1).filter((line) => !line.toLowerCase().startsWith(`${WIRE_METHOD_HEADER}:`));
    const rewritten = KNOWN.has(method) || method === '' ? [requestLine, ...headers] : [`${STAND_IN}${requestLine.slice(space)}`, `${WIRE_METHOD_HEADER}: ${method}`, ...headers];
    return Buffer.from(rewritten.join('\r\n'), 'latin1');
  }
}

/** The socket as Node's HTTP server sees it: the rewritten byte stream, with the socket's addresses and timeouts. */
function frontSocket(socket: Socket): Duplex {
  const rewriter = new HeadRewriter();
  const front = new Duplex({
    read() {
      socket.resume();
    },
    write(chunk: Buffer, encoding, callback) {
      socket.write(chunk, encoding, callback);
    },
    final(callback) {
      socket.end(callback);
    },
    destroy(error, callback) {
      socket.destroy(error ?? undefined);
      callback(error);
    },
  });
  socket.on('data', (chunk: Buffer) => {
    const bytes = rewriter.feed(chunk);
    if (bytes.length > 0 && !front.push(bytes)) socket.pause();
  });
  socket.on('end', () => front.push(null));
  socket.on('error', (error) => front.destroy(error));
  socket.on('close', () => front.destroy());
  socket.on('timeout', () => front.emit('timeout'));
  Object.assign(front, {
    remoteAddress: socket.remoteAddress,
    remotePort: socket.remotePort,
    remoteFamily: socket.remoteFamily,
    localAddress: socket.localAddress,
    localPort: socket.localPort,
    // A TLS socket's facts (arrival.ts reads `encrypted` for the scheme).
    ...('encrypted' in socket && { encrypted: socket.encrypted, servername: (socket as { servername?: unknown }).servername }),
    setTimeout(ms: number, callback?: () => void) {
      socket.setTimeout(ms);
      if (callback) front.once('timeout', callback);
      return front;
    },
    setNoDelay: (noDelay?: boolean) => void socket.setNoDelay(noDelay),
    setKeepAlive: (enable?: boolean, delay?: number) => void socket.setKeepAlive(enable, delay),
  });
  fronted.add(front);
  return front;
}

/**
 * Puts the front in front of an http or https server's parser: every accepted socket (after its TLS handshake, for
 * https) is wrapped first. Call it before anything else listens for the server's connections.
 */
export function frontExtensionMethods(server: Server): void {
  const event = server instanceof TlsServer ? 'secureConnection' : 'connection';
  const parserListeners = server.listeners(event) as ((socket: Duplex) => void)[];
  server.removeAllListeners(event);
  server.on(event, (socket: Socket) => {
    const front = frontSocket(socket);
    for (const listener of parserListeners) listener.call(server, front);
  });
}

/** Gives a fronted request its method as it was on the wire, and drops the front's internal header. */
export function restoreWireMethod(req: IncomingMessage): void {
  if (!fronted.has(req.socket)) return;
  const wire = req.headers[WIRE_METHOD_HEADER];
  if (typeof wire !== 'string') return;
  req.method = wire;
  delete req.headers[WIRE_METHOD_HEADER];
  const at = req.rawHeaders.findIndex((name, index) => index % 2 === 0 && name.toLowerCase() === WIRE_METHOD_HEADER);
  if (at >= 0) req.rawHeaders.splice(at, 2);
}
