/**
 * Records, without intercepting anything, the cross-origin requests a test's browser context makes, from four
 * sources, none of which costs anything per request that works:
 * - the proxy's ledger: every request to your API origins, preflights included, and its answer, on the wire;
 * - the page's own calls (page-calls.ts): what each fetch, XMLHttpRequest, EventSource and WebSocket asked for, and
 *   whether a call elsewhere completed (Resource Timing);
 * - Playwright's 'requestfailed': every request the engine failed, with all Playwright knows of it;
 * - the engine's words: DevTools' CORS issues (Chromium), console lines and page errors.
 * Playwright's 'request' and 'response' events are not listened to: once a test subscribes to them Playwright sends
 * three events for every request of the context, which cost the todo journey of examples/e2e x1.08 alone and the
 * fixture most of its x1.15-1.30 (evidence/bench/2026-12-06T1400Z-e2e-listening.txt). What this leaves out: a
 * request that worked, to an origin that is not routed, made by an element (an <img>, a font) or by a worker
 * rather than by the page's script. Nothing here routes, fulfils or changes a request.
 */
import type { BrowserContext, CDPSession, ConsoleMessage, Frame, Page, Request, WebError } from '@playwright/test';
import type { EngineInfo } from '../measure/engines/engine.ts';
import type { LedgerEntry } from '../model/ledger.ts';
import type { HeaderLine } from '../model/policy.ts';
import { UNNAMED_CASE } from '../../servers/front-proxy.ts';
import type { ApiProxy } from './api-proxy.ts';
import { matchCalls, pageCallScript, pageMessagesOf, PAGE_CALL_BODY_BYTES, PAGE_CALL_DEVTOOLS_BINDING, PAGE_CALL_DRAIN, PAGE_CALL_FLUSH, type CallKey, type PageCall, type PageMessages, type PageResource } from './page-calls.ts';
import { judgeRequest, type CorsRequestRecord, type Initiator, type ObservedRequest, type RecordedBody } from './record.ts';

const INITIATOR_OF: Readonly<Record<string, Initiator>> = {
  fetch: 'fetch',
  xhr: 'xhr',
  script: 'script',
  image: 'image',
  font: 'font',
  stylesheet: 'stylesheet',
  media: 'media',
  eventsource: 'eventsource',
  websocket: 'websocket',
  document: 'iframe',
  manifest: 'manifest',
};

interface EngineWords {
  readonly at: number;
  readonly source: 'devtools' | 'console';
  readonly text: string;
  /** The request the engine attached the words to, where it did (DevTools gives it as a field). */
  readonly url?: string;
}

// Chromium says "Failed to load resource: net::ERR_FAILED" after every block; the line before it holds the reason.
const NOISE = /^Failed to load resource: net::ERR_FAILED$/;
/** The engines' words for a request the page itself cancelled (Chromium, Firefox). */
const PAGE_ABORT = /^(net::ERR_ABORTED|NS_BINDING_ABORTED)$/;

/** How long a blocked request waits for the engine's own words before it is judged without them. */
const REASON_WAIT_MS = 600;
/**
 * How long a request the proxy did not see waits after it settled before it counts as allowed: Firefox lists a load it
 * then blocks as completed, and names the block a moment later. A routed request the oracle passes on its recorded
 * answer counts as allowed at once: the engine blocking what the oracle passes, after an answer, is the rare
 * disagreement the judge reports when the engine's failure comes.
 */
const UNROUTED_WAIT_MS = 150;
/**
 * Engines without a binding: a request reaching the proxy makes the recorder take the pages' queued calls, once for
 * the arrivals of one tick (each take is an evaluation in every frame, over WebDriver BiDi in Firefox). A request on
 * the wire that arrived after the last completed take reads `pending` meanwhile: its call may still be in its page.
 */
const DRAIN_AFTER_MS = 0;
/**
 * Chromium: the page's calls go out over the binding in batches, every call made within this long of the first in
 * one message (page-calls.ts). One message per call cost the todo journey of examples/e2e about 7 % of its time
 * (evidence/bench/2026-12-06T2016Z-e2e-tapped-tunnel.txt).
 */
const CALL_BATCH_MS = 50;
/**
 * Chromium: how long after a request reached the proxy its call may still be on its way (a batch, then the event):
 * a request without its call reads `pending` meanwhile, and a matcher's look or the test's end takes the call from
 * the page instead of waiting.
 */
const CALL_WAIT_MS = 300;
/** How long a request waits for its frame's drain before it is judged without its call. */
const DRAIN_TIMEOUT_MS = 1_000;
/** How long a test's end waits for the page calls still being drained (Firefox) before judging without them. */
const DRAIN_SETTLE_MS = 2_000;

