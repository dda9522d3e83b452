/**
 * A real shared cache between the engines and the API: Debian's varnishd (7.1), started as a child process on a free
 * loopback port with servers/assets/shared-cache.vcl. Three pieces, so that the ledger holds the truth on both sides of it:
 *
 *   engine → front (Node, the `shared-cache` origin's port) → varnishd → API listener (Node) → the harness's apps
 *
 * The front records each request the engine sent, with the answer the engine got on the wire, and says how the
 * cache dealt with it (`servedBy`: hit, miss or pass, for which Origin the answer was stored, and whether the API saw
 * the request at all). The API listener records the requests that really reached the API in a ledger of its own,
 * so that a case's own ledger never holds one request twice.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import getPort from 'get-port';
import { keyInRequestTarget } from '../lib/model/case-identity.ts';
import { CACHE_STATUS_HEADER, STORED_FOR_HEADER, servedByCache, type Ledger, type SharedCacheService } from '../lib/model/ledger.ts';
import { exitDescription, registerChild, surviveHangupInWorker } from './child-processes.ts';
import { recordOnWire } from './wire-recorder.ts';

const LOOPBACK = '127.0.0.1';
// In assets/, which the build copies next to the emitted module.
const VCL_TEMPLATE = fileURLToPath(new URL('./assets/shared-cache.vcl', import.meta.url));
/** Where Debian's package puts it; PATH is searched first. */
const VARNISHD_CANDIDATES = ['/usr/sbin/varnishd', '/usr/local/sbin/varnishd'];
/** How long varnishd may take to compile its VCL and listen (a loaded 2-core machine took 5.5 s). */
const START_TIMEOUT_MS = 60_000;

export interface SharedCache {
  /** The front's port: the `shared-cache` origin. */
  readonly port: number;
  /** The requests that reached the API behind the cache, by case key: a cached answer has none. */
  readonly apiLedger: Ledger;
  /** Resolves once varnishd listens; rejects with why it could not start (not installed, VCL refused, exited). */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

/** The varnishd executable, or undefined when it is not installed. */
export function findVarnishd(): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(':')) {
    if (dir !== '' && existsSync(join(dir, 'varnishd'))) return join(dir, 'varnishd');
  }
  return VARNISHD_CANDIDATES.find((path) => existsSync(path));
}

/** The VCL with the API listener's port filled in. */
export async function sharedCacheVcl(backendPort: number): Promise<string> {
  const template = await readFile(VCL_TEMPLATE, 'utf8');
  if (!template.includes('__BACKEND_PORT__')) throw new Error(`${VCL_TEMPLATE} names no __BACKEND_PORT__ for the API listener`);
  return template.replaceAll('__BACKEND_PORT__', String(backendPort));
}

function listen(server: Server, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => resolve((server.address() as AddressInfo).port));
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

