/**
 * One engine's https connection to your API, through the cors fixture's proxy: TLS is terminated here and the
 * bytes go on to your server (on this machine, over http) as they came, both ways, untouched. Each exchange is
 * recorded in the ledger from the heads read off the passing stream: the request head the moment it has passed, the
 * answer's head the moment it has, and at the connection's end whether the answer was complete.
 *
 * Why not Node's HTTP server and client, as the front proxy uses for the matrix: parsing each request, building a
 * new one upstream and serialising the answer again cost a journey of a dozen API calls 15-20 % of its time in
 * Chromium (examples/e2e's bench), and this costs none measurable. It is also truer: your server gets the engine's
 * bytes, header case and order and extension methods included.
 */
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { TLSSocket, type SecureContext } from 'node:tls';
import type { Answer, AnswerSink, Ledger } from '../lib/model/ledger.ts';
import { arrivalFromHead } from './arrival.ts';
import { recordSocketHandshake } from './handshake-recorder.ts';
import { headerLinesOf, Http1Framer, requestFraming, responseFraming } from './http1-framing.ts';
import { parseResponseHead } from './wire-recorder.ts';

export interface TunnelSettings {
  /** Your server: an http URL on this machine. */
  readonly target: URL;
  readonly ledger: Ledger;
  /** The certificate the engines are told to accept for the API's host. */
  readonly secureContext: SecureContext;
  /** The ledger key of a request, from its path and query. */
  readonly caseKeyOf: (path: string) => string;
}

/** One request on the connection, in order, and what is known of its answer. */
interface Exchange {
  readonly method: string;
  readonly path: string;
  readonly key: string;
  readonly complete: AnswerSink;
  answer?: Answer;
}

const NO_ANSWER: Answer = { answered: false, handlerRan: false, status: 0, responseHeaders: [] };

/** The answer written when your server cannot be reached: the engine sees a failed request, the ledger says why. */
function badGateway(): { head: string; bytes: Buffer } {
  const body = 'cors-matrix: the target did not answer';
  const head = `HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`;
  return { head, bytes: Buffer.from(head + body, 'latin1') };
}

/** Takes a CONNECT tunnel (its 200 already written) and returns the function that ends it. */
export function tapTunnel(socket: Duplex, settings: TunnelSettings): () => void {
  const { ledger, target } = settings;
  const tls = new TLSSocket(socket, { isServer: true, secureContext: settings.secureContext });
  const upstream: Socket = connect(Number(target.port || 80), target.hostname.replace(/^\[|\]$/g, ''));
  upstream.setNoDelay(true);
  const exchanges: Exchange[] = [];
  // A handshake the engine broke off (a certificate it refused) is kept, as the front proxy keeps it.
  recordSocketHandshake(tls, ledger);
  let failed: NodeJS.ErrnoException | undefined;
  let raw = false;
  let finished = false;
  /** The answer being read is an interim one (100, 103): the final answer to the same request follows. */
  let interim = false;
  /** The answer being read runs to the connection's end (neither length nor chunks). */
  let untilClose = false;

  const requests = new Http1Framer((headBytes) => {
    const head = headBytes.toString('latin1');
    const entry = arrivalFromHead('https', head);
    const key = settings.caseKeyOf(entry.path);
    exchanges.push({ method: entry.method, path: entry.path, key, complete: ledger.arrive(key, entry) });
    if (failed) answerFailure();
    return requestFraming(headerLinesOf(head));
  });
  const answers = new Http1Framer(
    (headBytes) => {
      const head = headBytes.toString('latin1');
      const parsed = parseResponseHead(head);
      const exchange = exchanges[0];
      const framing = responseFraming(parsed.status, exchange?.method ?? 'GET', headerLinesOf(head));
      interim = parsed.status >= 100 && parsed.status < 200 && parsed.status !== 101;
      untilClose = framing.kind === 'until-close';
      if (framing.kind === 'raw') raw = true;
      if (exchange && !interim) {
        exchange.answer = { answered: true, handlerRan: false, ...parsed };
        exchange.complete(exchange.answer);
        // A protocol switch (a WebSocket's 101) is a whole answer: what follows is no longer HTTP, nor cut off.
        if (raw) exchanges.shift();
      }
      return framing;
    },
    () => {
      if (!interim) exchanges.shift();
    },
  );

  /** Your server could not be reached: the first request waiting is answered 502, and the connection ends. */
  const answerFailure = (): void => {
    const exchange = exchanges.find((e) => e.answer === undefined);
    if (!exchange || tls.destroyed) return;
    ledger.fault('target-unreachable', `your server at ${target.origin} did not answer ${exchange.method} ${exchange.path}: ${failed?.code ?? failed?.message ?? 'no connection'}`, exchange.key);
    const { head, bytes } = badGateway();
    exchange.answer = { answered: true, handlerRan: false, ...parseResponseHead(head) };
    exchange.complete(exchange.answer);
    exchanges.splice(exchanges.indexOf(exchange), 1);
    tls.end(bytes);
  };

  const finish = (): void => {
    if (finished) return;
    finished = true;
    // An answer that runs to the close is complete when your server closed cleanly; any other is cut off.
    if (untilClose && upstream.readableEnded && exchanges[0]?.answer) exchanges.shift();
    for (const exchange of exchanges.splice(0)) exchange.complete({ ...(exchange.answer ?? NO_ANSWER), cutOff: true });
    tls.destroy();
    upstream.destroy();
  };

  tls.on('data', (chunk: Buffer) => {
    if (!failed && !upstream.write(chunk)) {
      tls.pause();
      upstream.once('drain', () => tls.resume());
    }
    if (!raw) requests.feed(chunk, () => undefined);
  });
  upstream.on('data', (chunk: Buffer) => {
    if (!tls.write(chunk)) {
      upstream.pause();
      tls.once('drain', () => upstream.resume());
    }
    if (!raw) answers.feed(chunk, () => undefined);
  });
  tls.on('end', () => upstream.end());
  upstream.on('end', () => tls.end());
  tls.on('error', finish);
  upstream.on('error', (error: NodeJS.ErrnoException) => {
    failed = error;
    if (exchanges.some((e) => e.answer === undefined)) answerFailure();
    else if (exchanges.length > 0) finish();
  });
  tls.on('close', finish);
  upstream.on('close', () => {
    if (!failed) finish();
  });
  return finish;
}
