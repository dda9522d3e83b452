import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import getPort from 'get-port';
import WebDriver, { type Client } from 'webdriver';
import logger from '@wdio/logger';
import type { PageReport, PageRequest, PageStepReport, PageUnit } from '../../model/page-report.ts';
import { EngineCallError, IN_PAGE_ENTRY, IN_PAGE_FLOOR_ENTRY, IN_PAGE_UNITS_ENTRY, type EngineInfo, type EngineSession, type LaunchSettings, type RemoteEngine } from './engine.ts';
import { SYSTEM_BUILDS, WEBKIT_WEBDRIVER, type FoundBuild } from './find-builds.ts';
import { startXvfb } from './xvfb.ts';
import { EngineMessageLog } from './engine-messages.ts';
import { inspectorPortOf, listenToWebKitConsole, type WebKitConsole } from './webkit-inspector.ts';
import { PROFILE_SETTINGS } from './profile-settings.ts';
import { DEFAULT_PROFILE } from '../../model/profiles.ts';
import { exitDescription, registerChild } from '../../../servers/child-processes.ts';

// WebDriver classic passes the callback as the last argument of an async script.
const RUN_SCRIPT = `const done = arguments[arguments.length - 1];
if (typeof window[arguments[0]] !== 'function') done({ kind: 'harness-error', code: 'page-not-loaded', message: 'the runner page did not load at ' + location.href });
else window[arguments[0]](arguments[1]).then(done, (error) => done({ kind: 'harness-error', code: 'runner-failed', message: 'runner threw: ' + error }));`;

const RUN_UNITS_SCRIPT = `const done = arguments[arguments.length - 1];
if (typeof window[arguments[0]] !== 'function') done({ code: 'page-not-loaded', error: 'the runner page did not load at ' + location.href });
else window[arguments[0]](arguments[1], arguments[2]).then((results) => done({ results }), (error) => done({ code: 'runner-failed', error: 'runner threw: ' + error }));`;

const DRIVER_PORT_ATTEMPTS = 3;

/**
 * Starts WebKitWebDriver on a free port and waits until it answers. The port is free when picked; another process
 * may take it before the driver binds it, and then the driver exits at once ("Unable to listen"): another is picked.
 */
async function startDriver(display: string, freePort: () => Promise<number>): Promise<{ readonly port: number; readonly driver: ChildProcess }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const driver = registerChild(spawn(WEBKIT_WEBDRIVER, [`--port=${port}`, '--host=local'], { env: { ...process.env, DISPLAY: display }, stdio: ['ignore', 'ignore', 'pipe'] }), 'WebKitWebDriver');
    let stderr = '';
    driver.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      await waitForDriver(port, driver, 15_000);
      return { port, driver };
    } catch (error) {
      driver.kill();
      if (attempt >= DRIVER_PORT_ATTEMPTS || !/Unable to listen/.test(stderr)) throw new Error(`${error instanceof Error ? error.message : String(error)}${stderr ? `: ${stderr.trim()}` : ''}`);
    }
  }
}

async function waitForDriver(port: number, driver: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ended = exitDescription(driver);
    if (ended) throw new Error(`WebKitWebDriver ${ended} before it answered`);
    try {
      // Whatever else holds the port may never answer, or answer for another driver: ours must still run after.
      const res = await fetch(`http://127.0.0.1:${port}/status`, { signal: AbortSignal.timeout(1000) });
      if (res.ok && !exitDescription(driver)) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`WebKitWebDriver did not answer on 127.0.0.1:${port} within ${timeoutMs} ms`);
}

interface LocalProcesses {
  whatDied(): Promise<string | undefined>;
  release(): Promise<void>;
}

/** A process's children (pid and command name), from /proc (Linux, where WebKitGTK runs). */
async function childrenOf(pid: number): Promise<{ readonly pid: number; readonly name: string }[]> {
  const children: { pid: number; name: string }[] = [];
  for (const entry of await readdir('/proc').catch(() => [])) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // comm is in parentheses and may hold spaces; the parent pid is the second field after it.
    const match = /^\d+ \((.*)\) \S+ (\d+)/.exec(stat);
    if (match && Number(match[2]) === pid) children.push({ pid: Number(entry), name: match[1] ?? '' });
  }
  return children;
}

/** The command names of a process's children. */
async function childNames(pid: number): Promise<string[]> {
  return (await childrenOf(pid)).map((c) => c.name);
}

/**
 * WebKit's own console messages of the driven tab, read from MiniBrowser's inspector socket (webkit-inspector.ts), or
 * why there are none.
 */
