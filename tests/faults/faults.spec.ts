import { test, expect } from '@playwright/test';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readProcess, descendants } from '../interrupt/process-table.ts';
import { AppCatalog } from '../../lib/measure/app-catalog.ts';
import { BatchMeasurer } from '../../lib/measure/batch.ts';
import type { EngineName, EngineSession } from '../../lib/measure/engines/engine.ts';
import { launchEngine } from '../../lib/measure/engines/launch.ts';
import { startTarget } from '../../lib/measure/target-process.ts';
import { judgeCase } from '../../lib/judge/judge-case.ts';
import type { CaseRecord } from '../../lib/judge/case-record.ts';
import { loadMiddlewareCases } from '../../lib/model/load-middleware-cases.ts';
import type { AppSuite } from '../../lib/model/middleware-suite.ts';
import type { Case } from '../../lib/model/scenario.ts';
import { ownServerCases } from '../../lib/model/own-server-cases.ts';
import { defineConfig } from '../../lib/model/own-server-config.ts';
import { ownServerRecipe, type ReadyEnvironment } from '../../lib/playwright/worker-measurements.ts';
import { startServers, type RunningServers } from '../../servers/start-servers.ts';
import { CASES_BY_FAMILY } from '../../scenarios/index.ts';

// Faults, injected in real runs: a real engine, the harness's real servers, and a real app behind them that does
// the harm when the faulted case's request arrives. The faulted case must come out a harness error whose message
// names the fault; the ordinary cases measured in the same batch must come out as their expectations say (no
// cascade, and no fault counted as a CORS block).

/** Processes this test process started (engines, drivers, Xvfb), by what they are. */
function ownProcess(match: (comm: string, cmdline: string) => boolean): number | undefined {
  // A process killed before may linger a moment as a zombie: the one to kill is the one that runs.
  return descendants(process.pid).find((p) => p.state !== 'Z' && match(p.comm, p.cmdline))?.pid;
}

const CHROMIUM_BROWSER = (comm: string, cmdline: string) => /^(chromium|chrome)$/.test(comm) && !cmdline.includes('--type=');
const FIREFOX_BROWSER = (comm: string, cmdline: string) => /^firefox/.test(comm) && !cmdline.includes('-contentproc');
const WEBKIT_DRIVER = (comm: string) => comm === 'WebKitWebDriver';
const MINIBROWSER = (comm: string) => comm === 'MiniBrowser';
const XVFB = (comm: string) => comm === 'Xvfb';

function kill(match: (comm: string, cmdline: string) => boolean, what: string): void {
  const pid = ownProcess(match);
  if (pid === undefined) throw new Error(`no ${what} process of this test was found to kill`);
  process.kill(pid, 'SIGKILL');
}

// A CORS-valid answer, sent only well after the kill: an engine that took a moment to die (a display goes a moment
// after its X server) could otherwise read it first, and the case would rightly be measured as allowed.
const ANSWER_AFTER_KILL_MS = 3_000;

/** An app that kills one of the engine's processes when the faulted case's request arrives. */
function killThenAnswer(match: (comm: string, cmdline: string) => boolean, what: string): RequestListener {
  return (_req, res) => {
    kill(match, what);
    setTimeout(() => res.writeHead(200, { 'Access-Control-Allow-Origin': '*' }).end('ok'), ANSWER_AFTER_KILL_MS);
  };
}

interface Fault {
  readonly name: string;
  readonly engine: EngineName;
  /** What the app does with the faulted case's request. */
  readonly app: RequestListener;
  /** The harness problem the faulted case must be reported as, and words its message must hold. */
  readonly code: string | RegExp;
  readonly says: RegExp;
  /** The ordinary cases measured alongside. */
  readonly family: string;
}

