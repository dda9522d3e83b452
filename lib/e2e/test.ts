/**
 * `cors-matrix/test`: Playwright's own `test` and `expect`, with a `cors` fixture that records every cross-origin
 * request of the test's browser context (its pages and their workers) and judges each one, CORS matchers for
 * `expect`, and a warning for every setting of the test that changes what the browser does about CORS.
 *
 *   import { test, expect } from 'cors-matrix/test';
 *   test.use({ corsOptions: { apiOrigins: ['https://api.example.com'], target: 'http://127.0.0.1:4000' } });
 *   test('orders load', async ({ page, cors }) => {
 *     await page.goto('/');
 *     await expect(cors.requests(/\/api\/orders/)).toBeAllowed();
 *   });
 *
 * Nothing is intercepted: requests to `apiOrigins` go through the harness's forwarding proxy to `target`, recorded on
 * the wire; everything else goes where it was addressed.
 */
import { test as base, expect as baseExpect, type BrowserContextOptions } from '@playwright/test';
import type { EngineInfo, EngineName } from '../measure/engines/engine.ts';
import { startApiProxy, type ApiProxy } from './api-proxy.ts';
import { describeRequest, recordLine } from './describe.ts';
import { corsMatchers, type CorsRecordings } from './matchers.ts';
import { checkCorsOptions, checkQuiet, CorsOptionsError, isLoopbackHost, type CorsOptions, type CorsWarningName } from './options.ts';
import type { CorsRequestRecord } from './record.ts';
import { CorsRecorder } from './recorder.ts';
import { CorsRequestSet, describePattern, type UrlPattern } from './request-set.ts';
import { setupWarnings, watchRoutes, type CorsWarning } from './warnings.ts';

export { CORS_WARNINGS, CorsOptionsError, type ApiOriginMapping, type CorsOptions, type CorsWarningName } from './options.ts';
export { E2E_VERDICTS, INITIATORS, type CorsRequestRecord, type E2eVerdict, type Initiator, type PreflightRecord, type WireAnswer } from './record.ts';
export { CorsRequestSet, type UrlPattern } from './request-set.ts';
export type { CorsWarning } from './warnings.ts';
export { describeRequest } from './describe.ts';

/** The `cors` fixture. */
export interface CorsFixture extends CorsRecordings {
  /** The recorded cross-origin requests whose URL matches (all of them without a pattern). */
  requests(pattern?: UrlPattern): CorsRequestSet;
  /** The recorded requests with this method whose URL matches. */
  request(method: string, pattern: UrlPattern): CorsRequestSet;
  /** Every cross-origin request so far, judged (in-flight ones `pending`). */
  records(): CorsRequestRecord[];
  /** Turns a warning off for the rest of this test. */
  quiet(name: CorsWarningName): void;
  /** The warnings this test gave so far. */
  readonly warnings: readonly CorsWarning[];
}

export interface CorsTestOptions {
  /** Warnings this test does not want, by name (`route`, `route-fulfill`, `extra-http-headers`, …). */
  corsQuiet: readonly CorsWarningName[];
}

export interface CorsWorkerOptions {
  /** Your API's origins and where they really listen. Without it the fixture records from the engine's events only (no preflights). */
  corsOptions: CorsOptions | undefined;
}

interface HiddenWorkerFixtures {
  _corsProxy: ApiProxy | undefined;
}

interface HiddenTestFixtures {
  /** Playwright's own (private) fixture: the options every context of the test is created with. */
  _combinedContextOptions: BrowserContextOptions;
}

function needsHttps(proxy: ApiProxy | undefined): boolean {
  return proxy?.origins.some((o) => o.startsWith('https:')) ?? false;
}

