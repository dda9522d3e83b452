import type { PageReport, PageRequest, PageStepReport, PageUnit } from '../../model/page-report.ts';
import type { EngineMessageLog } from './engine-messages.ts';

import type { EngineName } from '../../oracle/vocabulary.ts';
import type { MeasuredProfile, ProfileName } from '../../model/profiles.ts';

export { ENGINE_NAMES, type EngineName } from '../../oracle/vocabulary.ts';

/**
 * A driver call that failed for a reason the engine layer knows while the engine itself still runs: the runner page
 * did not load, or the runner threw. Anything else thrown by a session is the engine failing.
 */
export class EngineCallError extends Error {
  constructor(
    readonly code: 'page-not-loaded' | 'runner-failed',
    message: string,
  ) {
    super(message);
    this.name = 'EngineCallError';
  }
}

/** Which build of an engine runs: Playwright's own, or the operating system's package. */
export type EngineBuild = 'bundled' | 'system' | 'remote';

export interface EngineInfo {
  readonly name: EngineName;
  readonly version: string;
  readonly build: EngineBuild;
  readonly executable: string;
  /** How the harness talks to it. */
  readonly protocol: 'playwright' | 'webdriver-classic';
  /**
   * The cookie and tracking settings it ran with (lib/model/profiles.ts): `as-shipped`, `strict`, or `unmanaged` for
   * a remote engine whose settings the harness cannot set.
   */
  readonly profile: MeasuredProfile;
}

/** A running engine. Every test goes through this, whatever build or protocol is behind it. */
export interface EngineSession {
  readonly info: EngineInfo;
  /** What the engine says about blocks (console, DevTools), or a sentence saying why this engine gives nothing. */
  readonly messages: EngineMessageLog | { readonly unavailable: string };
  /**
   * How many calls into different pages, and first-party visits, may run at once: each in a tab of its own where the
   * engine keeps several (Playwright); a WebDriver session drives one window, one page after another (1, the default).
   */
  readonly pagesAtOnce?: number;
  /**
   * Runs units in the already-open page at `pageUrl`, at most `limit` at a time, in one call into the page: the
   * batch measurement's way, with one protocol round trip for many cases.
   */
  runUnits(pageUrl: string, units: readonly PageUnit[], limit: number): Promise<PageStepReport[][]>;
  /** The benchmark's floor: the same requests as bare concurrent fetches in the open page at `pageUrl`, nothing recorded; elapsed ms in the page. */
  floor(pageUrl: string, requests: readonly PageRequest[], limit: number): Promise<number>;
  /** Runs one fetch in a fresh browsing context, the way a naive harness would: the benchmark's baseline. */
  runIsolated(pageUrl: string, request: PageRequest): Promise<PageReport>;
  /** A top-level navigation, so that cookies are set first-party. */
  visit(url: string): Promise<void>;
  /** After a failed call: which of the engine's processes is gone, in words (undefined when all still run). */
  whatDied(): Promise<string | undefined>;
  close(): Promise<void>;
}

export interface LaunchSettings {
  /** The cookie and tracking settings to launch with (lib/measure/engines/profile-settings.ts). Default `as-shipped`. */
  readonly profile?: ProfileName;
  /** An HTTP proxy (`http://127.0.0.1:PORT`) every request goes through: how arbitrary host names reach this machine. */
  readonly proxy?: string;
  /** An engine running elsewhere, reached instead of launching one here. */
  readonly remote?: RemoteEngine;
  /**
   * Whether the engine accepts the certificates the harness generates (default true). False is an engine that was
   * not told to: every https request then fails its TLS handshake, which the fault tests check is never a CORS block.
   */
  readonly acceptHarnessCertificates?: boolean;
  /** Picks a free loopback port for a driver the harness starts (default get-port); the fault tests hand out a taken one. */
  readonly freePort?: () => Promise<number>;
  /**
   * Firefox only: a fresh browser context (its own cookies, caches, connections and proxy) in a Firefox this process
   * already runs with the same launch settings, instead of a browser of its own. Firefox's launch is its dearest step
   * (~4 s); each of your server's configs needs a context with its own proxy, not a browser. Other engines ignore it.
   */
  readonly shareBrowser?: boolean;
}

/**
 * An engine on another machine (or in another process). The servers stay on the machine that runs the tests; the
 * remote engine reaches them through Playwright's `exposeNetwork` (its requests to loopback names are carried back
 * over the connection), or, for WebDriver, through whatever the endpoint's network allows (a tunnel or proxy).
 */
export type RemoteEngine =
  | {
      /** A Playwright server: `npx playwright run-server` or `browserType.launchServer()`, e.g. `ws://127.0.0.1:3000/`. */
      readonly wsEndpoint: string;
      /** Launch options the server applies; `executablePath` and `args` need `run-server --unsafe`. */
      readonly launchOptions?: { readonly executablePath?: string; readonly args?: readonly string[]; readonly channel?: string };
      /** Which of this machine's networks the remote engine may reach. Default `<loopback>` (localhost, *.localhost, 127.0.0.1). */
      readonly exposeNetwork?: string;
    }
  | {
      /** A WebDriver endpoint for WebKit: Selenium Grid, `safaridriver`, or a WebKitWebDriver, e.g. `http://127.0.0.1:4444`. */
      readonly webdriverUrl: string;
      /** The session's capabilities. Default: MiniBrowser under WebKitWebDriver. */
      readonly capabilities?: Readonly<Record<string, unknown>>;
    };

/** The script each driver evaluates in the page; the runner itself is served with the page. */
export const IN_PAGE_ENTRY = '__corsMatrixRun';
export const IN_PAGE_UNITS_ENTRY = '__corsMatrixRunUnits';
export const IN_PAGE_FLOOR_ENTRY = '__corsMatrixFloor';