const FAULTS: readonly Fault[] = [
  {
    name: 'the server destroys the socket in the middle of a CORS-valid response',
    engine: 'chromium',
    app: (_req, res) => {
      res.writeHead(200, { 'Access-Control-Allow-Origin': '*', 'Content-Type': 'text/plain', 'Content-Length': '1000' });
      res.write('the first few bytes of a thousand');
      setTimeout(() => res.socket?.destroy(), 50);
    },
    code: /unconfirmed-block|no-answer/,
    says: /cut off|closed the connection/,
    family: 'preflight',
  },
  {
    name: 'the server destroys the socket before answering',
    engine: 'chromium',
    app: (req) => req.socket.destroy(),
    code: 'no-answer',
    says: /closed the connection without answering/,
    family: 'preflight',
  },
  {
    name: 'the server never answers',
    engine: 'chromium',
    app: () => undefined,
    code: 'timeout',
    says: /within|time/i,
    family: 'preflight',
  },
  {
    name: 'the Chromium browser process is killed mid-run',
    engine: 'chromium',
    app: killThenAnswer(CHROMIUM_BROWSER, 'Chromium browser'),
    code: 'engine-crashed',
    says: /the chromium browser process is gone/,
    family: 'simple-requests',
  },
  {
    name: 'the Firefox browser process is killed mid-run',
    engine: 'firefox',
    app: killThenAnswer(FIREFOX_BROWSER, 'Firefox browser'),
    code: 'engine-crashed',
    says: /the firefox browser process is gone/,
    family: 'simple-requests',
  },
  {
    name: 'MiniBrowser (the WebKit browser) is killed mid-run',
    engine: 'webkit',
    app: killThenAnswer(MINIBROWSER, 'MiniBrowser'),
    code: 'engine-crashed',
    says: /MiniBrowser is gone/,
    family: 'simple-requests',
  },
  {
    name: 'WebKitWebDriver is killed mid-run',
    engine: 'webkit',
    app: killThenAnswer(WEBKIT_DRIVER, 'WebKitWebDriver'),
    code: 'engine-crashed',
    says: /WebKitWebDriver was killed by SIGKILL/,
    family: 'simple-requests',
  },
  {
    name: 'Xvfb is killed mid-run',
    engine: 'webkit',
    app: killThenAnswer(XVFB, 'Xvfb'),
    code: 'engine-crashed',
    says: /Xvfb \(display :\d+\) was killed by SIGKILL/,
    family: 'simple-requests',
  },
];

/** The faulted case: a simple read from the page of an app that does the harm. */
function faultedCase(app: RequestListener): { suite: AppSuite; testCase: Case } {
  const suite: AppSuite = {
    middleware: 'app',
    label: 'fault',
    app: () => app,
    optionsText: 'an app that injects a fault',
    intent: { origins: ['page'] },
  };
  const testCase = loadMiddlewareCases([suite]).find((c) => c.from === 'page' && c.request.method === 'GET' && c.request.credentials !== 'include');
  if (!testCase) throw new Error('the fault suite derived no simple read from the page');
  return { suite, testCase };
}

/** One line per record: an engine's error may carry its whole log (Playwright appends "Browser logs:"). */
function describeRecord(r: CaseRecord): string {
  const problem = r.outcome.harnessProblem?.split('\n')[0];
  return `${r.title}: ${r.outcome.verdict}${problem ? ` (${r.outcome.harnessCode}: ${problem})` : ''}${r.mismatches.length ? ` — ${r.mismatches.map((m) => m.split('\n')[0]).join('; ')}` : ''}`;
}

for (const fault of FAULTS) {
  test(`${fault.name}: the faulted case is a harness error that names it, and the ${fault.family} cases beside it are measured as expected`, async ({}, testInfo) => {
    const ordinary = [...(CASES_BY_FAMILY.get(fault.family) ?? [])];
    expect(ordinary.length).toBeGreaterThan(0);
    const { suite, testCase } = faultedCase(fault.app);
    let servers: RunningServers | undefined;
    let apps: AppCatalog | undefined;
    let session: EngineSession | undefined;
    let measurer: BatchMeasurer | undefined;
    try {
      servers = await startServers();
      apps = new AppCatalog([suite], servers);
      session = await launchEngine(fault.engine);
      // As the worker's measurements do: an engine that dies under the batch is launched anew for what is left.
      measurer = new BatchMeasurer({ session, servers, apps, relaunch: () => launchEngine(fault.engine) });
      // The faulted case first, so its harm lands while the ordinary cases are in flight or still to come.
      const cases = [testCase, ...ordinary];
      const measured = await measurer.measure(cases.map((c) => ({ testCase: c, repeat: 0 })));
      const records = cases.map((c, i) => judgeCase(c, measured[i]!));
      await testInfo.attach('records.txt', { body: records.map(describeRecord).join('\n'), contentType: 'text/plain' });

      const [faulted, ...rest] = records;
      if (faulted) console.log(`faulted: ${describeRecord(faulted)}`);
      expect(faulted?.outcome.verdict, faulted && describeRecord(faulted)).toBe('harness-error');
      if (typeof fault.code === 'string') expect(faulted?.outcome.harnessCode).toBe(fault.code);
      else expect(faulted?.outcome.harnessCode).toMatch(fault.code);
      expect(faulted?.outcome.harnessProblem).toMatch(fault.says);
      const wrong = rest.filter((r) => r.mismatches.length > 0).map(describeRecord);
      expect(wrong, `${wrong.length} of ${rest.length} ordinary cases were not measured as expected after the fault`).toEqual([]);
    } finally {
      await (measurer ?? session)?.close().catch(() => undefined);
      await apps?.close().catch(() => undefined);
      await servers?.close().catch(() => undefined);
      // Nothing this test started may outlive it, whatever the fault did to it.
      for (const p of descendants(process.pid)) if (readProcess(p.pid)) process.kill(p.pid, 'SIGKILL');
    }
  });
}