interface CorsErrorStatus {
  readonly corsError: string;
  readonly failedParameter?: string;
}

/** DevTools' Audits.CorsIssueDetails, the fields read here. */
interface CorsIssueDetails {
  readonly corsErrorStatus: CorsErrorStatus;
  readonly isWarning: boolean;
  readonly request: { readonly url?: string };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether an engine's line is about exactly this URL (not one that merely starts with it). */
function namesUrl(words: EngineWords, url: string): boolean {
  if (words.url !== undefined) return words.url === url;
  return new RegExp(`${escapeRegExp(url)}(?=['"\\s)]|\\.(\\s|$)|$)`).test(words.text);
}

function originOf(url: string): string {
  try {
    const { origin } = new URL(url);
    return origin;
  } catch {
    return '';
  }
}

/** The page or worker origin a request came from, as far as Playwright tells it. */
function requesterOf(request: Request): string {
  try {
    const origin = originOf(request.frame().url());
    if (origin && origin !== 'null') return origin;
  } catch {
    // a service worker's request has no frame
  }
  const worker = request.serviceWorker();
  if (worker) return originOf(worker.url());
  return request.headers()['origin'] ?? '';
}

/** Sec-Fetch-Dest on the wire, in the words a record uses: `empty` is a script's call (a worker's, with no page call). */
const INITIATOR_OF_DEST: Readonly<Record<string, Initiator>> = {
  empty: 'fetch',
  image: 'image',
  script: 'script',
  style: 'stylesheet',
  font: 'font',
  audio: 'media',
  video: 'media',
  track: 'media',
  iframe: 'iframe',
  frame: 'iframe',
  manifest: 'manifest',
};

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The request body as the engine reported it: Chromium gives it to Playwright, Firefox over WebDriver BiDi does not. */
function bodyOf(request: Request, headers: Readonly<Record<string, string>>): RecordedBody {
  const length = headers['content-length'] === undefined ? undefined : Number(headers['content-length']);
  const bytes = request.postDataBuffer();
  if (bytes === null) {
    if (length === undefined || length === 0 || request.method() === 'GET' || request.method() === 'HEAD') return { kind: 'none' };
    return { kind: 'unknown', bytes: length, why: 'the engine did not give the body to Playwright' };
  }
  // Bodies are kept for a replay (cors.replayIn) up to the page calls' own limit; a larger one by its size only.
  if (bytes.length > PAGE_CALL_BODY_BYTES) return { kind: 'unknown', bytes: bytes.length, why: `larger than ${PAGE_CALL_BODY_BYTES} bytes, not kept` };
  try {
    return { kind: 'text', text: UTF8.decode(bytes) };
  } catch {
    return { kind: 'binary', bytes: bytes.length };
  }
}

function isTopLevel(request: Request): boolean {
  try {
    return request.frame().parentFrame() === null;
  } catch {
    return false;
  }
}


/** The first request of a redirect chain: the URL the page's call named. */
function chainStart(request: Request): Request {
  let first = request;
  for (let from = first.redirectedFrom(); from; from = from.redirectedFrom()) first = from;
  return first;
}

/** The body a page call gave, as a record holds it. */
function callBody(call: PageCall): RecordedBody {
  if (call.body !== undefined) return { kind: 'text', text: call.body };
  if (call.method === 'GET' || call.method === 'HEAD') return { kind: 'none' };
  return { kind: 'unknown', why: `the script gave no text body, or one larger than ${PAGE_CALL_BODY_BYTES / 1024} KiB` };
}

function headersOf(lines: readonly (readonly [string, string])[]): Record<string, string> {
  return Object.fromEntries(lines.map(([name, value]) => [name.toLowerCase(), value]));
}

/** A redirect's Location, resolved against the URL that answered it. */
function locationOf(entry: LedgerEntry): string | undefined {
  const location = entry.responseHeaders.find((h: HeaderLine) => h.name.toLowerCase() === 'location')?.value;
  if (location === undefined || entry.status < 300 || entry.status > 399) return undefined;
  try {
    return new URL(location, `${entry.target}${entry.path}`).href;
  } catch {
    return undefined;
  }
}

/** What the recorder assembled from its sources at one moment: each request, its wire entries and its page call. */
interface Assembled {
  readonly observed: readonly ObservedRequest[];
  /** Those only the wire knows of (no page call, no failure). */
  readonly wireOnly: ReadonlySet<ObservedRequest>;
  readonly ledgers: ReadonlyMap<ObservedRequest, LedgerEntry[]>;
  readonly calls: ReadonlyMap<ObservedRequest, PageCall>;
}

export class CorsRecorder {
  /** Requests the engine failed ('requestfailed'), with all Playwright knows of them. */
  readonly #failed: ObservedRequest[] = [];
  /** WebSocket handshakes to another origin (Playwright's 'websocket'). */
  readonly #sockets: ObservedRequest[] = [];
  /** The page's own calls, as the init script reported them (page-calls.ts). */
  readonly #calls: PageCall[] = [];
  /** Cross-origin loads the pages completed (Resource Timing). */
  readonly #resources: PageResource[] = [];
  readonly #words: EngineWords[] = [];
  readonly #ledgerFrom: number;
  /** When the proxy wrote each answer, by the entry's index in the ledger (from #ledgerFrom on). */
  readonly #answeredAt = new Map<number, number>();
  readonly #detach: (() => void)[] = [];
  readonly #settingUp: Promise<unknown>[] = [];
  /** DevTools targets of out-of-process iframes already bound (#frameBinding). */
  readonly #boundTargets = new Set<string>();
  /** Engines without a one-way channel: each frame's drain of its queued calls (#drain), one at a time per frame. */
  readonly #drains = new Map<Frame, { busy: boolean; again: boolean; waiting: ObservedRequest[] }>();
  /** Failed script requests whose frame's calls are being drained: their call may be on its way, so they are `pending`. */
  readonly #awaitingCall = new Set<ObservedRequest>();
  readonly #drainsRunning = new Set<Promise<void>>();
  #drainAllTimer: NodeJS.Timeout | undefined;
  /** Engines without a binding: the calls of every request that arrived before this moment have been taken (#drainAll). */
  #drainedThrough = 0;
  /** Chromium: the recorder's own DevTools sessions, detached at the test's end (stop). */
  readonly #sessions: CDPSession[] = [];
  /**
   * Chromium: the sessions whose Audits and Log domains are not on yet. They are turned on at the first failed request
   * (#wantWords), and send then what they collected: a journey whose requests all work pays nothing for them.
   */
  readonly #wordsOff: CDPSession[] = [];
  #wordsWanted = false;
  /** Chromium sends the page's calls over DevTools (#devtools); every other engine's are drained from the page (#drain). */
  readonly #drainsCalls: boolean;

