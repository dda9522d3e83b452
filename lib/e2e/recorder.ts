/**
 * Listens, without intercepting anything, to every request a test's browser context makes (its pages and their
 * workers), and to what the engine says about them; the proxy's ledger says what went on the wire. Nothing here
 * routes, fulfils or changes a request.
 */
import type { BrowserContext, CDPSession, ConsoleMessage, Frame, Page, Request, Response, WebError } from '@playwright/test';
import type { EngineInfo } from '../measure/engines/engine.ts';
import type { LedgerEntry } from '../model/ledger.ts';
import { UNNAMED_CASE } from '../../servers/front-proxy.ts';
import type { ApiProxy } from './api-proxy.ts';
import { matchCalls, pageCallOfPayload, pageCallsOfDrain, pageCallScript, PAGE_CALL_DEVTOOLS_BINDING, PAGE_CALL_DRAIN, PAGE_CALL_FLUSH, type CallKey, type PageCall } from './page-calls.ts';
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
 * How long a request the proxy did not see waits after it settled before it counts as allowed: Firefox reports a
 * response it then blocks as finished, and names the block a moment later.
 */
const UNROUTED_WAIT_MS = 150;
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

/** Bodies kept for a replay (cors.replayIn); a larger one is recorded by its size only. */
const BODY_KEPT_BYTES = 64 * 1024;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The request body as the engine reported it: Chromium gives it to Playwright, Firefox over WebDriver BiDi does not. */
function bodyOf(request: Request, headers: Readonly<Record<string, string>>): RecordedBody {
  const length = headers['content-length'] === undefined ? undefined : Number(headers['content-length']);
  const bytes = request.postDataBuffer();
  if (bytes === null) {
    if (length === undefined || length === 0 || request.method() === 'GET' || request.method() === 'HEAD') return { kind: 'none' };
    return { kind: 'unknown', bytes: length, why: 'the engine did not give the body to Playwright' };
  }
  if (bytes.length > BODY_KEPT_BYTES) return { kind: 'unknown', bytes: bytes.length, why: `larger than ${BODY_KEPT_BYTES} bytes, not kept` };
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

export class CorsRecorder {
  readonly #observed: ObservedRequest[] = [];
  /** The page's own calls, as the init script reported them (page-calls.ts). */
  readonly #calls: PageCall[] = [];
  readonly #byRequest = new WeakMap<Request, ObservedRequest>();
  readonly #words: EngineWords[] = [];
  readonly #ledgerFrom: number;
  readonly #detach: (() => void)[] = [];
  readonly #cdpReady: Promise<unknown>[] = [];
  /** DevTools targets of out-of-process iframes already bound (#frameBinding). */
  readonly #boundTargets = new Set<string>();
  /** Engines without a one-way channel: each frame's drain of its queued calls (#drain), one at a time per frame. */
  readonly #drains = new Map<Frame, { busy: boolean; again: boolean; waiting: ObservedRequest[] }>();
  /** Script requests whose frame's calls are being drained: their call may be on its way, so they are `pending`. */
  readonly #awaitingCall = new Set<ObservedRequest>();
  readonly #drainsRunning = new Set<Promise<void>>();
  /** Chromium: the recorder's own DevTools sessions, detached at the test's end (stop). */
  readonly #sessions: CDPSession[] = [];
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

  /** Starts listening to the context, its pages now and later, and (Chromium) DevTools' CORS error codes. */
  async start(): Promise<void> {
    const on = <T>(event: string, handler: (value: T) => void): void => {
      const emitter = this.context as unknown as { on(e: string, h: (v: T) => void): void; off(e: string, h: (v: T) => void): void };
      emitter.on(event, handler);
      this.#detach.push(() => emitter.off(event, handler));
    };
    on<Request>('request', (request) => this.#onRequest(request));
    // A response settles its request; 'requestfinished' would say nothing more, at one event more per request.
    on<Response>('response', (response) => this.#onSettled(response.request(), undefined, response));
    on<Request>('requestfailed', (request) => this.#onSettled(request, request.failure()?.errorText ?? 'failed'));
    on<ConsoleMessage>('console', (message) => {
      if (message.type() === 'error' && !NOISE.test(message.text())) this.#words.push({ at: Date.now(), source: 'console', text: message.text() });
    });
    // Firefox reports CORS failures as page errors over WebDriver BiDi, split into a name and a message.
    on<WebError>('weberror', (webError) => {
      const error = webError.error();
      this.#words.push({ at: Date.now(), source: 'console', text: error.name ? `${error.name}: ${error.message}` : error.message });
    });
    // A page opened later may have made calls before its DevTools session attached: they wait in its documents.
    on<Page>('page', (page) => this.#watchPage(page, true));
    // A page open now has run no document of the init script yet: nothing of it waits.
    for (const page of this.context.pages()) this.#watchPage(page, false);
    // The page's own calls: their credentials mode, mode, redirect mode and headers are known only there. The init
    // script and DevTools (#watchPage) are set up at once: each is a round trip to the engine, and every test pays for
    // them. Chromium's calls come through DevTools' binding (#devtools); the other engines' are drained (#drain).
    await this.context.addInitScript(pageCallScript());
  }

  /**
   * Takes a frame's queued calls with one evaluation in it (PAGE_CALL_DRAIN), for a request that frame's document just
   * made; a drain already running for the frame goes round once more instead. A document gone before its drain
   * (navigated away at once) takes its calls with it: those requests' credentials mode reads "assumed".
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
          (payload: unknown) => void this.#calls.push(...pageCallsOfDrain(payload)),
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

  #watchPage(page: Page, late: boolean): void {
    const onSocket = (socket: { url(): string }): void => {
      const url = socket.url();
      const pageOrigin = originOf(page.url());
      if (originOf(url.replace(/^ws/, 'http')) === pageOrigin) return;
      const observed: ObservedRequest = { at: Date.now(), url, method: 'GET', initiator: 'websocket', pageOrigin, navigation: false, settledAt: Date.now() };
      this.#observed.push(observed);
      // Which frame opened it Playwright does not say: every frame of the page gives up its calls.
      if (this.#drainsCalls) for (const frame of page.frames()) this.#drain(frame, observed);
    };
    page.on('websocket', onSocket);
    this.#detach.push(() => page.off('websocket', onSocket));
    if (this.engine.name !== 'chromium') return;
    this.#cdpReady.push(this.#devtools(page, late).catch(() => undefined));
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
      if (event.name !== PAGE_CALL_DEVTOOLS_BINDING) return;
      const call = pageCallOfPayload(event.payload);
      if (call) this.#calls.push(call);
    });
    // The binding reaches the target's documents, those to come included, only with the session's Runtime domain on.
    await Promise.all([session.send('Runtime.enable'), session.send('Runtime.addBinding', { name: PAGE_CALL_DEVTOOLS_BINDING })]);
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
    // Sent at once: DevTools answers a session's commands in order, and each awaited alone is a round trip of setup.
    await Promise.all([session.send('Audits.enable'), session.send('Log.enable'), this.#bindCalls(session)]);
    // Calls the page's documents made before the binding reached them.
    if (late) await Promise.all(page.frames().map((frame) => frame.evaluate(PAGE_CALL_FLUSH).catch(() => undefined)));
  }

  #onRequest(request: Request): void {
    const headers = request.headers();
    // Preflights are the engine's own; where an engine reports one as a request, the ledger has it already.
    if (request.method() === 'OPTIONS' && headers['access-control-request-method'] !== undefined) return;
    const url = request.url();
    if (!/^https?:/.test(url)) return;
    const pageOrigin = requesterOf(request);
    const navigation = request.isNavigationRequest();
    // The top-level document is the page itself; a same-origin request is none of CORS's business.
    if (navigation && isTopLevel(request)) return;
    if (originOf(url) === pageOrigin) return;
    const first = chainStart(request);
    const observed: ObservedRequest = {
      at: Date.now(),
      url,
      method: request.method(),
      initiator: INITIATOR_OF[request.resourceType()] ?? 'other',
      pageOrigin,
      navigation,
      headers,
      body: bodyOf(request, headers),
      ...(first !== request && { firstUrl: first.url(), firstMethod: first.method() }),
    };
    const start = first === request ? undefined : this.#byRequest.get(first);
    if (start) observed.redirectOf = start;
    this.#observed.push(observed);
    this.#byRequest.set(request, observed);
    if (this.#drainsCalls && !navigation && first === request) {
      let frame: Frame | undefined;
      try {
        frame = request.frame();
      } catch {
        // a service worker's request: no document, no call to drain
      }
      if (frame) this.#drain(frame, observed);
    }
  }

  #onSettled(request: Request, failure?: string, response?: Response): void {
    const observed = this.#byRequest.get(request);
    if (!observed) return;
    // The page ending a stream it already had an answer for (an EventSource closed after its first message) aborts the
    // request: the answer was received and passed, and what the page did after is no failure of the request.
    if (failure !== undefined && observed.response !== undefined && PAGE_ABORT.test(failure)) return;
    if (observed.settledAt === undefined || failure !== undefined) observed.settledAt = Date.now();
    if (failure !== undefined) observed.failure = failure;
    if (response) {
      const headers = response.headers();
      observed.response = { status: response.status(), headers: Object.entries(headers).map(([name, value]) => ({ name, value })) };
    }
  }

  /** What the engine said about each request: a line goes to the latest request for its URL made before it. */
  #wordsFor(observed: ObservedRequest): string[] {
    const mine = this.#words.filter((w) => {
      if (!namesUrl(w, observed.url)) return false;
      const owner = this.#observed.filter((o) => o.url === observed.url && o.at <= w.at + 50).at(-1);
      return owner === observed;
    });
    // DevTools' corsErrorStatus is the shortest exact reason; console lines follow.
    return mine.sort((a, b) => Number(b.source === 'devtools') - Number(a.source === 'devtools')).map((w) => `${w.source}: ${w.text}`);
  }

  /** The ledger entries each routed request arrived as: in order, each request takes the earliest not yet taken. */
  #ledgerFor(): Map<ObservedRequest, LedgerEntry[]> {
    const matched = new Map<ObservedRequest, LedgerEntry[]>();
    if (!this.proxy) return matched;
    const routed = new Set(this.proxy.origins);
    const entries = this.proxy.ledger.entriesFor(UNNAMED_CASE).slice(this.#ledgerFrom);
    const taken = new Set<number>();
    const sameUrl = (e: LedgerEntry, url: URL): boolean => originOf(e.target) === url.origin && e.path === `${url.pathname}${url.search}`;
    for (const o of [...this.#observed].sort((a, b) => a.at - b.at)) {
      if (!routed.has(originOf(o.url)) || o.initiator === 'websocket') continue;
      const url = new URL(o.url);
      const upTo = o.settledAt ?? Infinity;
      const actual = entries.findIndex((e, i) => !taken.has(i) && e.kind === 'actual' && e.method === o.method && sameUrl(e, url) && e.at <= upTo);
      const actualAt = actual >= 0 ? entries[actual]!.at : upTo;
      const preflight = entries.findIndex((e, i) => !taken.has(i) && e.kind === 'preflight' && e.accessControlRequestMethod === o.method && sameUrl(e, url) && e.at <= actualAt);
      const own = [preflight, actual].filter((i) => i >= 0).sort((a, b) => a - b);
      for (const i of own) taken.add(i);
      matched.set(o, own.map((i) => entries[i]!));
    }
    return matched;
  }

  /** Each script request with the page's call that made it (URL the chain began with + method + page origin, in order). */
  #callsFor(): Map<ObservedRequest, PageCall> {
    const key = (o: ObservedRequest): CallKey | undefined =>
      // Any initiator: engines name a call's resource type differently (Firefox's EventSource is not `eventsource`);
      // an element load has no call of its URL and method, so it stays unmatched.
      !o.navigation && !o.redirectOf ? { url: o.firstUrl ?? o.url, method: o.firstMethod ?? o.method, pageOrigin: o.pageOrigin, websocket: o.initiator === 'websocket' } : undefined;
    const calls = matchCalls([...this.#observed].sort((a, b) => a.at - b.at), key, this.#calls);
    // A redirect's later hops belong to the call their chain began with.
    for (const o of this.#observed) {
      const call = o.redirectOf && calls.get(o.redirectOf);
      if (call) calls.set(o, call);
    }
    return calls;
  }

  /** Every cross-origin request so far, judged; a request still in flight (or awaiting the engine's reason) is `pending`. */
  records(now = Date.now()): CorsRequestRecord[] {
    const ledgers = this.#ledgerFor();
    const calls = this.#callsFor();
    return this.#observed.map((observed) => {
      const call = calls.get(observed);
      const record = judgeRequest({ observed, ...(ledgers.has(observed) && { ledger: ledgers.get(observed) }), ...(call && { call }), reasons: this.#wordsFor(observed), engine: this.engine });
      // Its call may be on its way from the page (#drain): judged again once it has come.
      // The credentials mode then is not assumed yet: the call that says it is on its way from the page.
      if (!call && this.#awaitingCall.has(observed)) return { ...record, verdict: 'pending', credentials: { ...record.credentials, from: "not known yet: the page's call is on its way from the page (matchers wait for it; cors.records() read now does not)" } };
      const blocked = record.verdict === 'blocked-at-preflight' || record.verdict === 'blocked-at-response';
      // The oracle blocks it on the recorded answers, but the engine's own words may still be on their way.
      if (blocked && record.engineReason === undefined && observed.settledAt !== undefined && now - observed.settledAt < REASON_WAIT_MS) return { ...record, verdict: 'pending' };
      if (!record.routed && record.verdict === 'allowed' && observed.settledAt !== undefined && now - observed.settledAt < UNROUTED_WAIT_MS) return { ...record, verdict: 'pending' };
      return record;
    });
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

  /** Waits until DevTools listens (Chromium), so no CORS error code of the test's first requests is missed. */
  async ready(): Promise<void> {
    await Promise.all(this.#cdpReady);
  }

  /**
   * Stops listening: the context's and pages' listeners come off, and the recorder's DevTools sessions (their Runtime,
   * Audits and Log domains) are detached before the test's own teardown closes its pages and context, which would
   * otherwise close them along with each page.
   */
  async stop(): Promise<void> {
    for (const detach of this.#detach.splice(0)) detach();
    await Promise.all(this.#sessions.splice(0).map((session) => session.detach().catch(() => undefined)));
  }
}