// An engine that dies under a later call of the batch takes nothing with it from the calls before: the reasons it
// gave for the blocks it measured were read while it ran, and stay with those cases after the relaunch.
for (const engine of ['chromium', 'webkit'] as const) {
  test(`${engine} killed under a later page's call: the blocks measured before keep the engine's own reasons`, async ({}, testInfo) => {
    const ordinary = [...(CASES_BY_FAMILY.get('origin-allow-list') ?? [])].filter((c) => c.from === 'page');
    const killer = engine === 'chromium' ? CHROMIUM_BROWSER : MINIBROWSER;
    const suite: AppSuite = { middleware: 'app', label: 'fault', app: () => killThenAnswer(killer, `${engine} browser`), optionsText: 'an app that kills the engine', intent: { origins: ['page'] } };
    // From another page than the ordinary cases: its call into the engine comes after theirs has returned.
    const faulted = loadMiddlewareCases([suite]).find((c) => c.from === 'other-port' && c.request.method === 'GET');
    if (!faulted) throw new Error('the fault suite derived no read from other-port');
    let servers: RunningServers | undefined;
    let apps: AppCatalog | undefined;
    let measurer: BatchMeasurer | undefined;
    try {
      servers = await startServers();
      apps = new AppCatalog([suite], servers);
      const session = await launchEngine(engine);
      measurer = new BatchMeasurer({ session, servers, apps, relaunch: () => launchEngine(engine) });
      const cases = [...ordinary, faulted];
      const measured = await measurer.measure(cases.map((c) => ({ testCase: c, repeat: 0 })));
      const records = cases.map((c, i) => judgeCase(c, measured[i]!));
      await testInfo.attach('records.txt', { body: records.map(describeRecord).join('\n'), contentType: 'text/plain' });
      const blocked = records.slice(0, ordinary.length).filter((r) => r.outcome.block !== undefined);
      expect(blocked.length).toBeGreaterThan(3);
      const without = blocked.filter((r) => !r.outcome.block?.confirmedBy.includes('engine')).map((r) => `${r.title}: [${r.engineReasons.join(' | ')}]`);
      expect(without, 'blocks measured before the engine died lost the engine\'s own reason').toEqual([]);
      // The engine did die, and was relaunched for the case that killed it.
      expect(records.at(-1)?.outcome.harnessCode).toBe('engine-crashed');
      expect(measurer.session).not.toBe(session);
    } finally {
      await measurer?.close().catch(() => undefined);
      await apps?.close().catch(() => undefined);
      await servers?.close().catch(() => undefined);
      for (const p of descendants(process.pid)) if (readProcess(p.pid)) process.kill(p.pid, 'SIGKILL');
    }
  });
}

// Your own server, run by its command behind the front proxy, as `ownServerTests` runs it. One route crashes the
// whole process; the cases on it must come out as harness errors that say the server ended, and the cases on the
// healthy route, measured around the crashes, as their expectations say.
const FRAGILE_API = fileURLToPath(new URL('./fixtures/fragile-api.mjs', import.meta.url));

interface TargetFault {
  readonly name: string;
  readonly engine: EngineName;
  readonly command: string;
  readonly says: RegExp;
}

const TARGET_FAULTS: readonly TargetFault[] = [
  {
    name: 'your server crashes mid-run (its command exits), and is started again by the harness',
    engine: 'chromium',
    command: `node ${JSON.stringify(FRAGILE_API)}`,
    says: /your server's command exited with code 3; its last words: fragile-api: crashing on purpose/,
  },
  {
    name: 'your server crashes mid-run and restarts by itself (a supervisor keeps the command running)',
    engine: 'webkit',
    command: `while true; do node ${JSON.stringify(FRAGILE_API)}; sleep 0.5; done`,
    says: /your server at http:\/\/127\.0\.0\.1:\d+ did not answer .*your server's command still runs; it just wrote: fragile-api: crashing on purpose/,
  },
];

