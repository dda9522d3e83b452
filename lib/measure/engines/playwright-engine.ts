import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, firefox, webkit, type Browser, type BrowserContext, type BrowserContextOptions, type LaunchOptions, type Page } from 'playwright';
import type { PageReport, PageRequest, PageStepReport, PageUnit } from '../../model/page-report.ts';
import { EngineCallError, IN_PAGE_ENTRY, IN_PAGE_FLOOR_ENTRY, IN_PAGE_UNITS_ENTRY, type EngineName, type EngineSession, type LaunchSettings, type RemoteEngine } from './engine.ts';
import { EngineMessageLog } from './engine-messages.ts';
import type { FoundBuild } from './find-builds.ts';
import { resolveLocalhostNamesHere } from './localhost-names.ts';
import { surviveHangupInWorker } from '../../../servers/child-processes.ts';
import { chromiumAddressSpaceArgs, firefoxAddressSpacePrefs, grantLocalNetworkAccess } from '../../../servers/public-address.ts';
import { DEFAULT_PROFILE, type MeasuredProfile } from '../../model/profiles.ts';
import { PROFILE_SETTINGS, type ChromiumProfileSettings } from './profile-settings.ts';

/**
 * Tabs kept per engine, and so pages driven at once. Firefox opens and loads tabs one after another over BiDi, so
 * more tabs only queue there: 3 measured fastest on this project's matrix.spec.ts (17.7 s of batch against 20.2 s
 * with 6, 2026-12-05); Chromium gains from 6.
 */
function tabsFor(name: EngineName): number {
  return name === 'firefox' ? 3 : 6;
}

// Without these, Chromium keeps dialling Google's services, which this sandbox refuses.
const CHROMIUM_QUIET = ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/**
 * Firefox sends nothing for localhost or 127.0.0.1 to a proxy unless told to (measured: without it an API on
 * http://localhost:PORT was dialled directly, past the front proxy, and a page there failed with
 * NS_ERROR_CONNECTION_REFUSED): loopback API origins and page origins then go through the front proxy as in the
 * other engines.
 */
const FIREFOX_PROXY_LOOPBACK = { 'network.proxy.allow_hijacking_localhost': true } as const;

/** How Playwright launches the build that was found. */
export function launchOptions(found: FoundBuild, chromiumArgs: readonly string[] = [], firefoxUserPrefs: Readonly<Record<string, string | number | boolean>> = {}): LaunchOptions {
  if (found.build === 'bundled') return found.name === 'chromium' ? { args: [...CHROMIUM_QUIET, ...chromiumArgs] } : found.name === 'firefox' ? { firefoxUserPrefs } : {};
  if (found.name === 'chromium') return { executablePath: found.executable, args: [...CHROMIUM_QUIET, ...chromiumArgs] };
  // Stock Firefox speaks WebDriver BiDi, which Playwright reaches through the moz-firefox channel.
  if (found.name === 'firefox') return { channel: 'moz-firefox', executablePath: found.executable, firefoxUserPrefs };
  throw new Error(`Playwright cannot drive the system build of ${found.name}`);
}

type RunnerWindow = Window & Record<string, (request: PageRequest) => Promise<PageReport>>;
type UnitsWindow = Window & Record<string, (units: readonly PageUnit[], limit: number) => Promise<PageStepReport[][]>>;

async function runIn(page: Page, request: PageRequest): Promise<PageReport> {
  return page.evaluate(([entry, spec]) => (window as unknown as RunnerWindow)[entry]!(spec), [IN_PAGE_ENTRY, request] as const);
}

// Chromium says "Failed to load resource: net::ERR_FAILED" after every block; the line before it holds the reason.
const NOISE = /^Failed to load resource: net::ERR_FAILED$/;

interface CorsErrorStatus {
  corsError: string;
  failedParameter?: string;
}

