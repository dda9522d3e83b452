/**
 * `cors-matrix/test`: Playwright's own `test` and `expect`, with a `cors` fixture that records the cross-origin
 * requests of the test's browser context (every request to your API origins, every cross-origin call of the pages'
 * scripts, every request the engine failed: lib/e2e/recorder.ts) and judges each one, CORS matchers for
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
import type { ReplayEngines } from './replay-engine.ts';
import { checkReplayEngine, CorsReplayError, ReplayedRequests, replayPlan } from './replay.ts';
import { startApiProxy, type ApiProxy } from './api-proxy.ts';
import { describeRequest, engineLabel, recordLine } from './describe.ts';
import { corsMatchers, type CorsRecordings } from './matchers.ts';
import { checkCorsOptions, checkQuiet, CorsOptionsError, isLoopbackHost, type CorsOptions, type CorsWarningName } from './options.ts';
import { reportedRecord, type CorsRequestRecord } from './record.ts';
import { CorsRecorder } from './recorder.ts';
import { CorsRequestSet, describePattern, type UrlPattern } from './request-set.ts';
import { setupWarnings, watchRoutes, type CorsWarning } from './warnings.ts';

export { CORS_WARNINGS, CorsOptionsError, type ApiOriginMapping, type CorsOptions, type CorsWarningName } from './options.ts';
export { E2E_VERDICTS, INITIATORS, type CorsRequestRecord, type E2eVerdict, type Initiator, type PreflightRecord, type WireAnswer } from './record.ts';
export { CorsRequestSet, type UrlPattern } from './request-set.ts';
export type { CorsWarning } from './warnings.ts';
export { describeRequest } from './describe.ts';
export { CorsReplayError, ReplayedRequests, type SkippedReplay } from './replay.ts';
export type { RecordedBody, ReplayOrigin, ScriptRequest } from './record.ts';

/** The `cors` fixture. */
export interface CorsFixture extends CorsRecordings {
  /** The recorded cross-origin requests whose URL matches (all of them without a pattern). */
  requests(pattern?: UrlPattern): CorsRequestSet;
  /** The recorded requests with this method whose URL matches. */
  request(method: string, pattern: UrlPattern): CorsRequestSet;
  /** Every cross-origin request so far, judged (in-flight ones `pending`). */
  records(): CorsRequestRecord[];
  /**
   * Sends every CORS request this test recorded so far (fetch, XHR, EventSource) again in another engine, through
   * the matrix's engine layer (WebKit: WebKitGTK's MiniBrowser over WebDriver), from the same page origin to the same
   * API through the same proxy, and judges each as the matrix does. The result takes the same matchers as `cors`.
   * What a replay does not show: see the README ("Replaying in WebKit").
   */
  replayIn(engine: EngineName): Promise<ReplayedRequests>;
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
  /** Your API's origins and where they really listen. Without it nothing is recorded on the wire: the pages' calls and the engine's failures only (no preflights). */
  corsOptions: CorsOptions | undefined;
}

interface HiddenWorkerFixtures {
  _corsProxy: ApiProxy | undefined;
  /** The worker's replay engines, created (and their module loaded) on a test's first replay. */
  _corsReplay: { engines(): Promise<ReplayEngines> } | undefined;
}

interface HiddenTestFixtures {
  /** Playwright's own (private) fixture: the options every context of the test is created with. */
  _combinedContextOptions: BrowserContextOptions;
}

function needsHttps(proxy: ApiProxy | undefined): boolean {
  return proxy?.origins.some((o) => o.startsWith('https:')) ?? false;
}

/** How long a replay waits for the test's requests still in flight to settle; those that do not are not replayed. */
const REPLAY_SETTLE_MS = 5_000;
/** What a replay may add to the test's time: launching the engine once per worker, and measuring. */
const REPLAY_BUDGET_MS = 60_000;