  constructor(
    private readonly context: BrowserContext,
    readonly engine: EngineInfo,
    readonly proxy: ApiProxy | undefined,
  ) {
    this.#ledgerFrom = proxy ? proxy.ledger.entriesFor(UNNAMED_CASE).length : 0;
    this.#drainsCalls = engine.name !== 'chromium';
  }

  /** Starts listening to the context, its pages now and later, the proxy's ledger, and (Chromium) DevTools' CORS issues; what it sets up in the engine, ready() waits for. */
  start(): void {
    const on = <T>(event: string, handler: (value: T) => void): void => {
      const emitter = this.context as unknown as { on(e: string, h: (v: T) => void): void; off(e: string, h: (v: T) => void): void };
      emitter.on(event, handler);
      this.#detach.push(() => emitter.off(event, handler));
    };
    // Only failures: Playwright then sends an event for a failed request alone (see the module's comment).
    on<Request>('requestfailed', (request) => this.#onFailed(request));
    on<ConsoleMessage>('console', (message) => {
      if (message.type() === 'error' && !NOISE.test(message.text())) this.#words.push({ at: Date.now(), source: 'console', text: message.text() });
    });
    // Firefox reports CORS failures as page errors over WebDriver BiDi, split into a name and a message.
    on<WebError>('weberror', (webError) => {
      const error = webError.error();
      this.#words.push({ at: Date.now(), source: 'console', text: error.name ? `${error.name}: ${error.message}` : error.message });
    });
    // A page opened later may have made calls before its DevTools session attached: they wait in its documents. So
    // may a page open now, in Chromium, whose session attaches while the test runs (below).
    on<Page>('page', (page) => this.#watchPage(page, true));
    const chromium = this.engine.name === 'chromium';
    for (const page of this.context.pages()) this.#watchPage(page, chromium);
    if (this.proxy) {
      const from = this.#ledgerFrom;
      this.#detach.push(
        this.proxy.ledger.watch((caseKey, index, entry) => {
          if (caseKey !== UNNAMED_CASE || index < from) return;
          if (entry.answered && !this.#answeredAt.has(index)) this.#answeredAt.set(index, Date.now());
          // A request reached the wire: its page's call is queued in its document (engines without a binding).
          if (this.#drainsCalls && !entry.answered) this.#drainAllSoon();
        }),
      );
    }
    // The page's own calls: their credentials mode, mode, redirect mode and headers are known only there. Chromium's
    // calls come through DevTools' binding (#devtools); the other engines' are drained (#drain).
    // Neither the script nor (Chromium) the DevTools session is waited for here: the test's first steps run while they
    // are set up (the fixture's setup is time every test pays; Firefox's script alone took 20-45 ms of it, examples/e2e's
    // bench). Playwright sends the engine its commands in the order the worker gave them: Chromium runs a page's
    // DevTools commands in order, and Firefox registers a preload script before it takes the navigation sent after it.
    // So the script is in place for any navigation the test starts after this (examples/e2e's
    // tests/setup-order.spec.ts checks the first document's calls in each engine). Calls made before the binding
    // reaches a document wait there and are flushed once it does (#devtools); Audits and Log send what they hold when
    // enabled. ready() waits for all of it.
    this.#settingUp.push(this.context.addInitScript(pageCallScript(this.#drainsCalls ? 0 : CALL_BATCH_MS)).catch(() => undefined));
  }

  #take(messages: PageMessages): void {
    this.#calls.push(...messages.calls);
    this.#resources.push(...messages.resources);
  }

  /**
   * Takes a frame's queued calls with one evaluation in it (PAGE_CALL_DRAIN); a drain already running for the frame
   * goes round once more instead. A document gone before its drain (navigated away at once) takes its calls with it:
   * those requests' credentials mode reads "assumed".
   */
  #drain(frame: Frame, request?: ObservedRequest): void {
    let state = this.#drains.get(frame);
    if (!state) this.#drains.set(frame, (state = { busy: false, again: false, waiting: [] }));
    if (request) {
      state.waiting.push(request);
      this.#awaitingCall.add(request);
    }
    state.again = true;
    if (state.busy) return;
    state.busy = true;
    const run = (async (s: NonNullable<typeof state>): Promise<void> => {
      while (s.again) {
        s.again = false;
        const waiting = s.waiting.splice(0);
        // A frame whose document is being replaced, or whose page waits on a dialog, may not answer soon: its requests
        // are released after DRAIN_TIMEOUT_MS rather than held `pending` (their calls, if they come later, still count).
        let timer: NodeJS.Timeout | undefined;
        const drained = frame.evaluate(PAGE_CALL_DRAIN).then(
          (payload: unknown) => this.#take(pageMessagesOf(payload)),
          () => undefined,
        );
        await Promise.race([drained, new Promise((resolve) => (timer = setTimeout(resolve, DRAIN_TIMEOUT_MS)))]);
        clearTimeout(timer);
        for (const o of waiting) this.#awaitingCall.delete(o);
      }
      s.busy = false;
    })(state);
    this.#drainsRunning.add(run);
    void run.finally(() => this.#drainsRunning.delete(run));
  }

  /** Every frame of every page gives up its queued calls (engines without a binding). */
  #drainAll(): void {
    const started = Date.now();
    for (const page of this.context.pages()) for (const frame of page.frames()) this.#drain(frame);
    // What arrived before this take began has had its call taken once the take is done.
    void Promise.all(this.#drainsRunning).then(() => {
      this.#drainedThrough = Math.max(this.#drainedThrough, started);
    });
  }