async function consoleOf(driverPid: number | undefined): Promise<{ log: EngineMessageLog; console: WebKitConsole } | { unavailable: string }> {
  try {
    const browser = driverPid === undefined ? undefined : (await childrenOf(driverPid)).find((c) => c.name === 'MiniBrowser');
    if (!browser) return { unavailable: 'WebKitGTK gives no reason here: MiniBrowser was not found among WebKitWebDriver\'s processes, so its inspector socket is unknown' };
    const log = new EngineMessageLog();
    return { log, console: await listenToWebKitConsole(await inspectorPortOf(browser.pid), log) };
  } catch (error) {
    return { unavailable: `WebKitGTK gives no reason here: ${error instanceof Error ? error.message : String(error)}` };
  }
}

const REMOTE_UNAVAILABLE =
  'WebKitGTK gives no reason here: classic WebDriver has no console access, and the inspector socket of a browser behind a remote WebDriver endpoint is out of reach';

class WebKitGtkSession implements EngineSession {
  #currentUrl: string | undefined;

  constructor(
    readonly info: EngineInfo,
    private readonly client: Client,
    private readonly mainWindow: string,
    /** What was started for this session here (the driver and its display); nothing for a remote endpoint. */
    private readonly local?: LocalProcesses,
    /** WebKit's console, heard through the inspector socket of the browser started here. */
    private readonly heard: { readonly log: EngineMessageLog; readonly console: WebKitConsole } | { readonly unavailable: string } = { unavailable: REMOTE_UNAVAILABLE },
  ) {}

  get messages(): EngineMessageLog | { readonly unavailable: string } {
    return 'log' in this.heard ? this.heard.log : this.heard;
  }

  async whatDied(): Promise<string | undefined> {
    return this.local?.whatDied();
  }

  async #execute(request: PageRequest): Promise<PageReport> {
    return (await this.client.executeAsyncScript(RUN_SCRIPT, [IN_PAGE_ENTRY, request as unknown as object])) as PageReport;
  }

  async #goTo(pageUrl: string): Promise<void> {
    if (this.#currentUrl === pageUrl) return;
    try {
      await this.client.navigateTo(pageUrl);
    } catch (error) {
      throw new EngineCallError('page-not-loaded', `navigateTo ${pageUrl}: ${error instanceof Error ? error.message : String(error)}`);
    }
    // A navigation WebKit could not complete (a refused certificate) may leave the previous page in place without an
    // error: running the cases there would send them from the wrong origin.
    const at = (await this.client.executeScript('return location.href', [])) as string;
    if (at !== pageUrl) {
      this.#currentUrl = undefined;
      throw new EngineCallError('page-not-loaded', `navigateTo ${pageUrl}: the page did not load (still at ${at})`);
    }
    this.#currentUrl = pageUrl;
  }

  async runUnits(pageUrl: string, units: readonly PageUnit[], limit: number): Promise<PageStepReport[][]> {
    await this.#goTo(pageUrl);
    const answer = (await this.client.executeAsyncScript(RUN_UNITS_SCRIPT, [IN_PAGE_UNITS_ENTRY, units as unknown as object, limit])) as
      | { results: PageStepReport[][] }
      | { code: 'page-not-loaded' | 'runner-failed'; error: string };
    if ('error' in answer) throw new EngineCallError(answer.code, answer.error);
    return answer.results;
  }

  async floor(pageUrl: string, requests: readonly PageRequest[], limit: number): Promise<number> {
    await this.#goTo(pageUrl);
    const script = 'const done = arguments[arguments.length - 1]; window[arguments[0]](arguments[1], arguments[2]).then(done, () => done(-1));';
    return (await this.client.executeAsyncScript(script, [IN_PAGE_FLOOR_ENTRY, requests as unknown as object, limit])) as number;
  }

  async runIsolated(pageUrl: string, request: PageRequest): Promise<PageReport> {
    // WebDriver classic has no browser contexts: a fresh window is the nearest thing to a fresh page.
    const { handle } = await this.client.createWindow('tab');
    await this.client.switchToWindow(handle);
    try {
      await this.client.navigateTo(pageUrl);
      return await this.#execute(request);
    } finally {
      await this.client.closeWindow();
      await this.client.switchToWindow(this.mainWindow);
    }
  }

  async visit(url: string): Promise<void> {
    await this.client.navigateTo(url);
    this.#currentUrl = undefined;
  }

  async close(): Promise<void> {
    // A driver whose browser or display died may never answer: ending the session is not worth waiting for.
    const givenUp = new Promise<void>((resolve) => setTimeout(resolve, 5_000).unref());
    if ('console' in this.heard) this.heard.console.close();
    await Promise.race([this.client.deleteSession().catch(() => undefined), givenUp]);
    await this.local?.release();
  }
}