/** One text the HTML report shows per test: every request in a line, then the blocked ones in full. */
function reportText(records: readonly CorsRequestRecord[], warnings: readonly CorsWarning[]): string {
  const blocked = records.filter((r) => r.verdict.startsWith('blocked'));
  return [
    `${records.length} cross-origin request${records.length === 1 ? '' : 's'}:`,
    ...records.map((r) => `  ${recordLine(r)}`),
    ...(blocked.length ? ['', 'blocked:', ...blocked.map(describeRequest)] : []),
    ...(warnings.length ? ['', 'warnings:', ...warnings.map((w) => `  [${w.name}] ${w.setting}: ${w.change}`)] : []),
  ].join('\n');
}

export const test = base.extend<CorsTestOptions & HiddenTestFixtures & { cors: CorsFixture }, CorsWorkerOptions & HiddenWorkerFixtures>({
  corsOptions: [undefined, { scope: 'worker', option: true }],
  _corsProxy: [
    async ({ corsOptions }, use) => {
      const proxy = corsOptions === undefined ? undefined : await startApiProxy(checkCorsOptions(corsOptions));
      await use(proxy);
      await proxy?.close();
    },
    { scope: 'worker', box: true },
  ],
  // Chromium accepts exactly the proxy's certificates (by their public keys); Firefox sends loopback past any proxy
  // unless told to, so an API origin on localhost is then sent through the proxy too.
  launchOptions: [
    async ({ launchOptions, corsOptions, browserName, _corsProxy }, use) => {
      const keys = _corsProxy?.certificateKeys ?? [];
      if (browserName === 'chromium' && keys.length > 0) {
        return use({ ...launchOptions, args: [...(launchOptions.args ?? []), `--ignore-certificate-errors-spki-list=${keys.join(',')}`] });
      }
      const loopbackApi = corsOptions !== undefined && Array.isArray(corsOptions.apiOrigins) && corsOptions.apiOrigins.some((o) => {
        try {
          return isLoopbackHost(new URL(typeof o === 'string' ? o : o.origin).hostname);
        } catch {
          return false;
        }
      });
      if (browserName !== 'firefox' || !loopbackApi) return use(launchOptions);
      await use({ ...launchOptions, firefoxUserPrefs: { ...launchOptions.firefoxUserPrefs, 'network.proxy.allow_hijacking_localhost': true } });
    },
    { scope: 'worker' },
  ],
  // Playwright's own context options, as the test set them, with the proxy laid over: the options a test reads
  // (ignoreHTTPSErrors, proxy, extraHTTPHeaders) keep the test's own values, so the warnings speak of those.
  _combinedContextOptions: async ({ _combinedContextOptions, _corsProxy, browserName }, use) => {
    if (!_corsProxy) return use(_combinedContextOptions);
    // The proxy terminates https for the API origins with a certificate it generated: the context must accept it.
    // Loopback (your frontend, its dev server) goes direct unless an API origin is on loopback itself: Chromium then
    // keeps its own loopback bypass, which Playwright otherwise turns off.
    const loopbackApi = _corsProxy.origins.some((o) => isLoopbackHost(new URL(o).hostname));
    const proxy = { server: _corsProxy.url, ...(!loopbackApi && { bypass: '127.0.0.1,localhost,[::1]' }) };
    // Chromium trusts the proxy's certificates by their keys (launchOptions above); other engines are told to accept
    // certificate errors in this context.
    await use({ ..._combinedContextOptions, proxy, ...(needsHttps(_corsProxy) && browserName !== 'chromium' && { ignoreHTTPSErrors: true }) });
  },
  corsQuiet: [[], { option: true }],
  cors: async ({ context, browser, browserName, _corsProxy, proxy, ignoreHTTPSErrors, extraHTTPHeaders, bypassCSP, launchOptions, corsQuiet }, use, testInfo) => {
    if (_corsProxy && proxy !== undefined) {
      throw new CorsOptionsError('proxy', `this test sets its own proxy (${proxy.server}), and corsOptions.apiOrigins must go through the fixture's; remove \`proxy\` from the test's options, or corsOptions`);
    }
    // The fixture's own time (setup, judging, teardown), kept as an annotation for the example's bench.
    const setupStarted = performance.now();
    let judgingMs = 0;
    const quiet = new Set(checkQuiet(corsQuiet));
    const warnings: CorsWarning[] = [];
    const warn = (warning: CorsWarning): void => {
      if (quiet.has(warning.name) || warnings.some((w) => w.name === warning.name && w.setting === warning.setting)) return;
      warnings.push(warning);
    };
    const routedHttps = _corsProxy?.origins.filter((o) => o.startsWith('https:')) ?? [];
    for (const w of setupWarnings({ browserName, extraHTTPHeaders, bypassCSP, launchOptions, ignoreHTTPSErrors, httpsApiOrigins: routedHttps.length ? routedHttps : ['every https origin the page requests'] })) warn(w);
    const unwatch = [watchRoutes(context, 'context', warn)];
    for (const page of context.pages()) unwatch.push(watchRoutes(page, 'page', warn));
    const onPage = (page: Parameters<typeof watchRoutes>[0]): void => {
      unwatch.push(watchRoutes(page, 'page', warn));
    };
    context.on('page', onPage);

    const engine: EngineInfo = {
      name: browserName as EngineName,
      version: browser.version(),
      build: launchOptions.executablePath ? 'system' : 'bundled',
      executable: launchOptions.executablePath ?? browser.browserType().executablePath(),
      protocol: 'playwright',
      profile: 'unmanaged',
    };
    const recorder = new CorsRecorder(context, engine, _corsProxy);
    await recorder.start();
    await recorder.ready();
    const fixture: CorsFixture = {
      isCorsRecordings: true,
      requests: (pattern?: UrlPattern) => new CorsRequestSet(fixture, pattern === undefined ? 'cors.requests()' : `cors.requests(${describePattern(pattern)})`, pattern),
      request: (method: string, pattern: UrlPattern) => new CorsRequestSet(fixture, `cors.request(${JSON.stringify(method)}, ${describePattern(pattern)})`, pattern, method),
      records: () => {
        const started = performance.now();
        const records = recorder.records();
        judgingMs += performance.now() - started;
        return records;
      },
      quiet: (name) => {
        quiet.add(checkQuiet([name])[0]!);
        for (let i = warnings.length - 1; i >= 0; i--) if (warnings[i]!.name === name) warnings.splice(i, 1);
      },
      get warnings() {
        return [...warnings];
      },
    };
    const setupMs = performance.now() - setupStarted;
    await use(fixture);
    const teardownStarted = performance.now();

    context.off('page', onPage);
    for (const undo of unwatch) undo();
    recorder.stop();
    // Requests still in flight when the test ended stay `pending` in the report.
    const records = recorder.records(Number.POSITIVE_INFINITY);
    for (const w of warnings) {
      testInfo.annotations.push({ type: `cors-matrix warning: ${w.name}`, description: `${w.setting} — ${w.change} (turn off: test.use({ corsQuiet: ['${w.name}'] }))` });
      console.warn(`cors-matrix warning [${w.name}] in "${testInfo.title}": ${w.setting} — ${w.change}`);
    }
    if (records.length > 0 || warnings.length > 0) {
      await testInfo.attach('cors-requests.txt', { body: reportText(records, warnings), contentType: 'text/plain' });
      await testInfo.attach('cors-requests.json', { body: JSON.stringify({ engine, records, warnings }, null, 2), contentType: 'application/json' });
    }
    const cost = { setupMs, judgingMs, teardownMs: performance.now() - teardownStarted };
    testInfo.annotations.push({ type: 'cors-matrix cost', description: JSON.stringify(Object.fromEntries(Object.entries(cost).map(([k, v]) => [k, Math.round(v)]))) });
  },
});

export const expect = baseExpect.extend(corsMatchers);