/** Listens, without intercepting anything, to what the engine says about each request. */
async function listen(page: Page, context: BrowserContext, log: EngineMessageLog, name: string): Promise<void> {
  page.on('console', (message) => {
    if (message.type() === 'error' && !NOISE.test(message.text())) log.add('console', message.text());
  });
  // Firefox reports CORS failures as page errors over WebDriver BiDi; Playwright splits "Cross-Origin Request Blocked:
  // The Same Origin Policy …" into a name and a message, joined again here into the engine's own line.
  page.on('pageerror', (error) => log.add('console', error.name ? `${error.name}: ${error.message}` : error.message));
  if (name !== 'chromium') return;
  const devtools = await context.newCDPSession(page);
  const urls = new Map<string, string>();
  devtools.on('Network.requestWillBeSent', (event: { requestId: string; request: { url: string } }) => urls.set(event.requestId, event.request.url));
  devtools.on('Network.loadingFailed', (event: { requestId: string; errorText?: string; blockedReason?: string; corsErrorStatus?: CorsErrorStatus }) => {
    const url = urls.get(event.requestId) ?? 'an unknown URL';
    const status = event.corsErrorStatus;
    if (status) {
      const parameter = status.failedParameter ? ` (${status.failedParameter})` : '';
      log.add('devtools', `corsErrorStatus ${status.corsError}${parameter} for ${url}`);
    }
    // A refusal before sending (a blocked port, mixed content, an inspector rule) is a blockedReason or a net:: error
    // with no CORS status: the engine's own words for a request it never sent.
    else if (event.blockedReason !== undefined) log.add('devtools', `blockedReason ${event.blockedReason} (${event.errorText ?? ''}) for ${url}`);
    else if (event.errorText !== undefined && /ERR_UNSAFE_PORT|ERR_BLOCKED/.test(event.errorText)) log.add('devtools', `${event.errorText} for ${url}`);
  });
  // A dedicated worker's requests are its own target's, out of this session's Network domain; its console errors
  // ("Access to fetch at … blocked by CORS policy") reach the page's Log domain as source "worker", which Playwright
  // does not turn into console events.
  devtools.on('Log.entryAdded', (event: { entry: { source: string; level: string; text: string } }) => {
    if (event.entry.source === 'worker' && event.entry.level === 'error') log.add('console', event.entry.text);
  });
  await devtools.send('Network.enable');
  await devtools.send('Log.enable');
}

/** One open tab: the page URL it shows, and how many calls are in it now (a tab in use is never navigated away). */
interface Tab {
  /** Undefined until the engine opened it. */
  page: Page | undefined;
  url: string | undefined;
  /** Settles once the tab shows `url` (rejects when it could not load it). */
  loaded: Promise<void>;
  inUse: number;
  /** Its last load failed: the engine may still be committing an error page there, so it is closed, never reused. */
  failed: boolean;
}

class PlaywrightSession implements EngineSession {
  // Opening a tab costs more than navigating one (Firefox over BiDi: ~530 ms for a tab against ~150–350 ms for a
  // load; measured 2026-12-05), and a tab keeps its listeners across navigations: at most `pagesAtOnce` tabs are kept
  // and navigated to the page each call needs. Calls into the same page at once share its tab.
  readonly #tabs: Tab[] = [];
  readonly #waiting: (() => void)[] = [];
  readonly messages = new EngineMessageLog();

  constructor(
    readonly info: EngineSession['info'],
    private readonly browser: Browser,
    private readonly context: BrowserContext,
    private readonly contextOptions: BrowserContextOptions,
    /** Ends what this session holds: the browser, or only its context in a shared one (and what the launch left on disk). */
    private readonly end: () => Promise<void>,
    /** Tabs kept open at most, and so calls into different pages at once. */
    readonly pagesAtOnce: number = 6,
  ) {}