/** The replay's text in the HTML report: every replayed request in a line, the ones not replayed with why, the blocked ones in full. */
function replayText(replayed: ReplayedRequests): string {
  const records = replayed.records();
  const blocked = records.filter((r) => r.verdict.startsWith('blocked') || r.verdict === 'harness-error');
  return [
    `${records.length} request${records.length === 1 ? '' : 's'} recorded in ${replayed.from}, replayed in ${engineLabel(replayed.engine, true)}:`,
    ...records.map((r) => `  ${recordLine(r)}`),
    ...(replayed.skipped.length ? ['', 'not replayed:', ...replayed.skipped.map((s) => `  ${recordLine(s.record)}: ${s.why}`)] : []),
    ...(blocked.length ? ['', 'blocked or not measured:', ...blocked.map(describeRequest)] : []),
  ].join('\n');
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

/**
 * Raised in the fixture's teardown when the test failed and its page had CORS-blocked requests: the test may fail on
 * its own assertion (0 items shown) while the cause is a block. As an error of the test, every blocked request's
 * verdict, cause and checked fix is printed whole by every terminal reporter (list, line, dot), shown in the HTML
 * report, and written into error-context.md (Playwright writes that file from the test's errors after the fixtures'
 * teardown). Attachments, by contrast, are cut short in the terminal.
 */
export class CorsBlockedRequestsError extends Error {
  override readonly name = 'CorsBlockedRequestsError';
  constructor(message: string) {
    super(message);
    // The message is the whole story; a stack into the fixture's teardown would only bury it.
    this.stack = `${this.name}: ${message}`;
  }
}

/** The text of the teardown error: each blocked request in full, unless a failing matcher printed it already. */
function blockedText(records: readonly CorsRequestRecord[], errors: readonly { readonly message?: string }[]): string | undefined {
  const printed = errors.map((e) => e.message ?? '').join('\n');
  const blocked = records.filter((r) => r.verdict.startsWith('blocked')).map(describeRequest).filter((text) => !printed.includes(text));
  if (blocked.length === 0) return undefined;
  return [`the test failed, and ${blocked.length} of its page's cross-origin requests ${blocked.length === 1 ? 'was' : 'were'} blocked by CORS:`, ...blocked].join('\n');
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
  _corsReplay: [
    async ({ corsOptions }, use) => {
      let engines: ReplayEngines | undefined;
      await use(
        corsOptions === undefined
          ? undefined
          : {
              engines: async () => (engines ??= new (await import('./replay-engine.ts')).ReplayEngines(checkCorsOptions(corsOptions))),
            },
      );
      await engines?.close();
    },
    { scope: 'worker', box: true },
  ],
  corsQuiet: [[], { option: true }],
  cors: async ({ context, browser, browserName, _corsProxy, _corsReplay, proxy, ignoreHTTPSErrors, extraHTTPHeaders, bypassCSP, launchOptions, corsQuiet }, use, testInfo) => {
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
    let replays = 0;
    const recorder = new CorsRecorder(context, engine, _corsProxy);
    recorder.start();
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
      refresh: () => recorder.refresh(),
      replayIn: async (engineName: unknown) => {
        const target = checkReplayEngine(engineName);
        const call = `cors.replayIn('${target}')`;
        if (!_corsReplay) throw new CorsReplayError(call, 'corsOptions routes no API origin: a replay reaches your API only through the fixture\'s proxy; set corsOptions: { apiOrigins, target }');
        // Requests still in flight settle first (a blocked one waits for the engine's words); those that do not stay out.
        const deadline = Date.now() + REPLAY_SETTLE_MS;
        let records = recorder.records();
        while (records.some((r) => r.verdict === 'pending') && Date.now() < deadline) {
          await Promise.all([recorder.refresh(), new Promise((resolve) => setTimeout(resolve, 50))]);
          records = recorder.records();
        }
        const plan = replayPlan(records, engine.name);
        if (plan.cases.length === 0) {
          const listed = plan.skipped.map((s) => `  ${recordLine(s.record)}: ${s.why}`).join('\n');
          throw new CorsReplayError(call, `none of the ${records.length} cross-origin requests recorded so far can be replayed; a replay sends the test's fetch, XHR and EventSource requests to corsOptions.apiOrigins, made before it is called${listed ? `:\n${listed}` : ''}`);
        }
        // A timeout of 0 is none: it stays none.
        if (testInfo.timeout > 0) testInfo.setTimeout(testInfo.timeout + REPLAY_BUDGET_MS);
        const measured = await (await _corsReplay.engines()).replay(target, plan, engine.name, call);
        const ranIn = measured[0]?.replayed?.engine;
        if (!ranIn) throw new Error(`${call}: the replay returned no record`);
        const replayed = new ReplayedRequests(ranIn, engine.name, measured, plan.skipped);
        replays += 1;
        const name = `cors-replay-${target}${replays > 1 ? `-${replays}` : ''}`;
        await testInfo.attach(`${name}.txt`, { body: replayText(replayed), contentType: 'text/plain' });
        await testInfo.attach(`${name}.json`, { body: JSON.stringify({ engine: ranIn, from: engine, records: measured.map(reportedRecord), notReplayed: plan.skipped.map((s) => ({ url: s.record.url, method: s.record.method, initiator: s.record.initiator, why: s.why })) }, null, 2), contentType: 'application/json' });
        return replayed;
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
    await recorder.ready();
    // The last drain reads the pages through Playwright while the recorder stops listening and lets its own DevTools
    // sessions go.
    const refreshed = recorder.refresh();
    recorder.stop();
    await refreshed;
    // Requests still in flight when the test ended stay `pending` in the report.
    const records = recorder.records(Number.POSITIVE_INFINITY);
    for (const w of warnings) {
      testInfo.annotations.push({ type: `cors-matrix warning: ${w.name}`, description: `${w.setting} — ${w.change} (turn off: test.use({ corsQuiet: ['${w.name}'] }))` });
      console.warn(`cors-matrix warning [${w.name}] in "${testInfo.title}": ${w.setting} — ${w.change}`);
    }
    if (records.length > 0 || warnings.length > 0) {
      await testInfo.attach('cors-requests.txt', { body: reportText(records, warnings), contentType: 'text/plain' });
      await testInfo.attach('cors-requests.json', { body: JSON.stringify({ engine, records: records.map(reportedRecord), warnings }, null, 2), contentType: 'application/json' });
    }
    const cost = { setupMs, judgingMs, teardownMs: performance.now() - teardownStarted };
    testInfo.annotations.push({ type: 'cors-matrix cost', description: JSON.stringify(Object.fromEntries(Object.entries(cost).map(([k, v]) => [k, Math.round(v)]))) });
    const failed = testInfo.status !== undefined && testInfo.status !== 'passed' && testInfo.status !== 'skipped' && testInfo.status !== testInfo.expectedStatus;
    const blocked = failed ? blockedText(records, testInfo.errors) : undefined;
    if (blocked !== undefined) throw new CorsBlockedRequestsError(blocked);
  },
});

export const expect = baseExpect.extend(corsMatchers);
