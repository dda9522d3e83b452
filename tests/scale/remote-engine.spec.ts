import { spawn, type ChildProcess } from 'node:child_process';
import { expect, test } from '@playwright/test';
import getPort from 'get-port';
import { findBuild, WEBKIT_WEBDRIVER, XVFB } from '../../lib/measure/engines/find-builds.ts';
import { readResults, ROOT, run, scratch } from './child-run.ts';

// Engines on another machine, as Playwright and WebDriver reach them: a Playwright server (`npx playwright
// run-server`, here on loopback) for Chromium, and a WebDriver endpoint (a WebKitWebDriver we start, as a Selenium
// Grid or safaridriver would be) for WebKit. The servers stay with the test run; the engines reach them back through
// Playwright's exposeNetwork and, for WebDriver, the shared loopback.
const started: ChildProcess[] = [];

// Each in its own process group, ended as a whole: `npx playwright run-server` is npx, a shell and node, and
// ending npx alone leaves the server running.
function start(command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  started.push(child);
  return child;
}

function stopAll(): void {
  for (const child of started) {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) continue;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}
process.once('exit', stopAll);

async function answers(url: string, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (await fetch(url).then(() => true, () => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${deadlineMs} ms`);
}

async function display(): Promise<string> {
  const xvfb = start(XVFB, ['-displayfd', '1', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp']);
  return new Promise((resolve) => xvfb.stdout?.once('data', (chunk: Buffer) => resolve(`:${chunk.toString().trim()}`)));
}

test.afterAll(stopAll);

test('a family runs in engines reached remotely: Chromium through a Playwright server, WebKit through a WebDriver endpoint', async () => {
  const wsPort = await getPort({ host: '127.0.0.1' });
  start('npx', ['playwright', 'run-server', '--host', '127.0.0.1', '--port', String(wsPort), '--unsafe']);
  await answers(`http://127.0.0.1:${wsPort}/`, 30_000);

  const driverPort = await getPort({ host: '127.0.0.1' });
  start(WEBKIT_WEBDRIVER, [`--port=${driverPort}`, '--host=local'], { DISPLAY: await display() });
  await answers(`http://127.0.0.1:${driverPort}/status`, 15_000);

  const chromium = findBuild('chromium');
  const report = scratch('remote');
  const result = await run('npx', ['playwright', 'test', '-c', 'tests/scale/remote.config.ts', '-g', 'simple-requests'], {
    REMOTE_CHROMIUM_WS: `ws://127.0.0.1:${wsPort}/`,
    REMOTE_CHROMIUM_LAUNCH: JSON.stringify(chromium.build === 'system' ? { executablePath: chromium.executable } : {}),
    REMOTE_WEBKIT_WEBDRIVER: `http://127.0.0.1:${driverPort}/`,
    CORS_MATRIX_REPORT_DIR: report,
  });
  expect(result.code, result.output).toBe(0);
  const results = readResults(report);
  for (const engine of ['chromium', 'webkit']) {
    const summary = results.engines.find((e) => e.project === engine);
    expect(summary?.engine?.build, `${engine} ran remotely`).toBe('remote');
    expect(summary?.passed).toBeGreaterThan(20);
    expect(summary?.failed).toBe(0);
  }
});