/** Resolves once something accepts connections on the port; rejects when the child exits first or time runs out. */
async function waitForListener(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const ended = exitDescription(child);
    if (ended) throw new Error(`varnishd ${ended} before it listened: ${output().trim().split('\n').slice(-5).join(' | ')}`);
    const open = await new Promise<boolean>((resolve) => {
      const probe = httpRequest({ host: LOOPBACK, port, method: 'HEAD', path: '/__cm/cache-probe', timeout: 1000 }, (res) => {
        res.resume();
        resolve(true);
      });
      probe.on('error', () => resolve(false));
      probe.on('timeout', () => probe.destroy());
      probe.end();
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`varnishd did not listen on ${LOOPBACK}:${port} within ${START_TIMEOUT_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function startVarnishd(backendPort: number): Promise<{ readonly port: number; readonly child: ChildProcess; readonly dir: string }> {
  const varnishd = findVarnishd();
  if (!varnishd) throw new Error('varnishd is not installed: install Debian\'s "varnish" package (npm install runs scripts/install-engines.ts, which does)');
  surviveHangupInWorker();
  const dir = await mkdtemp(join(tmpdir(), 'cors-matrix-varnish-'));
  leftBehind.add(dir);
  // Started as root, varnishd compiles the VCL as its own unprivileged user: it must be able to read it.
  await chmod(dir, 0o755);
  const vcl = join(dir, 'shared-cache.vcl');
  await writeFile(vcl, await sharedCacheVcl(backendPort), { mode: 0o644 });
  const port = await getPort({ host: LOOPBACK });
  const args = [
    '-F', // foreground: the harness owns the process
    '-n', join(dir, 'work'),
    '-f', vcl,
    '-a', `${LOOPBACK}:${port}`,
    '-T', 'none', // no management port
    '-s', 'malloc,16m',
    '-t', '0', // default_ttl 0: nothing is stored without explicit freshness (no heuristic caching)
    '-p', 'default_grace=0',
    '-p', 'default_keep=0',
    '-p', 'thread_pools=1',
    '-p', 'thread_pool_min=5',
    '-p', 'thread_pool_max=100',
  ];
  const child = registerChild(spawn(varnishd, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true }), 'varnishd', { group: true });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => void (output = (output + chunk.toString()).slice(-4000)));
  child.stderr?.on('data', (chunk: Buffer) => void (output = (output + chunk.toString()).slice(-4000)));
  try {
    await waitForListener(port, child, () => output);
  } catch (error) {
    stopChild(child);
    await removeDir(dir);
    throw error;
  }
  return { port, child, dir };
}

// Working folders of varnishds not yet closed: removed when this process exits, however close() was skipped.
const leftBehind = new Set<string>();
process.once('exit', () => {
  for (const dir of leftBehind) rmSync(dir, { recursive: true, force: true });
});

async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  leftBehind.delete(dir);
}

function stopChild(child: ChildProcess): void {
  if (exitDescription(child) || child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

/** Forwards one request to varnishd and its answer back, minus the cache's private header; says how the cache dealt with it. */
function forward(req: IncomingMessage, res: ServerResponse, cachePort: number, onHead: (cacheStatus: string | undefined, storedFor: string | undefined) => void): void {
  const upstream = httpRequest({ host: LOOPBACK, port: cachePort, method: req.method, path: req.url, headers: req.headers }, (answer) => {
    const header = (name: string): string | undefined => {
      const value = answer.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    };
    onHead(header(CACHE_STATUS_HEADER.toLowerCase()), header(STORED_FOR_HEADER.toLowerCase()));
    // rawHeaders keeps the cache's order, case and repeated lines exactly.
    const lines: [string, string][] = [];
    for (let i = 0; i + 1 < answer.rawHeaders.length; i += 2) {
      const name = answer.rawHeaders[i] ?? '';
      if (name.toLowerCase() !== STORED_FOR_HEADER.toLowerCase()) lines.push([name, answer.rawHeaders[i + 1] ?? '']);
    }
    res.writeHead(answer.statusCode ?? 502, answer.statusMessage, lines.flat());
    answer.pipe(res);
  });
  upstream.on('error', (error) => {
    if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' }).end(`cors-matrix shared cache: ${error.message}`);
    else res.destroy();
  });
  req.pipe(upstream);
}

/**
 * Starts the API listener and the front at once, and varnishd between them in the background (it compiles its VCL
 * first): a request that comes before varnishd listens waits for it; one that comes after it failed is a fault of
 * its case naming why, never a CORS result.
 */
export async function startSharedCache(ledger: Ledger, apiLedger: Ledger, api: RequestListener): Promise<SharedCache> {
  const backend = createServer(api);
  const front = createServer();
  backend.keepAliveTimeout = 30_000;
  front.keepAliveTimeout = 30_000;
  const backendPort = await listen(backend);
  let port: number;
  try {
    port = await listen(front);
  } catch (error) {
    await closeServer(backend);
    throw error;
  }
  let varnish: { readonly port: number; readonly child: ChildProcess; readonly dir: string } | undefined;
  let closed = false;
  const ready = startVarnishd(backendPort).then(async (started) => {
    if (closed) {
      stopChild(started.child);
      await removeDir(started.dir);
      throw new Error('the shared cache was closed while varnishd started');
    }
    varnish = started;
  });
  // Nobody may be waiting yet: the rejection is reported to each request that needs the cache.
  ready.catch(() => undefined);

  front.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const key = req.url?.startsWith('/api/') ? keyInRequestTarget(req.url) : undefined;
    let service: SharedCacheService | undefined;
    const apiBefore = key === undefined ? 0 : apiLedger.entriesFor(key).length;
    const apiArrivals = () => (key === undefined ? [] : apiLedger.entriesFor(key).slice(apiBefore));
    if (key !== undefined) {
      recordOnWire(key, req, res, ledger, () => apiArrivals().some((e) => e.handlerRan), () => (service ? { servedBy: service } : {}));
    }
    ready.then(
      () => {
        const cachePort = varnish?.port;
        if (cachePort === undefined) throw new Error('varnishd is not running');
        forward(req, res, cachePort, (cacheStatus, storedFor) => {
          service = servedByCache(cacheStatus, storedFor, apiArrivals().length > 0);
        });
      },
      (error: unknown) => {
        const why = error instanceof Error ? error.message : String(error);
        ledger.fault('server-fault', `the shared cache could not start, so ${req.method} ${req.url} was not forwarded: ${why}`, key);
        if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' }).end('cors-matrix shared cache not running');
      },
    );
  });

  const close = async (): Promise<void> => {
    closed = true;
    if (varnish) {
      const { child, dir } = varnish;
      const exited = exitDescription(child) ? Promise.resolve() : new Promise<void>((resolve) => child.once('exit', () => resolve()));
      stopChild(child);
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      await removeDir(dir);
    }
    await Promise.all([closeServer(front), closeServer(backend)]);
  };
  return { port, apiLedger, ready, close };
}