  async #load(tab: Tab, url: string, waitUntil: 'load' | 'commit'): Promise<void> {
    let page = tab.page;
    if (!page) {
      page = tab.page = await this.context.newPage();
      await listen(page, this.context, this.messages, this.info.name);
    }
    try {
      await page.goto(url, { waitUntil });
    } catch (error) {
      tab.failed = true;
      throw new EngineCallError('page-not-loaded', error instanceof Error ? error.message : String(error));
    }
  }

  /** Lets go of a tab: the next waiting call may take it; a failed one is closed and leaves the pool. */
  #letGo(tab: Tab): void {
    tab.inUse -= 1;
    if (tab.inUse > 0) return;
    if (tab.failed) {
      this.#tabs.splice(this.#tabs.indexOf(tab), 1);
      void tab.page?.close().catch(() => undefined);
    }
    // Every waiting call looks again: one may now share a tab, another take this one.
    for (const wake of this.#waiting.splice(0)) wake();
  }

  /** A tab showing `url`, held while `work` runs: the one already there, an idle one navigated, or a new one. */
  async #inTab<T>(url: string, work: (page: Page) => Promise<T>, waitUntil: 'load' | 'commit' = 'load'): Promise<T> {
    let tab: Tab | undefined;
    while (!tab) {
      tab = this.#tabs.find((t) => !t.failed && t.url === url);
      if (tab) break;
      const idle = this.#tabs.find((t) => !t.failed && t.inUse === 0);
      if (idle || this.#tabs.length < this.pagesAtOnce) {
        tab = idle ?? { page: undefined, url, loaded: Promise.resolve(), inUse: 0, failed: false };
        if (!idle) this.#tabs.push(tab);
        tab.url = url;
        tab.loaded = this.#load(tab, url, waitUntil);
        // Awaited below by every call sharing the load; this only keeps an unawaited failure from being unhandled.
        tab.loaded.catch(() => undefined);
      } else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
    tab.inUse += 1;
    try {
      await tab.loaded;
      return await work(tab.page!);
    } finally {
      this.#letGo(tab);
    }
  }

  async runUnits(pageUrl: string, units: readonly PageUnit[], limit: number): Promise<PageStepReport[][]> {
    // The units go in and their reports come back as one JSON string each way: an object tree of this size is
    // serialized value by value by the protocol, which costs more than the requests themselves over Firefox's
    // WebDriver BiDi (250 units, measured 2026-12-06: 140 ms in and 130 ms out as objects, 3 ms and 46 ms as JSON;
    // Chromium 25 and 27 ms against 2 and 3).
    const json = await this.#inTab(pageUrl, (page) =>
      page.evaluate(async ([entry, batch, max]) => JSON.stringify(await (window as unknown as UnitsWindow)[entry]!(JSON.parse(batch) as PageUnit[], max)), [IN_PAGE_UNITS_ENTRY, JSON.stringify(units), limit] as const),
    );
    return JSON.parse(json) as PageStepReport[][];
  }

  async floor(pageUrl: string, requests: readonly PageRequest[], limit: number): Promise<number> {
    // As JSON, like the harness's units (runUnits): the floor's own clock runs in the page, after the requests arrived.
    return this.#inTab(pageUrl, (page) => page.evaluate(([entry, list, max]) => (window as unknown as Record<string, (r: readonly PageRequest[], l: number) => Promise<number>>)[entry]!(JSON.parse(list) as PageRequest[], max), [IN_PAGE_FLOOR_ENTRY, JSON.stringify(requests), limit] as const));
  }

  async runIsolated(pageUrl: string, request: PageRequest): Promise<PageReport> {
    const context = await this.browser.newContext(this.contextOptions);
    try {
      const page = await context.newPage();
      await page.goto(pageUrl);
      return await runIn(page, request);
    } finally {
      await context.close();
    }
  }

  async visit(url: string): Promise<void> {
    // The cookies are set by the answer's headers: the visit is done once the navigation commits.
    await this.#inTab(url, async () => undefined, 'commit');
  }

  async whatDied(): Promise<string | undefined> {
    return this.browser.isConnected() ? undefined : `the ${this.info.name} browser process is gone (its connection to Playwright closed)`;
  }

  async close(): Promise<void> {
    await this.end();
  }
}

/** Closes a browser, then removes what its launch left on disk, whether or not the close went well. */
function closingBrowser(browser: Browser, release: () => void = () => undefined): () => Promise<void> {
  return async () => {
    try {
      await browser.close();
    } finally {
      release();
    }
  };
}

/** A Firefox that several sessions use, each through a context of its own. */
interface SharedFirefox {
  readonly launched: Promise<LaunchedBrowser>;
  /** Sessions open in it now: the browser closes with the last. */
  open: number;
  /** Sessions it has hosted: past SESSIONS_PER_SHARED_FIREFOX a new one takes the next (see below). */
  hosted: number;
}

/**
 * How many sessions one shared Firefox hosts before the next gets a fresh browser. Firefox's WebDriver BiDi agent
 * keeps what it recorded of every request for the life of the browser, whatever context made it
 * (lib/playwright/worker-measurements.ts CASES_PER_SESSION): sharing is bounded so a long run does not grow one
 * browser without end.
 */
const SESSIONS_PER_SHARED_FIREFOX = 6;
const sharedFirefoxes = new Map<string, SharedFirefox>();