for (const fault of TARGET_FAULTS) {
  test(`${fault.name}: the crashing route's cases are harness errors that say so, and the healthy route's are measured as expected`, async ({}, testInfo) => {
    const config = defineConfig({
      target: { command: fault.command, url: 'http://127.0.0.1:{port}/api/orders', cwd: dirname(FRAGILE_API) },
      apiOrigin: 'https://api.example.com',
      routes: [
        { path: '/api/crash', methods: ['GET'] },
        { path: '/api/orders', methods: ['GET', 'PUT'] },
      ],
      intent: { origins: ['https://app.example.com'], methods: ['PUT'], headers: ['X-Request-Id'], credentials: true },
      attackers: ['https://evil.test'],
    });
    const cases = ownServerCases(config);
    const crashing = cases.filter((c) => c.target.kind === 'external' && c.target.url.endsWith('/api/crash'));
    expect(crashing.length).toBeGreaterThan(0);
    let environment: ReadyEnvironment | undefined;
    try {
      environment = await ownServerRecipe(config)(fault.engine, undefined);
      const measured = await environment.measurer.measure(cases.map((c) => ({ testCase: c, repeat: 0 })));
      const records = cases.map((c, i) => judgeCase(c, measured[i]!));
      await testInfo.attach('records.txt', { body: records.map(describeRecord).join('\n'), contentType: 'text/plain' });
      const faulted = records.filter((_, i) => crashing.includes(cases[i]!));
      const healthy = records.filter((_, i) => !crashing.includes(cases[i]!));
      console.log(`faulted, e.g.: ${describeRecord(faulted[0]!)}`);
      for (const record of faulted) {
        expect(record.outcome.verdict, describeRecord(record)).toBe('harness-error');
        expect(record.outcome.harnessCode, describeRecord(record)).toBe('target-unreachable');
        expect(record.outcome.harnessProblem, describeRecord(record)).toMatch(fault.says);
      }
      const wrong = healthy.filter((r) => r.mismatches.length > 0).map(describeRecord);
      expect(wrong, `${wrong.length} of ${healthy.length} healthy-route cases were not measured as expected around the crashes`).toEqual([]);
    } finally {
      await environment?.close().catch(() => undefined);
      for (const p of descendants(process.pid)) if (readProcess(p.pid)) process.kill(p.pid, 'SIGKILL');
    }
  });
}

test('a port another process holds at start: a fixed target port is refused before any engine starts, naming the port and the fix', async () => {
  const holder = createServer((_req, res) => res.end('not your server'));
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  const { port } = holder.address() as AddressInfo;
  const config = defineConfig({
    target: { command: `node ${JSON.stringify(FRAGILE_API)}`, url: `http://127.0.0.1:${port}/api/orders`, env: { PORT: String(port) } },
    routes: [{ path: '/api/orders' }],
    intent: { origins: ['https://app.example.com'] },
  });
  const before = descendants(process.pid).length;
  try {
    await expect(ownServerRecipe(config)('chromium', undefined)).rejects.toThrow(new RegExp(`another process already listens on 127\\.0\\.0\\.1:${port} \\(target\\.url\\).*write \\{port\\} in target\\.url`));
    // Nothing was started: no engine, no server of yours.
    expect(descendants(process.pid).length).toBe(before);
  } finally {
    holder.close();
  }
});

/** A port picker whose first pick is a port this test already holds: the race between choosing a port and binding it, lost. */
async function takenFirst(): Promise<{ readonly freePort: () => Promise<number>; readonly taken: number; release(): void }> {
  const holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  const { port: taken } = holder.address() as AddressInfo;
  let picks = 0;
  const picked = createServer();
  const freePort = async (): Promise<number> => {
    if (picks++ === 0) return taken;
    await new Promise<void>((resolve) => picked.listen(0, '127.0.0.1', resolve));
    const { port } = picked.address() as AddressInfo;
    await new Promise<void>((resolve) => picked.close(() => resolve()));
    return port;
  };
  return { freePort, taken, release: () => void holder.close() };
}

