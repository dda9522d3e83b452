import { test, expect } from '@playwright/test';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { readFileSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { startServers, type RunningServers } from '../../servers/start-servers.ts';
import { startFrontProxy, type FrontProxy } from '../../servers/front-proxy.ts';

// Safety, checked on real sockets: what listens does so on loopback only, the front proxy is no open proxy, and
// no generated TLS key lands in the repository.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Listener {
  readonly address: string;
  readonly port: number;
  readonly inode: string;
}

/** Listening TCP sockets from /proc/net/tcp and tcp6, with their addresses decoded. */
function listeningSockets(): Listener[] {
  const decode4 = (hex: string): string => [3, 2, 1, 0].map((i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join('.');
  const decode6 = (hex: string): string => (hex === '00000000000000000000000001000000' ? '::1' : hex === '0'.repeat(32) ? '::' : `v6:${hex}`);
  const sockets: Listener[] = [];
  for (const [file, decode] of [['/proc/net/tcp', decode4], ['/proc/net/tcp6', decode6]] as const) {
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const [local, , state] = [fields[1], fields[2], fields[3]];
      if (state !== '0A' || !local) continue; // 0A: LISTEN
      const [addressHex = '', portHex = '0'] = local.split(':');
      sockets.push({ address: decode(addressHex), port: parseInt(portHex, 16), inode: fields[9] ?? '' });
    }
  }
  return sockets;
}

/** Socket inodes held open by these processes. */
function socketInodes(pids: readonly number[]): Set<string> {
  const inodes = new Set<string>();
  for (const pid of pids) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone
    }
    for (const fd of fds) {
      try {
        const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (match?.[1]) inodes.add(match[1]);
      } catch {
        // closed meanwhile
      }
    }
  }
  return inodes;
}

/** What this process listens on, by port. */
function ownListeners(): Listener[] {
  const mine = socketInodes([process.pid]);
  return listeningSockets().filter((s) => mine.has(s.inode));
}

/** One raw HTTP exchange with the proxy: the request written as is, the answer's status line and body. */
function raw(port: number, request: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
      // A CONNECT answer has no body; a refusal closes the socket.
      if (request.startsWith('CONNECT') && text.includes('\r\n\r\n')) socket.destroy();
    });
    socket.on('close', () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text }));
    socket.on('error', reject);
    socket.setTimeout(5_000, () => socket.destroy());
  });
}