/** A launched browser, and how to end it (with what its launch left on disk). */
interface LaunchedBrowser {
  readonly browser: Browser;
  readonly end: () => Promise<void>;
}

/** A shared Firefox launched with exactly these options (launched now if none is, or the last is spent or gone). */
async function sharedFirefox(key: string, launch: () => Promise<LaunchedBrowser>): Promise<LaunchedBrowser> {
  let shared = sharedFirefoxes.get(key);
  if (shared && (shared.hosted >= SESSIONS_PER_SHARED_FIREFOX || !(await shared.launched.then(({ browser }) => browser.isConnected(), () => false)))) {
    sharedFirefoxes.delete(key);
    shared = undefined;
  }
  if (!shared) {
    const entry: SharedFirefox = { launched: launch(), open: 0, hosted: 0 };
    // A launch that failed is not kept: the next session launches again.
    entry.launched.catch(() => sharedFirefoxes.get(key) === entry && sharedFirefoxes.delete(key));
    sharedFirefoxes.set(key, entry);
    shared = entry;
  }
  const entry = shared;
  entry.open += 1;
  entry.hosted += 1;
  let launched: LaunchedBrowser;
  try {
    launched = await entry.launched;
  } catch (error) {
    entry.open -= 1;
    throw error;
  }
  let left = false;
  return {
    browser: launched.browser,
    end: async () => {
      if (left) return;
      left = true;
      entry.open -= 1;
      if (entry.open > 0) return;
      if (sharedFirefoxes.get(key) === entry) sharedFirefoxes.delete(key);
      await launched.end();
    },
  };
}

// Persistent profiles this process made: removed when the engine closes, or when this process exits first.
const profileDirs = new Set<string>();
let exitHooked = false;

function removeProfileDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  profileDirs.delete(dir);
}

/** A directory of this process's, removed when the engine closes or this process exits first. */
function ownedDir(prefix: string): string {
  surviveHangupInWorker();
  if (!exitHooked) {
    exitHooked = true;
    process.on('exit', () => {
      for (const dir of profileDirs) rmSync(dir, { recursive: true, force: true });
    });
  }
  const dir = mkdtempSync(join(tmpdir(), prefix));
  profileDirs.add(dir);
  return dir;
}

/**
 * A fresh Chromium user data directory whose `Default/Preferences` hold the profile's cookie settings: Chromium reads
 * its third-party cookie setting from the profile's preferences only (no switch), and Playwright's browser contexts
 * are off-the-record profiles, which block third-party cookies whatever they hold.
 */
function chromiumProfileDir(settings: ChromiumProfileSettings): string {
  const dir = ownedDir('cors-matrix-chromium-profile-');
  mkdirSync(join(dir, 'Default'));
  writeFileSync(join(dir, 'Default', 'Preferences'), JSON.stringify(settings.preferences));
  return dir;
}

/**
 * Chromium in a persistent profile holding the profile's cookie settings (one per engine launch, so the worker keeps
 * its one open page per origin).
 */
async function launchChromium(found: FoundBuild, settings: LaunchSettings, contextOptions: BrowserContextOptions): Promise<EngineSession> {
  const profile = settings.profile ?? DEFAULT_PROFILE;
  const dir = chromiumProfileDir(PROFILE_SETTINGS[profile].chromium);
  let context: BrowserContext;
  try {
    // The `public` origin's port counts as a public address (Local Network Access cases; servers/public-address.ts).
    context = await chromium.launchPersistentContext(dir, { ...launchOptions(found, await chromiumAddressSpaceArgs()), ...contextOptions });
  } catch (error) {
    removeProfileDir(dir);
    throw error;
  }
  const browser = context.browser();
  if (!browser) {
    await context.close().catch(() => undefined);
    removeProfileDir(dir);
    throw new Error('Playwright gave no browser for the persistent Chromium profile');
  }
  await grantLocalNetworkAccess(context, found.name);
  const info = { name: found.name, version: browser.version(), build: found.build, executable: found.executable, protocol: 'playwright', profile } as const;
  return new PlaywrightSession(info, browser, context, contextOptions, closingBrowser(browser, () => removeProfileDir(dir)), tabsFor('chromium'));
}