test('a port taken between its choice and its use: WebKitWebDriver and your server ({port}) are started on another, and the run measures as expected', async ({}, testInfo) => {
  const driverPorts = await takenFirst();
  const targetPorts = await takenFirst();
  let servers: RunningServers | undefined;
  let measurer: BatchMeasurer | undefined;
  let session: EngineSession | undefined;
  let target: Awaited<ReturnType<typeof startTarget>> | undefined;
  try {
    target = await startTarget({ command: `node ${JSON.stringify(FRAGILE_API)}`, url: 'http://127.0.0.1:{port}/api/orders' }, targetPorts.freePort);
    expect(target.url.port).not.toBe(String(targetPorts.taken));
    expect((await fetch(new URL('/api/orders', target.url))).status).toBe(200);

    servers = await startServers();
    session = await launchEngine('webkit', { freePort: driverPorts.freePort });
    measurer = new BatchMeasurer({ session, servers });
    const cases = [...(CASES_BY_FAMILY.get('simple-requests') ?? [])];
    const measured = await measurer.measure(cases.map((c) => ({ testCase: c, repeat: 0 })));
    const records = cases.map((c, i) => judgeCase(c, measured[i]!));
    await testInfo.attach('records.txt', { body: records.map(describeRecord).join('\n'), contentType: 'text/plain' });
    const wrong = records.filter((r) => r.mismatches.length > 0).map(describeRecord);
    expect(wrong, `${wrong.length} of ${records.length} cases were not measured as expected`).toEqual([]);
    // The driver runs on another port than the one taken.
    expect(descendants(process.pid).some((p) => p.comm === 'WebKitWebDriver' && !p.cmdline.includes(`--port=${driverPorts.taken}`))).toBe(true);
  } finally {
    await (measurer ?? session)?.close().catch(() => undefined);
    await servers?.close().catch(() => undefined);
    await target?.stop().catch(() => undefined);
    driverPorts.release();
    targetPorts.release();
    for (const p of descendants(process.pid)) if (readProcess(p.pid)) process.kill(p.pid, 'SIGKILL');
  }
});

// An engine that does not accept the harness's certificate: every https request and https page fails its TLS
// handshake. Those cases must be harness errors that say the certificate was refused (never CORS blocks, never a
// vanished request), and the plain-http cases beside them must be measured as expected.
for (const engine of ['chromium', 'firefox', 'webkit'] as const) {
  test(`${engine} refuses the server's certificate: the https cases are harness errors that say so, and the http cases beside them are measured as expected`, async ({}, testInfo) => {
    const cases = ['origin-allow-list', 'credentials'].flatMap((family) => [...(CASES_BY_FAMILY.get(family) ?? [])]);
    const overTls = (c: Case): boolean => c.from.startsWith('https') || c.to.startsWith('https');
    expect(cases.filter(overTls).length).toBeGreaterThan(0);
    let servers: RunningServers | undefined;
    let measurer: BatchMeasurer | undefined;
    let session: EngineSession | undefined;
    try {
      servers = await startServers();
      session = await launchEngine(engine, { acceptHarnessCertificates: false });
      measurer = new BatchMeasurer({ session, servers, relaunch: () => launchEngine(engine, { acceptHarnessCertificates: false }) });
      const measured = await measurer.measure(cases.map((c) => ({ testCase: c, repeat: 0 })));
      const records = cases.map((c, i) => judgeCase(c, measured[i]!));
      await testInfo.attach('records.txt', { body: records.map(describeRecord).join('\n'), contentType: 'text/plain' });
      const faulted = records.filter((_, i) => overTls(cases[i]!));
      const plain = records.filter((_, i) => !overTls(cases[i]!));
      console.log(`faulted, e.g.: ${describeRecord(faulted[0]!)}`);
      for (const record of faulted) {
        expect(record.outcome.verdict, describeRecord(record)).toBe('harness-error');
        expect(record.outcome.harnessCode, describeRecord(record)).toBe('certificate-refused');
        expect(record.outcome.harnessProblem, describeRecord(record)).toMatch(/the engine broke off the TLS handshake with [a-z.]+ \(\w+\)( \(earlier[^)]*\))?: it refused the server's certificate/);
      }
      const wrong = plain.filter((r) => r.mismatches.length > 0).map(describeRecord);
      expect(wrong, `${wrong.length} of ${plain.length} plain-http cases were not measured as expected`).toEqual([]);
    } finally {
      await (measurer ?? session)?.close().catch(() => undefined);
      await servers?.close().catch(() => undefined);
      for (const p of descendants(process.pid)) if (readProcess(p.pid)) process.kill(p.pid, 'SIGKILL');
    }
  });
}