  /** #drainAll, once for a burst of wire arrivals. */
  #drainAllSoon(): void {
    if (this.#drainAllTimer) return;
    this.#drainAllTimer = setTimeout(() => {
      this.#drainAllTimer = undefined;
      this.#drainAll();
    }, DRAIN_AFTER_MS);
  }

  #watchPage(page: Page, late: boolean): void {
    const onSocket = (socket: { url(): string }): void => {
      const url = socket.url();
      const pageOrigin = originOf(page.url());
      if (originOf(url.replace(/^ws/, 'http')) === pageOrigin) return;
      const observed: ObservedRequest = { at: Date.now(), url, method: 'GET', initiator: 'websocket', pageOrigin, navigation: false, settledAt: Date.now() };
      this.#sockets.push(observed);
      // Which frame opened it Playwright does not say: every frame of the page gives up its calls.
      for (const frame of page.frames()) this.#drain(frame, observed);
    };
    page.on('websocket', onSocket);
    this.#detach.push(() => page.off('websocket', onSocket));
    if (this.#drainsCalls) {
      // A frame Playwright learns of only after its first requests reached the proxy (a cross-site iframe or a popup,
      // on a loaded machine) was not among the frames drained on their arrival: its calls are taken once it is known.
      // Without this such a call stayed in its document until a matcher's look or the test's end, and a synchronous
      // read showed its request as `assumed` (examples/e2e tests/credentials.spec.ts, Firefox, 2 in 20 under load).
      // A page the test had from the start: its main frame is known before any of its requests, and a drain at each of
      // its navigations would only add an evaluation to the page's load.
      const onNavigated = (frame: Frame): void => {
        if (late || frame !== page.mainFrame()) this.#drain(frame);
      };
      page.on('framenavigated', onNavigated);
      this.#detach.push(() => page.off('framenavigated', onNavigated));
      if (late) for (const frame of page.frames()) this.#drain(frame);
      return;
    }
    this.#settingUp.push(this.#devtools(page, late).catch(() => undefined));
    // An out-of-process iframe (another site's) is a DevTools target of its own: the page's session does not reach it.
    const onFrame = (frame: Frame): void => {
      if (frame !== page.mainFrame()) void this.#frameBinding(frame).catch(() => undefined);
    };
    page.on('framenavigated', onFrame);
    this.#detach.push(() => page.off('framenavigated', onFrame));
  }

  /** The page-call binding on its own session with the target: its calls, as one-way events. */
  async #bindCalls(session: CDPSession): Promise<void> {
    session.on('Runtime.bindingCalled', (event: { name: string; payload: string }) => {
      if (event.name === PAGE_CALL_DEVTOOLS_BINDING) this.#take(pageMessagesOf(event.payload));
    });
    // The binding reaches the target's documents, those to come included, without the session's Runtime domain on
    // (Chromium 156; examples/e2e's setup-order and credentials specs read the calls it brings).
    await session.send('Runtime.addBinding', { name: PAGE_CALL_DEVTOOLS_BINDING });
  }
  /** An out-of-process iframe's target, bound once (Playwright refuses a session for an iframe of its page's process). */
  async #frameBinding(frame: Frame): Promise<void> {
    const session = await this.context.newCDPSession(frame);
    this.#sessions.push(session);
    const { targetInfo } = (await session.send('Target.getTargetInfo')) as { targetInfo: { targetId: string } };
    if (this.#boundTargets.has(targetInfo.targetId)) return void (await session.detach());
    this.#boundTargets.add(targetInfo.targetId);
    await this.#bindCalls(session);
    await session.send('Runtime.evaluate', { expression: PAGE_CALL_FLUSH });
  }

  /** Chromium's DevTools: the exact CORS error code per request, dedicated workers' console errors, and the page's calls (one-way). */
  async #devtools(page: Page, late: boolean): Promise<void> {
    const session = await this.context.newCDPSession(page);
    this.#sessions.push(session);
    // The CORS error code comes as an issue (Audits), one event per blocked request and none for the others. Network's
    // domain would give it too (loadingFailed.corsErrorStatus), but at the price of five or six events for every
    // request of the page, each serialized by the engine and parsed in the test's worker: the largest part of what
    // listening cost a journey of many requests (evidence/bench/2026-12-06T1400Z-e2e-listening.txt).
    session.on('Audits.issueAdded', (event: { issue: { details: { corsIssueDetails?: CorsIssueDetails } } }) => {
      const details = event.issue.details.corsIssueDetails;
      // A warning is about a request that went through (Private Network Access's warn-only mode).
      if (!details || details.isWarning) return;
      const status = details.corsErrorStatus;
      this.#words.push({ at: Date.now(), source: 'devtools', text: `corsErrorStatus ${status.corsError}${status.failedParameter ? ` (${status.failedParameter})` : ''}`, ...(details.request.url !== undefined && { url: details.request.url }) });
    });
    session.on('Log.entryAdded', (event: { entry: { source: string; level: string; text: string } }) => {
      if (event.entry.source === 'worker' && event.entry.level === 'error') this.#words.push({ at: Date.now(), source: 'console', text: event.entry.text });
    });
    // Audits and Log, on for every page of the test, cost a journey of a dozen API calls about 5 % of its time in
    // Chromium (examples/e2e's bench, 2026-12-06): they are turned on only once a request has failed.
    this.#wordsOff.push(session);
    if (this.#wordsWanted) this.#wantWords();
    await this.#bindCalls(session);
    // Calls the page's documents made before the binding reached them.
    if (late) await Promise.all(page.frames().map((frame) => frame.evaluate(PAGE_CALL_FLUSH).catch(() => undefined)));
  }

  /**
   * Chromium: turns Audits and Log on in every session that has them off. Each sends at once what it collected, the
   * issue of a request blocked before this included; ready() waits for them, so the test's end has every word.
   */
  #wantWords(): void {
    this.#wordsWanted = true;
    for (const session of this.#wordsOff.splice(0)) {
      this.#settingUp.push(Promise.all([session.send('Audits.enable'), session.send('Log.enable')]).catch(() => undefined));
    }
  }

  /** A request the engine failed, as a cross-origin request of the page (undefined when it is none of CORS's business). */
  #observe(request: Request, failure: string): ObservedRequest | undefined {
    const headers = request.headers();
    // Preflights are the engine's own; where an engine reports one as a request, the ledger has it already.
    if (request.method() === 'OPTIONS' && headers['access-control-request-method'] !== undefined) return undefined;
    const url = request.url();
    if (!/^https?:/.test(url)) return undefined;
    const pageOrigin = requesterOf(request);
    const navigation = request.isNavigationRequest();
    // The top-level document is the page itself; a same-origin request is none of CORS's business.
    if (navigation && isTopLevel(request)) return undefined;
    if (originOf(url) === pageOrigin) return undefined;
    const first = chainStart(request);
    const started = request.timing().startTime;
    return {
      at: started > 0 ? started : Date.now(),
      url,
      method: request.method(),
      initiator: INITIATOR_OF[request.resourceType()] ?? 'other',
      pageOrigin,
      navigation,
      headers,
      body: bodyOf(request, headers),
      settledAt: Date.now(),
      failure,
      ...(first !== request && { firstUrl: first.url(), firstMethod: first.method() }),
    };
  }

  #onFailed(request: Request): void {
    const observed = this.#observe(request, request.failure()?.errorText ?? 'failed');
    if (!observed) return;
    this.#failed.push(observed);
    if (!this.#drainsCalls) this.#wantWords();
    // Its call is queued in its document (engines without a binding), or in its batch (Chromium): taken now, while the
    // document is alive.
    if (!observed.navigation && observed.firstUrl === undefined) {
      let frame: Frame | undefined;
      try {
        frame = request.frame();
      } catch {
        // a service worker's request: no document, no call to drain
      }
      if (frame) this.#drain(frame, observed);
    }
  }

  /** What the engine said about each request: a line goes to the latest request for its URL made before it. */
  #wordsFor(observed: ObservedRequest, all: readonly ObservedRequest[]): string[] {
    const mine = this.#words.filter((w) => {
      if (!namesUrl(w, observed.url)) return false;
      const owner = all.filter((o) => o.url === observed.url && o.at <= w.at + 50).at(-1);
      return owner === observed;
    });
    // DevTools' corsErrorStatus is the shortest exact reason; console lines follow.
    return mine.sort((a, b) => Number(b.source === 'devtools') - Number(a.source === 'devtools')).map((w) => `${w.source}: ${w.text}`);
  }

  /**
   * Every request so far, from the sources, each once: the engine's failures (with their page calls), then the page's
   * other calls, then what else reached the wire; then each is settled by its answer on the wire or, elsewhere, by
   * the page's Resource Timing.
   */
  #assemble(): Assembled {
    const ledgers = new Map<ObservedRequest, LedgerEntry[]>();
    const calls = new Map<ObservedRequest, PageCall>();
    const byTime = (a: ObservedRequest, b: ObservedRequest): number => a.at - b.at;

    // 1. Failures and WebSockets, paired with the page's calls by URL (the chain's first), method, page origin and order.
    const seen = [...this.#failed, ...this.#sockets].sort(byTime);
    const key = (o: ObservedRequest): CallKey | undefined =>
      // Any initiator: engines name a call's resource type differently (Firefox's EventSource is not `eventsource`);
      // an element load has no call of its URL and method, so it stays unmatched.
      !o.navigation ? { url: o.firstUrl ?? o.url, method: o.firstMethod ?? o.method, pageOrigin: o.pageOrigin, websocket: o.initiator === 'websocket' } : undefined;
    for (const [o, call] of matchCalls(seen, key, this.#calls)) {
      calls.set(o, call);
      // The script's own text body, where the engine gave Playwright none (Firefox; a request refused at its preflight).
      if (call.body !== undefined && o.body?.kind !== 'text' && o.firstUrl === undefined) o.body = { kind: 'text', text: call.body };
    }

    // 2. Every other cross-origin call of the page is a request of its own.
    const taken = new Set(calls.values());
    for (const call of this.#calls) {
      if (taken.has(call) || call.api === 'websocket' || !/^https?:/.test(call.url) || originOf(call.url) === call.pageOrigin) continue;
      const o: ObservedRequest = { at: call.at, url: call.url, method: call.method, initiator: call.api, pageOrigin: call.pageOrigin, navigation: false, headers: headersOf(call.headers), body: callBody(call) };
      calls.set(o, call);
      seen.push(o);
    }
    seen.sort(byTime);

    // 3. The wire: each routed request takes the earliest entries not yet taken with its method and URL; what is left
    // were requests no call and no failure names (element loads, workers' calls), a request each.
    const entries = this.proxy ? this.proxy.ledger.entriesFor(UNNAMED_CASE).slice(this.#ledgerFrom) : [];
    const answeredAt = (e: LedgerEntry): number | undefined => (e.answered ? (this.#answeredAt.get(entries.indexOf(e) + this.#ledgerFrom) ?? e.at) : undefined);
    const takenEntries = new Set<number>();
    const sameUrl = (e: LedgerEntry, url: URL): boolean => originOf(e.target) === url.origin && e.path === `${url.pathname}${url.search}`;
    for (const o of seen) {
      if (!this.#isRouted(o.url) || o.initiator === 'websocket') continue;
      const url = new URL(o.url);
      const upTo = o.failure !== undefined ? (o.settledAt ?? Infinity) : Infinity;
      const actual = entries.findIndex((e, i) => !takenEntries.has(i) && e.kind === 'actual' && e.method === o.method && sameUrl(e, url) && e.at <= upTo);
      const actualAt = actual >= 0 ? entries[actual]!.at : upTo;
      const preflight = entries.findIndex((e, i) => !takenEntries.has(i) && e.kind === 'preflight' && e.accessControlRequestMethod === o.method && sameUrl(e, url) && e.at <= actualAt);
      const own = [preflight, actual].filter((i) => i >= 0).sort((a, b) => a - b);
      for (const i of own) takenEntries.add(i);
      ledgers.set(o, own.map((i) => entries[i]!));
    }
    // Redirects on the wire: the URL a 3xx answer sent its request on to, and the request whose chain that hop joins.
    // Entries arrive in order, so a hop's 3xx is known before the hop itself.
    const hops = new Map<string, ObservedRequest>();
    const noteHop = (o: ObservedRequest): void => {
      const answer = ledgers.get(o)?.find((e) => e.kind === 'actual');
      const next = answer && locationOf(answer);
      if (next) hops.set(next, o);
    };
    for (const o of seen) noteHop(o);
    const wireOnly = new Set<ObservedRequest>();
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      if (takenEntries.has(i)) continue;
      takenEntries.add(i);
      const own = [entry];
      // A preflight and the request it let through: the next untaken request with that method and URL from that origin.
      if (entry.kind === 'preflight') {
        const j = entries.findIndex((e, k) => k > i && !takenEntries.has(k) && e.kind === 'actual' && e.method === entry.accessControlRequestMethod && e.target === entry.target && e.path === entry.path && e.origin === entry.origin);
        if (j >= 0) {
          takenEntries.add(j);
          own.push(entries[j]!);
        }
      }
      const url = `${entry.target}${entry.path}`;
      const method = entry.kind === 'preflight' ? (entry.accessControlRequestMethod ?? 'GET') : entry.method;
      const from = hops.get(url);
      const o: ObservedRequest = {
        at: entry.at,
        url,
        method,
        initiator: INITIATOR_OF_DEST[entry.fetchDest ?? ''] ?? 'other',
        pageOrigin: entry.origin ?? '',
        navigation: false,
        body: method === 'GET' || method === 'HEAD' ? { kind: 'none' } : { kind: 'unknown', why: 'no page call made it (an element load or a worker\'s call): its body is not known' },
        ...(from && { firstUrl: from.firstUrl ?? from.url, firstMethod: from.firstMethod ?? from.method }),
      };
      seen.push(o);
      ledgers.set(o, own);
      // A redirect's later hop belongs to the call its chain began with; only a hop of no call's chain is wire-only.
      const call = from && calls.get(from);
      if (call) calls.set(o, call);
      else wireOnly.add(o);
      noteHop(o);
    }

    // 4. Routed: settled when the proxy wrote the answer to the request itself. Not routed: when the page completed a
    // load of that URL (Resource Timing), in order.
    // Each request settled here was made afresh by this assembly (steps 2 and 3): settling it changes nothing recorded.
    const usedResources = new Set<PageResource>();
    for (const o of seen.sort(byTime)) {
      // A failure (or a WebSocket) settled when it was seen.
      if (o.failure !== undefined || o.settledAt !== undefined) continue;
      if (this.#isRouted(o.url)) {
        const actual = ledgers.get(o)?.find((e) => e.kind === 'actual');
        const at = actual && answeredAt(actual);
        if (at !== undefined) o.settledAt = at;
        continue;
      }
      const resource = this.#resources.find((r) => !usedResources.has(r) && r.url === o.url && (o.pageOrigin === '' || r.pageOrigin === o.pageOrigin) && r.at >= o.at - 5);
      if (!resource) continue;
      usedResources.add(resource);
      o.settledAt = resource.at;
      if (resource.status > 0) o.response = { status: resource.status, headers: [] };
    }
    return { observed: seen, wireOnly, ledgers, calls };
  }

  /** Every cross-origin request so far, judged; a request still in flight (or awaiting the engine's reason) is `pending`. */
  records(now = Date.now()): CorsRequestRecord[] {
    const { observed: all, wireOnly, ledgers, calls } = this.#assemble();
    return all.map((observed) => {
      const call = calls.get(observed);
      const ledger = ledgers.get(observed) ?? (this.#isRouted(observed.url) ? [] : undefined);
      // The page ending a stream it already had an answer for (an EventSource closed after its first message) aborts the
      // request: the answer was received and passed, and what the page did after is no failure of the request.
      const answered = ledger?.some((e) => e.kind === 'actual' && e.answered) ?? false;
      const judged = observed.failure !== undefined && answered && PAGE_ABORT.test(observed.failure) ? { ...observed, failure: undefined } : observed;
      const record = judgeRequest({ observed: judged, ...(ledger && { ledger }), ...(call && { call }), reasons: this.#wordsFor(observed, all), engine: this.engine });
      // Its call may be on its way from the page (#drain): judged again once it has come.
      // The credentials mode then is not assumed yet: the call that says it is on its way from the page.
      const callMayCome = this.#awaitingCall.has(observed) || (wireOnly.has(observed) && this.#callMayStillCome(observed, now));
      if (!call && callMayCome) return { ...record, verdict: 'pending', credentials: { ...record.credentials, from: "not known yet: the page's call is on its way from the page (matchers wait for it; cors.records() read now does not)" } };
      const blocked = record.verdict === 'blocked-at-preflight' || record.verdict === 'blocked-at-response';
      // The oracle blocks it on the recorded answers, but the engine's own words may still be on their way.
      if (blocked && record.engineReason === undefined && observed.settledAt !== undefined && now - observed.settledAt < REASON_WAIT_MS) return { ...record, verdict: 'pending' };
      if (!record.routed && record.verdict === 'allowed' && observed.settledAt !== undefined && now - observed.settledAt < UNROUTED_WAIT_MS) return { ...record, verdict: 'pending' };
      return record;
    });
  }

  /**
   * Takes in what the pages hold now, and waits for it (at most DRAIN_SETTLE_MS): their queued calls (engines without
   * a binding) and the calls elsewhere they completed (Resource Timing). A matcher does so before each look, and the
   * test's end once; `cors.records()` read without either shows a call to an origin that is not routed as `pending`
   * until then.
   */
  async refresh(): Promise<void> {
    await this.ready();
    if (this.#drainsCalls || this.#needsTake()) this.#drainAll();
    await this.settle();
  }

  /**
   * A request on the wire, without its call yet, whose call may still be in its page or on its way: it arrived after
   * the last take, and (Chromium, whose calls come by themselves in batches) within CALL_WAIT_MS of `now`.
   */
  #callMayStillCome(observed: ObservedRequest, now: number): boolean {
    if (!this.#arrivedAfterLastTake(observed)) return false;
    return this.#drainsCalls || observed.at >= now - CALL_WAIT_MS;
  }

  /** Whether a request reached the wire after the last completed take from the pages: its call may not be taken yet. */
  #arrivedAfterLastTake(observed: ObservedRequest): boolean {
    return observed.at >= this.#drainedThrough;
  }

  /**
   * Chromium: whether a look must take from the pages what they hold: a page call elsewhere neither failed nor seen
   * completed (Resource Timing), or a request on the wire whose call may still be waiting in its batch.
   */
  #needsTake(): boolean {
    const { observed, wireOnly } = this.#assemble();
    return observed.some((o) => (o.settledAt === undefined && !this.#isRouted(o.url)) || (wireOnly.has(o) && this.#arrivedAfterLastTake(o)));
  }

  /** Whether the URL's origin goes through the proxy (one of corsOptions.apiOrigins): its requests are on the ledger. */
  #isRouted(url: string): boolean {
    return this.proxy?.origins.includes(originOf(url)) ?? false;
  }

  /**
   * Waits for the page calls being drained (#drain), so the last records are judged with them; at most
   * DRAIN_SETTLE_MS: a page stuck in its own script never answers an evaluation, and a test's end must not wait on it.
   */
  async settle(): Promise<void> {
    const deadline = Date.now() + DRAIN_SETTLE_MS;
    while (this.#drainsRunning.size > 0 && Date.now() < deadline) {
      await Promise.race([Promise.all(this.#drainsRunning), new Promise((resolve) => setTimeout(resolve, deadline - Date.now()).unref())]);
    }
  }

  /** Waits until the init script and (Chromium) DevTools are in place; the test's end and each matcher do before they judge. */
  async ready(): Promise<void> {
    await Promise.all(this.#settingUp);
  }

  /**
   * Stops listening: the context's and pages' listeners and the ledger's watcher come off, and the recorder's DevTools
   * sessions are told to detach. That is sent, not waited for: the test's context closes right after, and its
   * sessions with it, so waiting would only add a round trip to every test's teardown.
   */
  stop(): void {
    clearTimeout(this.#drainAllTimer);
    this.#drainAllTimer = undefined;
    for (const detach of this.#detach.splice(0)) detach();
    this.#wordsOff.splice(0);
    for (const session of this.#sessions.splice(0)) void session.detach().catch(() => undefined);
  }
}