/** A server that counts what reaches it: the API under test, or a bystander the proxy must never reach. */
async function countingServer(): Promise<{ server: Server; port: number; hits: IncomingMessage[]; connections: () => number }> {
  const hits: IncomingMessage[] = [];
  let connections = 0;
  const server = createServer((req, res) => {
    hits.push(req);
    res.writeHead(200, { 'Content-Type': 'text/plain' }).end('reached');
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, hits, connections: () => connections };
}

let servers: RunningServers;
let proxy: FrontProxy;
let proxyPort = 0;
let api: Awaited<ReturnType<typeof countingServer>>;
let bystander: Awaited<ReturnType<typeof countingServer>>;
let listenersBefore: Listener[] = [];

test.beforeAll(async () => {
  listenersBefore = ownListeners();
  servers = await startServers();
  api = await countingServer();
  bystander = await countingServer();
  proxy = await startFrontProxy({
    pageHosts: ['app.example.com'],
    apiHost: 'api.example.com',
    target: new URL(`http://127.0.0.1:${api.port}`),
    pages: servers.listener,
    ledger: servers.ledger,
    handlerRuns: servers.handlerRuns,
  });
  proxyPort = Number(new URL(proxy.url).port);
});

test.afterAll(async () => {
  await proxy?.close();
  await servers?.close();
  for (const s of [api, bystander]) await new Promise((resolve) => s?.server.close(resolve));
});

test('every harness server and the front proxy listen on 127.0.0.1 only', () => {
  const before = new Set(listenersBefore.map((l) => l.inode));
  const started = ownListeners().filter((l) => !before.has(l.inode));
  const harnessPorts = [servers.ports.primary, servers.ports.secondary, servers.ports.tls, proxyPort];
  for (const port of harnessPorts) expect(started.filter((l) => l.port === port).map((l) => l.address), `port ${port}`).toEqual(['127.0.0.1']);
  // Whatever else started here (the test's own counting servers included) is on 127.0.0.1 too.
  expect(started.filter((l) => l.address !== '127.0.0.1')).toEqual([]);
  expect(started.length).toBeGreaterThanOrEqual(harnessPorts.length);
});

test('the proxy answers its own hosts: a control, so the refusals below are refusals', async () => {
  const page = await raw(proxyPort, `GET http://api.example.com/orders?cm_case=control HTTP/1.1\r\nHost: api.example.com\r\nConnection: close\r\n\r\n`);
  expect(page.status).toBe(200);
  expect(page.text).toContain('reached');
  expect(api.hits.map((r) => r.url)).toContain('/orders?cm_case=control');
});

const REFUSED: readonly { readonly what: string; readonly request: (bystanderPort: number) => string }[] = [
  { what: 'an absolute URI to another host', request: () => `GET http://example.org/ HTTP/1.1\r\nHost: example.org\r\nConnection: close\r\n\r\n` },
  { what: 'an absolute URI to another loopback port', request: (p) => `GET http://127.0.0.1:${p}/steal HTTP/1.1\r\nHost: 127.0.0.1:${p}\r\nConnection: close\r\n\r\n` },
  { what: 'an absolute URI to another host with the API in the Host line', request: (p) => `GET http://127.0.0.1:${p}/steal HTTP/1.1\r\nHost: api.example.com\r\nConnection: close\r\n\r\n` },
  { what: 'an absolute URI over https to another host', request: () => `GET https://example.org/ HTTP/1.1\r\nHost: example.org\r\nConnection: close\r\n\r\n` },
  { what: 'a path with another Host line', request: () => `GET /steal HTTP/1.1\r\nHost: example.org\r\nConnection: close\r\n\r\n` },
  { what: 'a path with no Host line', request: () => `GET /steal HTTP/1.0\r\n\r\n` },
  { what: 'a look-alike of the API host', request: () => `GET http://api.example.com.evil.test/ HTTP/1.1\r\nHost: api.example.com.evil.test\r\nConnection: close\r\n\r\n` },
  { what: 'CONNECT to another host', request: () => `CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\n\r\n` },
  { what: 'CONNECT to another loopback port', request: (p) => `CONNECT 127.0.0.1:${p} HTTP/1.1\r\nHost: 127.0.0.1:${p}\r\n\r\n` },
  { what: 'CONNECT to localhost', request: (p) => `CONNECT localhost:${p} HTTP/1.1\r\nHost: localhost:${p}\r\n\r\n` },
];

for (const { what, request } of REFUSED) {
  test(`the proxy refuses ${what}, and forwards nothing`, async () => {
    const apiHits = api.hits.length;
    const answer = await raw(proxyPort, request(bystander.port));
    expect([400, 502], answer.text).toContain(answer.status);
    expect(api.hits.length, 'nothing reached the API').toBe(apiHits);
    expect(bystander.connections(), 'nothing reached the bystander').toBe(0);
  });
}

test("CONNECT to the API host ends at the proxy's own TLS, whatever port it names: the bystander on that port sees nothing", async () => {
  const socket: Socket = connect(proxyPort, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => socket.write(`CONNECT api.example.com:${bystander.port} HTTP/1.1\r\nHost: api.example.com:${bystander.port}\r\n\r\n`));
    socket.once('data', (chunk: Buffer) => (chunk.toString().startsWith('HTTP/1.1 200') ? resolve() : reject(new Error(chunk.toString()))));
    socket.once('error', reject);
  });
  const secure = tlsConnect({ socket, servername: 'api.example.com', rejectUnauthorized: false });
  const text = await new Promise<string>((resolve, reject) => {
    let body = '';
    secure.once('secureConnect', () => secure.write(`GET /orders?cm_case=tunnel HTTP/1.1\r\nHost: api.example.com\r\nConnection: close\r\n\r\n`));
    secure.on('data', (chunk: Buffer) => (body += chunk.toString()));
    secure.on('close', () => resolve(body));
    secure.on('error', reject);
  });
  expect(text).toMatch(/^HTTP\/1\.1 200/);
  expect(api.hits.map((r) => r.url)).toContain('/orders?cm_case=tunnel');
  expect(bystander.connections()).toBe(0);
});

test('the front proxy will not start with a target off loopback', async () => {
  for (const target of ['http://example.org', 'http://10.0.0.1:8080', 'http://127.0.0.1.nip.io']) {
    await expect(
      startFrontProxy({ pageHosts: ['app.example.com'], apiHost: 'api.example.com', target: new URL(target), pages: servers.listener, ledger: servers.ledger, handlerRuns: servers.handlerRuns }),
      target,
    ).rejects.toThrow('forwards only to loopback');
  }
});

/** Files under the repository (dependencies and git's store aside), for a search. */
function* repositoryFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === '.git') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* repositoryFiles(path);
    else if (entry.isFile()) yield path;
  }
}

test('generated TLS keys stay in memory: no private key is written anywhere in the repository', () => {
  // The servers and the proxy above generated their certificates; a key written to disk would be a PEM block.
  const pemKey = /-----BEGIN (?:EC |RSA |ENCRYPTED )?PRIVATE KEY-----\r?\n[A-Za-z0-9+/=\r\n]{40,}-----END/;
  const withKeys: string[] = [];
  let searched = 0;
  for (const file of repositoryFiles(ROOT)) {
    const stats = statSync(file);
    if (stats.size > 5_000_000 || /\.(png|jpe?g|webm|zip|gz)$/.test(file)) continue;
    searched++;
    if (pemKey.test(readFileSync(file, 'latin1'))) withKeys.push(file);
  }
  expect(withKeys).toEqual([]);
  expect(searched, 'the search covered the repository').toBeGreaterThan(100);
});