export async function launchPlaywrightEngine(found: FoundBuild, settings: LaunchSettings = {}): Promise<EngineSession> {
  const contextOptions: BrowserContextOptions = { ignoreHTTPSErrors: settings.acceptHarnessCertificates ?? true, ...(settings.proxy && { proxy: { server: settings.proxy } }) };
  if (found.name === 'chromium') return launchChromium(found, settings, contextOptions);
  const browserType = { firefox, webkit }[found.name];
  // Firefox takes the profile's cookie prefs at launch; Playwright's own WebKit build has no cookie-policy switch, so
  // under it the profile is not the harness's to set.
  const profile: MeasuredProfile = found.name === 'firefox' ? (settings.profile ?? DEFAULT_PROFILE) : 'unmanaged';
  // The `public` origin's port counts as a public address (Local Network Access cases; servers/public-address.ts).
  const firefoxPrefs = found.name === 'firefox' ? { ...(await firefoxAddressSpacePrefs()), ...(settings.proxy && FIREFOX_PROXY_LOOPBACK), ...PROFILE_SETTINGS[settings.profile ?? DEFAULT_PROFILE].firefox.prefs } : {};
  const options = launchOptions(found, [], firefoxPrefs);
  const launch = async (): Promise<LaunchedBrowser> => {
    // Firefox keeps temporary files of its own under TMPDIR (a /tmp/firefox-esr it does not remove when it is ended
    // abruptly, as by an interrupted run): give it a directory of the harness's, removed with the engine.
    const ownTmp = found.name === 'firefox' ? ownedDir('cors-matrix-firefox-tmp-') : undefined;
    try {
      const browser = await browserType.launch(ownTmp === undefined ? options : { ...options, env: { ...process.env, TMPDIR: ownTmp } });
      return { browser, end: closingBrowser(browser, ownTmp === undefined ? undefined : () => removeProfileDir(ownTmp)) };
    } catch (error) {
      if (ownTmp !== undefined) removeProfileDir(ownTmp);
      throw error;
    }
  };
  // Browsers launched alike are one where the caller allows it: the context below carries what differs (its proxy).
  const shared = found.name === 'firefox' && settings.shareBrowser === true;
  const { browser, end: endBrowser } = shared ? await sharedFirefox(JSON.stringify([found.executable, options]), launch) : await launch();
  let context: BrowserContext;
  try {
    context = await browser.newContext(contextOptions);
    await grantLocalNetworkAccess(context, found.name);
  } catch (error) {
    await endBrowser().catch(() => undefined);
    throw error;
  }
  const info = { name: found.name, version: browser.version(), build: found.build, executable: found.executable, protocol: 'playwright', profile } as const;
  // A session in a shared browser ends its own context, and the browser ends with the last session in it; a browser
  // of the session's own is closed whole, its context with it.
  const end = shared
    ? async (): Promise<void> => {
        await context.close().catch(() => undefined);
        await endBrowser();
      }
    : endBrowser;
  return new PlaywrightSession(info, browser, context, contextOptions, end, tabsFor(found.name));
}

/** An engine launched by a Playwright server elsewhere (`npx playwright run-server`, `launchServer`), reached over its WebSocket. */
export async function connectPlaywrightEngine(name: EngineName, remote: Extract<RemoteEngine, { wsEndpoint: string }>, settings: LaunchSettings = {}): Promise<EngineSession> {
  const browserType = { chromium, firefox, webkit }[name];
  resolveLocalhostNamesHere();
  const browser = await browserType.connect(remote.wsEndpoint, {
    exposeNetwork: remote.exposeNetwork ?? '<loopback>',
    timeout: 60_000,
    ...(remote.launchOptions && { headers: { 'x-playwright-launch-options': JSON.stringify(remote.launchOptions) } }),
  });
  const contextOptions: BrowserContextOptions = { ignoreHTTPSErrors: settings.acceptHarnessCertificates ?? true, ...(settings.proxy && { proxy: { server: settings.proxy } }) };
  const context = await browser.newContext(contextOptions);
  // A remote engine runs with whatever settings its server launched it with: the harness cannot set its profile.
  const info = { name, version: browser.version(), build: 'remote', executable: remote.wsEndpoint, protocol: 'playwright', profile: 'unmanaged' } as const;
  return new PlaywrightSession(info, browser, context, contextOptions, closingBrowser(browser), tabsFor(name));
}
