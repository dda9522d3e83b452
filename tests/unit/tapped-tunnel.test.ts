import { expect, test } from '@playwright/test';
import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { Ledger } from '../../lib/model/ledger.ts';
import { startFrontProxy, UNNAMED_CASE } from '../../servers/front-proxy.ts';
import { Http1Framer, responseFraming, headerLinesOf } from '../../servers/http1-framing.ts';

// The cors fixture's https path to your API (servers/tapped-tunnel.ts), on real sockets: an engine-like client speaks
// TLS through a CONNECT, and "your server" is a raw TCP server, so what it received is seen byte for byte.

/** Your server: answers each request head it reads with the next canned answer, and keeps every byte it got. */
async function rawServer(answers: string[], after?: (socket: Socket) => void): Promise<{ server: Server; got: () => string; port: number }> {
  let got = '';
  const server = createServer((socket) => {
    socket.setEncoding('latin1');
    let answered = 0;
    socket.on('data', (part: string) => {
      got += part;
      const heads = got.split('\r\n\r\n').length - 1;
      while (answered < Math.min(heads, answers.length)) socket.write(answers[answered++]!, 'latin1');
      if (answered === answers.length) after?.(socket);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, got: () => got, port: (server.address() as AddressInfo).port };
}

/** An engine: CONNECT through the proxy, TLS to api.test, then the given bytes; resolves with all it read until close. */
async function engine(proxyUrl: string, bytes: string[]): Promise<string> {
  const socket = connect(Number(new URL(proxyUrl).port), '127.0.0.1');
  await once(socket, 'connect');
  socket.write('CONNECT api.test:443 HTTP/1.1\r\nHost: api.test:443\r\n\r\n');
  await once(socket, 'data');
  const tls = tlsConnect({ socket, servername: 'api.test', rejectUnauthorized: false });
  await once(tls, 'secureConnect');
  let read = '';
  tls.setEncoding('latin1');
  tls.on('data', (part: string) => (read += part));
  // Split as a network may: mid-head and mid-body.
  for (const part of bytes) {
    tls.write(part, 'latin1');
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
  await Promise.race([once(tls, 'close'), new Promise((resolve) => setTimeout(resolve, 500))]);
  tls.destroy();
  return read;
}

async function proxyTo(port: number, ledger: Ledger): Promise<Awaited<ReturnType<typeof startFrontProxy>>> {
  const noPages = (_req: IncomingMessage, res: ServerResponse): void => void res.writeHead(502).end();
  return startFrontProxy({ pageHosts: [], apiHost: 'api.test', apiPort: '443', target: new URL(`http://127.0.0.1:${port}`), pages: noPages, ledger, handlerRuns: new WeakSet(), tapTunnels: true });
}

test('requests reach your server byte for byte, and each exchange is in the ledger as sent', async () => {
  const preflight = 'OPTIONS /todos/1 HTTP/1.1\r\nHost: api.test\r\nOrigin: https://app.test\r\nAccess-Control-Request-Method: patcH\r\n\r\n';
  const patch = 'patcH /todos/1?cm_case=k1 HTTP/1.1\r\nHost: api.test\r\nOrigin: https://app.test\r\nCookie: sid=1; theme=dark\r\nContent-Length: 11\r\n\r\n{"done":1}\n';
  const chunked = 'POST /todos HTTP/1.1\r\nhost: api.test\r\norigin: https://app.test\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n';
  const answers = [
    'HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: https://app.test\r\naccess-control-allow-methods: patcH\r\n\r\n',
    'HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: https://app.test\r\nAccess-Control-Allow-Credentials: true\r\nContent-Length: 2\r\n\r\nok',
    'HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\nVary: Origin\r\nVary: Cookie\r\n\r\n2\r\nhi\r\n0\r\n\r\n',
  ];
  const api = await rawServer(answers);
  const ledger = new Ledger();
  const proxy = await proxyTo(api.port, ledger);
  try {
    const sent = preflight + patch + chunked;
    const read = await engine(proxy.url, [sent.slice(0, 40), sent.slice(40, 170), sent.slice(170)]);
    expect(api.got()).toBe(sent);
    expect(read).toBe(answers.join(''));
    const unnamed = ledger.entriesFor(UNNAMED_CASE);
    expect(unnamed.map((e) => [e.kind, e.method, e.path, e.status, e.origin])).toEqual([
      ['preflight', 'OPTIONS', '/todos/1', 204, 'https://app.test'],
      ['actual', 'POST', '/todos', 201, 'https://app.test'],
    ]);
    expect(unnamed[0]!.accessControlRequestMethod).toBe('patcH');
    expect(unnamed[0]!.target).toBe('https://api.test');
    expect(unnamed[0]!.responseHeaders).toEqual([
      { name: 'Access-Control-Allow-Origin', value: 'https://app.test' },
      { name: 'access-control-allow-methods', value: 'patcH' },
    ]);
    expect(unnamed[1]!.responseHeaders.filter((h) => h.name === 'Vary').map((h) => h.value)).toEqual(['Origin', 'Cookie']);
    const [named] = ledger.entriesFor('k1');
    expect(named).toMatchObject({ kind: 'actual', method: 'patcH', status: 200, answered: true, handlerRan: false, cookies: ['sid', 'theme'] });
    expect(ledger.entriesFor(UNNAMED_CASE).concat(ledger.entriesFor('k1')).every((e) => e.cutOff === undefined)).toBe(true);
    expect(ledger.lastHandshakeWith('api.test', Date.now())).toMatchObject({ host: 'api.test' });
  } finally {
    await proxy.close();
    api.server.close();
  }
});

test('an answer your server breaks off is cut off in the ledger; one never given is an unanswered arrival', async () => {
  // Promises 10 bytes, sends 3, and closes.
  const api = await rawServer(['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'], (socket) => setTimeout(() => socket.destroy(), 20));
  const ledger = new Ledger();
  const proxy = await proxyTo(api.port, ledger);
  try {
    await engine(proxy.url, ['GET /a HTTP/1.1\r\nHost: api.test\r\n\r\nGET /b HTTP/1.1\r\nHost: api.test\r\n\r\n']);
    const entries = ledger.entriesFor(UNNAMED_CASE);
    expect(entries.map((e) => [e.path, e.answered, e.status, e.cutOff])).toEqual([
      ['/a', true, 200, true],
      ['/b', false, 0, true],
    ]);
  } finally {
    await proxy.close();
    api.server.close();
  }
});

test('a server that is not there: the engine gets a 502, the ledger a harness fault naming the request', async () => {
  const api = await rawServer([]);
  const port = api.port;
  api.server.close();
  await once(api.server, 'close');
  const ledger = new Ledger();
  const proxy = await proxyTo(port, ledger);
  try {
    const read = await engine(proxy.url, ['GET /todos HTTP/1.1\r\nHost: api.test\r\nOrigin: https://app.test\r\n\r\n']);
    expect(read).toMatch(/^HTTP\/1.1 502 /);
    expect(ledger.entriesFor(UNNAMED_CASE).map((e) => [e.path, e.status])).toEqual([['/todos', 502]]);
    expect(ledger.faultsBetween(0, Date.now() + 1)).toEqual([expect.objectContaining({ code: 'target-unreachable', message: expect.stringMatching(/did not answer GET \/todos: ECONNREFUSED/) })]);
  } finally {
    await proxy.close();
  }
});

test('framing: interim answers, a HEAD answer with a length but no body, a 204, and a body that runs to the close', () => {
  const methods = ['GET', 'HEAD', 'DELETE', 'GET'];
  const events: string[] = [];
  let interim = false;
  const framer = new Http1Framer(
    (head) => {
      const text = head.toString('latin1');
      const status = Number(text.split(' ')[1]);
      interim = status < 200;
      events.push(`head ${status}`);
      return responseFraming(status, methods[0]!, headerLinesOf(text));
    },
    () => {
      events.push('end');
      if (!interim) methods.shift();
    },
  );
  const stream = 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\nHTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 200 OK\r\n\r\nstreamed until the close';
  for (let i = 0; i < stream.length; i += 7) framer.feed(Buffer.from(stream.slice(i, i + 7), 'latin1'), () => undefined);
  expect(events).toEqual(['head 100', 'end', 'head 200', 'end', 'head 200', 'end', 'head 204', 'end', 'head 200']);
  expect(framer.between).toBe(false);
});

test('a protocol switch (a WebSocket handshake) passes its frames both ways, and its 101 is a whole answer', async () => {
  const server = createServer((socket) => {
    let switched = false;
    socket.on('data', (part: Buffer) => {
      if (!switched) {
        switched = true;
        socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
        return;
      }
      socket.write(Buffer.concat([Buffer.from('echo:'), part]));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const ledger = new Ledger();
  const proxy = await proxyTo((server.address() as AddressInfo).port, ledger);
  try {
    const read = await engine(proxy.url, ['GET /live HTTP/1.1\r\nHost: api.test\r\nOrigin: https://app.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n', '\u0081\u0002hi']);
    expect(read).toBe('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\necho:\u0081\u0002hi');
    expect(ledger.entriesFor(UNNAMED_CASE).map((e) => [e.path, e.status, e.cutOff])).toEqual([['/live', 101, undefined]]);
  } finally {
    await proxy.close();
    server.close();
  }
});

test('a handshake that fails is kept in the ledger as refused, and no request is recorded', async () => {
  const api = await rawServer([]);
  const ledger = new Ledger();
  const proxy = await proxyTo(api.port, ledger);
  try {
    const socket = connect(Number(new URL(proxy.url).port), '127.0.0.1');
    await once(socket, 'connect');
    socket.write('CONNECT api.test:443 HTTP/1.1\r\nHost: api.test:443\r\n\r\n');
    await once(socket, 'data');
    // Not a TLS hello: the handshake breaks off at its first bytes, as it does when an engine refuses to go on.
    socket.write('GET / HTTP/1.1\r\nHost: api.test\r\n\r\n');
    await Promise.race([once(socket, 'close'), new Promise((resolve) => setTimeout(resolve, 2_000))]);
    socket.destroy();
    await expect.poll(() => ledger.lastHandshakeWith('', Date.now())?.refused).toBeTruthy();
    expect(ledger.entriesFor(UNNAMED_CASE)).toEqual([]);
  } finally {
    await proxy.close();
    api.server.close();
  }
});