function driverCapabilities(executable: string, settings: LaunchSettings): Record<string, unknown> {
  const { proxy } = settings;
  // The profile's cookie policy (and Intelligent Tracking Prevention under `strict`): MiniBrowser's own switches.
  const profileArgs = PROFILE_SETTINGS[settings.profile ?? DEFAULT_PROFILE].webkit.args;
  return {
    browserName: 'MiniBrowser',
    acceptInsecureCerts: settings.acceptHarnessCertificates ?? true,
    // WebKitGTK 2.50 has no BiDi; without this the client asks for it and the session is refused.
    'wdio:enforceWebDriverClassic': true,
    // browserOptions.args replaces MiniBrowser's defaults, so --automation must be passed here.
    // The WebDriver proxy capability reaches http only here (its sslProxy never carries https); MiniBrowser's own
    // --proxy sets one proxy for every scheme, https through CONNECT.
    'webkitgtk:browserOptions': { binary: executable, args: ['--automation', ...profileArgs, ...(proxy ? [`--proxy=${proxy}`] : [])] },
  };
}

async function openSession(endpoint: URL, capabilities: Record<string, unknown>): Promise<{ client: Client; version: string; mainWindow: string }> {
  // newSession sets the level of its own logger only: @wdio/utils would print "INFO Connecting to existing driver"
  // into every run's terminal. Its logger exists from the import on, so its level is set here, before the session.
  logger.setLogLevelsConfig({ '@wdio/utils': 'error', webdriver: 'error' }, 'error');
  const client = await WebDriver.newSession({
    protocol: endpoint.protocol.replace(':', ''),
    hostname: endpoint.hostname,
    port: Number(endpoint.port || (endpoint.protocol === 'https:' ? 443 : 80)),
    path: endpoint.pathname,
    logLevel: 'error',
    logLevels: { '@wdio/utils': 'error' },
    connectionRetryCount: 0,
    capabilities: capabilities as WebdriverIO.Capabilities,
  });
  await client.setTimeouts(0, 30_000, 300_000);
  return { client, version: String(client.capabilities.browserVersion ?? 'unknown'), mainWindow: await client.getWindowHandle() };
}

/** WebKit behind a WebDriver endpoint elsewhere: Selenium Grid, safaridriver, or a WebKitWebDriver on another machine. */
export async function connectWebDriver(remote: Extract<RemoteEngine, { webdriverUrl: string }>, settings: LaunchSettings = {}): Promise<EngineSession> {
  const endpoint = new URL(remote.webdriverUrl);
  const capabilities = remote.capabilities ?? driverCapabilities(SYSTEM_BUILDS.webkit.executable, settings);
  // Capabilities the harness wrote (MiniBrowser's switches) set the profile; a grid's own capabilities leave it to the grid.
  const profile = remote.capabilities ? 'unmanaged' : (settings.profile ?? DEFAULT_PROFILE);
  const { client, version, mainWindow } = await openSession(endpoint, { 'wdio:enforceWebDriverClassic': true, ...capabilities });
  const info: EngineInfo = { name: 'webkit', version, build: 'remote', executable: remote.webdriverUrl, protocol: 'webdriver-classic', profile };
  return new WebKitGtkSession(info, client, mainWindow);
}

/** MiniBrowser through WebKitWebDriver (classic WebDriver), under an Xvfb the harness starts and stops itself. */
export async function launchWebKitGtk(found: FoundBuild, settings: LaunchSettings = {}): Promise<EngineSession> {
  const display = await startXvfb();
  let started: Awaited<ReturnType<typeof startDriver>>;
  try {
    started = await startDriver(display.display, settings.freePort ?? (() => getPort({ host: '127.0.0.1' })));
  } catch (error) {
    await display.stop();
    throw error;
  }
  const { port, driver } = started;
  try {
    const { client, version, mainWindow } = await openSession(new URL(`http://127.0.0.1:${port}/`), driverCapabilities(found.executable, settings));
    const info: EngineInfo = { name: 'webkit', version, build: found.build, executable: found.executable, protocol: 'webdriver-classic', profile: settings.profile ?? DEFAULT_PROFILE };
    const heard = await consoleOf(driver.pid);
    return new WebKitGtkSession(info, client, mainWindow, {
      whatDied: async () => {
        // The failed call may come back before this process has seen its child's exit: give the exit a moment.
        await new Promise((resolve) => setTimeout(resolve, 300));
        const driverEnded = exitDescription(driver);
        if (driverEnded) return `WebKitWebDriver ${driverEnded}`;
        const displayEnded = display.ended();
        if (displayEnded) return `Xvfb (display ${display.display}) ${displayEnded}`;
        if (driver.pid !== undefined && !(await childNames(driver.pid)).includes('MiniBrowser')) return 'MiniBrowser is gone (WebKitWebDriver still runs)';
        return undefined;
      },
      release: async () => {
        driver.kill();
        await display.stop();
      },
    }, heard);
  } catch (error) {
    driver.kill();
    await display.stop();
    throw error;
  }
}
