/**
 * The request as the page's script made it: an init script wraps fetch, XMLHttpRequest, EventSource and WebSocket in
 * every document of the test's context and reports each call (its URL, method, credentials mode, mode, redirect mode
 * and headers) to the fixture, then makes the call unchanged. Nothing is routed, fulfilled or altered: the wrappers
 * are Proxies that read the arguments and hand the very same arguments on. The credentials mode is not on the wire
 * when no cookie exists, so only the call knows it.
 *
 * What it does not reach: a dedicated or service worker's calls (Playwright runs init scripts in documents only);
 * their records say the credentials mode was assumed.
 */
import type { CredentialsMode } from '../oracle/index.ts';

/** Which script API made the call. */
export const PAGE_CALL_APIS = ['fetch', 'xhr', 'eventsource', 'websocket'] as const;
export type PageCallApi = (typeof PAGE_CALL_APIS)[number];

/** One call of the page's script, as the script made it. */
export interface PageCall {
  readonly api: PageCallApi;
  /** Absolute, resolved against the document's URL. */
  readonly url: string;
  /** As the engine will send it: the six standard methods upper-cased, any other as written (Fetch's normalization). */
  readonly method: string;
  readonly credentials: CredentialsMode;
  /** `cors`, `no-cors`, `same-origin`, `navigate`; `websocket` for a WebSocket handshake. */
  readonly mode: string;
  /** `follow`, `error`, `manual`. */
  readonly redirect: string;
  /** The headers the script set, names lower-cased. */
  readonly headers: readonly (readonly [string, string])[];
  /** The origin of the document that made it. */
  readonly pageOrigin: string;
  /** The call's order in its document. */
  readonly seq: number;
  /** When the page made it (ms since the epoch; the page and the test share this machine's clock). */
  readonly at: number;
  /** The body the script gave, where it was text (a string, or URLSearchParams) of at most PAGE_CALL_BODY_BYTES. */
  readonly body?: string;
}

/** A call's text body is kept up to this size (for a replay); a larger one, or one that is not text, is not. */
export const PAGE_CALL_BODY_BYTES = 64 * 1024;

/**
 * A cross-origin load the page's document completed, as the engine's Resource Timing has it (read by each drain): a
 * call to an origin that is not routed (no ledger) is known to have completed only so. A load that failed is
 * Playwright's 'requestfailed' instead.
 */
export interface PageResource {
  readonly url: string;
  /** When its answer had come in whole (ms since the epoch). */
  readonly at: number;
  /** The answer's status where the engine exposes it to the page (0 where not). */
  readonly status: number;
  readonly pageOrigin: string;
}

/** The prefix of the init script's own names in the page (its queue's flush and drain). */
export const PAGE_CALL_BINDING = '__corsMatrixPageCall';
/**
 * Chromium: a DevTools binding (Runtime.addBinding) on the recorder's own session with the page, used instead of
 * Playwright's. It is one-way: the call's JSON goes out as an event and nothing comes back. Playwright's binding costs
 * 30-60 ms to set up in every test (it installs its bindings controller in each frame) and answers every call with an
 * evaluation in the page. A call made before the binding reaches its document (a popup's first moments, before the
 * recorder's session attaches) waits in the document's queue, sent with the next call or by the flush below.
 */
export const PAGE_CALL_DEVTOOLS_BINDING = '__corsMatrixPageCallDevtools';
/** The document's function that sends its queued calls, once a binding exists (an expression for an evaluation). */
export const PAGE_CALL_FLUSH = `globalThis.${PAGE_CALL_BINDING}Flush?.()`;
/**
 * Firefox (and any engine without a one-way channel): no binding at all. Playwright's binding costs 70-120 ms to set
 * up in every Firefox test and answers every call with an evaluation in the page (~25 ms a call over WebDriver BiDi).
 * Instead the calls wait in their document's queue, and the recorder takes them with one evaluation of this
 * expression when it sees a request of that document (the document is alive then, having just made it): the queued
 * calls as JSON, the queue emptied. A document without the init script gives '[]'.
 */
export const PAGE_CALL_DRAIN = `globalThis.${PAGE_CALL_BINDING}Drain?.() ?? '[]'`;

/**
 * The init script. It runs in the page, so it may use nothing from this module but its argument; it must never throw
 * into the page or change what a call does.
 */
function installPageCallRecorder(binding: string, devtoolsBinding: string, maxBody: number, batchMs: number): void {
  const g = globalThis as unknown as Record<string, unknown>;
  if (g[`${binding}Installed`]) return;
  Object.defineProperty(g, `${binding}Installed`, { value: true });
  let seq = 0;
  const STANDARD = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'];
  const normalize = (method: string): string => (STANDARD.includes(method.toUpperCase()) ? method.toUpperCase() : method);
  const absolute = (url: unknown): string => {
    try {
      return new URL(String(url instanceof URL ? url.href : url), location.href).href;
    } catch {
      return String(url);
    }
  };
  // Calls not yet sent: a binding may reach the document after its first calls.
  const queue: Record<string, unknown>[] = [];
  const flush = (): void => {
    try {
      const oneWay = g[devtoolsBinding];
      // Without a binding (Firefox), the calls stay queued until the recorder drains them.
      if (typeof oneWay !== 'function' || queue.length === 0) return;
      // Every call queued so far in one message: one event to the test's worker for a burst of calls.
      (oneWay as (payload: string) => void)(JSON.stringify(queue));
      queue.length = 0;
    } catch {
      // reporting must never break the page
    }
  };
  // Calls go out in batches: every call made within batchMs of the first in one message, or, with no batch time, once
  // the page's current task has made its other calls (a microtask). Each message costs the page's engine and the
  // test's worker far more than its size (examples/e2e's bench), so a journey's calls go out in a few. A document
  // being left sends what waits at once (pagehide), and the recorder takes what waits when it looks (PAGE_CALL_DRAIN).
  let flushing = false;
  const flushSoon = (): void => {
    if (flushing) return;
    flushing = true;
    const send = (): void => {
      flushing = false;
      flush();
    };
    if (batchMs > 0) setTimeout(send, batchMs);
    else void Promise.resolve().then(send);
  };
  try {
    if (batchMs > 0 && typeof addEventListener === 'function') addEventListener('pagehide', () => flush(), true);
  } catch {
    // a context without window events (a worker) sends by its timer alone
  }
  Object.defineProperty(g, `${binding}Flush`, { value: flush });
  // Cross-origin loads the document completed, from Resource Timing, read when the recorder drains (never observed:
  // a PerformanceObserver for resources cost the todo journey of examples/e2e x1.2 in Chromium).
  // Entries already reported, by name and start: the timeline is ordered by start, not by completion, so a load that
  // began before another and completed after it comes in before entries already read.
  const resourcesSeen = new Set<string>();
  const completedLoads = (): Record<string, unknown>[] => {
    try {
      if (typeof performance === 'undefined' || typeof performance.getEntriesByType !== 'function') return [];
      const fresh = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((entry) => {
        const key = `${entry.startTime} ${entry.name}`;
        if (resourcesSeen.has(key)) return false;
        resourcesSeen.add(key);
        return true;
      });
      const loads: Record<string, unknown>[] = [];
      // Times on the clock the calls use (Date.now): performance.timeOrigin can drift from it by seconds (a VM's clocks).
      for (const entry of fresh) {
        const url = new URL(entry.name);
        if (url.origin === location.origin || !/^https?:$/.test(url.protocol)) continue;
        loads.push({ resource: true, url: entry.name, at: Math.round(Date.now() - (performance.now() - entry.responseEnd)), status: (entry as { responseStatus?: number }).responseStatus ?? 0, pageOrigin: location.origin });
      }
      return loads;
    } catch {
      return [];
    }
  };
  Object.defineProperty(g, `${binding}Drain`, {
    value: (): string => {
      try {
        return JSON.stringify([...queue.splice(0), ...completedLoads()]);
      } catch {
        return '[]';
      }
    },
  });
  const report = (call: Record<string, unknown>): void => {
    try {
      queue.push({ ...call, pageOrigin: location.origin, seq: seq++, at: Date.now() });
    } catch {
      return;
    }
    flushSoon();
  };

  const headerList = (headers: unknown): [string, string][] => {
    try {
      const list: [string, string][] = [];
      if (headers !== undefined && headers !== null) new Headers(headers as HeadersInit).forEach((value, name) => list.push([name.toLowerCase(), value]));
      return list;
    } catch {
      return [];
    }
  };
  const textBody = (body: unknown): { body?: string } => {
    try {
      const text = typeof body === 'string' ? body : typeof URLSearchParams !== 'undefined' && body instanceof URLSearchParams ? body.toString() : undefined;
      return text !== undefined && text.length <= maxBody ? { body: text } : {};
    } catch {
      return {};
    }
  };
  if (typeof g['fetch'] === 'function') {
    g['fetch'] = new Proxy(g['fetch'] as typeof fetch, {
      apply(target, thisArg, args: unknown[]) {
        try {
          const [input, init = {}] = args as [unknown, RequestInit | undefined];
          const request = typeof Request !== 'undefined' && input instanceof Request ? input : undefined;
          report({
            api: 'fetch',
            url: absolute(request ? request.url : input),
            method: normalize(init?.method ?? request?.method ?? 'GET'),
            credentials: init?.credentials ?? request?.credentials ?? 'same-origin',
            mode: init?.mode ?? request?.mode ?? 'cors',
            redirect: init?.redirect ?? request?.redirect ?? 'follow',
            headers: headerList(init?.headers !== undefined ? init.headers : request?.headers),
            ...textBody(init?.body),
          });
        } catch {
          // never in the page's way
        }
        return Reflect.apply(target, thisArg, args);
      },
    });
  }
  const xhr = g['XMLHttpRequest'] as typeof XMLHttpRequest | undefined;
  if (xhr) {
    const state = new WeakMap<object, { url: string; method: string; headers: [string, string][] }>();
    const proto = xhr.prototype;
    proto.open = new Proxy(proto.open, {
      apply(target, thisArg: object, args: unknown[]) {
        try {
          state.set(thisArg, { method: normalize(String(args[0])), url: absolute(args[1]), headers: [] });
        } catch {
          // never in the page's way
        }
        return Reflect.apply(target, thisArg, args);
      },
    });
    proto.setRequestHeader = new Proxy(proto.setRequestHeader, {
      apply(target, thisArg: object, args: unknown[]) {
        const result = Reflect.apply(target, thisArg, args);
        // Recorded after the engine accepted it (a forbidden name is silently dropped by the engine, and so here).
        state.get(thisArg)?.headers.push([String(args[0]).toLowerCase(), String(args[1])]);
        return result;
      },
    });
    proto.send = new Proxy(proto.send, {
      apply(target, thisArg: XMLHttpRequest, args: unknown[]) {
        const s = state.get(thisArg);
        if (s) report({ api: 'xhr', url: s.url, method: s.method, credentials: thisArg.withCredentials ? 'include' : 'same-origin', mode: 'cors', redirect: 'follow', headers: s.headers, ...textBody(args[0]) });
        return Reflect.apply(target, thisArg, args);
      },
    });
  }
  const construct = (name: string, describe: (args: unknown[]) => Record<string, unknown>): void => {
    const original = g[name] as (new (...a: unknown[]) => unknown) | undefined;
    if (typeof original !== 'function') return;
    g[name] = new Proxy(original, {
      construct(target, args: unknown[], newTarget: Function) {
        try {
          report(describe(args));
        } catch {
          // never in the page's way
        }
        return Reflect.construct(target, args, newTarget);
      },
    });
  };
  construct('EventSource', (args) => ({
    api: 'eventsource',
    url: absolute(args[0]),
    method: 'GET',
    credentials: (args[1] as { withCredentials?: boolean } | undefined)?.withCredentials ? 'include' : 'same-origin',
    mode: 'cors',
    redirect: 'follow',
    headers: [],
  }));
  // A WebSocket handshake always carries the user's cookies; it is no CORS request.
  construct('WebSocket', (args) => ({ api: 'websocket', url: absolute(args[0]).replace(/^http/, 'ws'), method: 'GET', credentials: 'include', mode: 'websocket', redirect: 'error', headers: [] }));
}

/** The init script's source, for `context.addInitScript`; `batchMs`: how long a binding's calls wait to go out together (0: a microtask). */
export function pageCallScript(batchMs = 0): string {
  return `(${installPageCallRecorder.toString()})(${JSON.stringify(PAGE_CALL_BINDING)}, ${JSON.stringify(PAGE_CALL_DEVTOOLS_BINDING)}, ${PAGE_CALL_BODY_BYTES}, ${batchMs});`;
}

const CREDENTIALS: readonly CredentialsMode[] = ['omit', 'same-origin', 'include'];

/** A time the page reported, where it is one; else now (the moment it reached the recorder). */
function timeOf(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : Date.now();
}

/** A call as the binding delivered it, checked: the page's script could have tampered with the binding's argument. */
export function pageCallOf(value: unknown): PageCall | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (!(PAGE_CALL_APIS as readonly unknown[]).includes(v['api']) || typeof v['url'] !== 'string' || typeof v['method'] !== 'string') return undefined;
  if (!(CREDENTIALS as readonly unknown[]).includes(v['credentials'])) return undefined;
  const headers = Array.isArray(v['headers']) ? (v['headers'] as unknown[]).filter((h): h is [string, string] => Array.isArray(h) && typeof h[0] === 'string' && typeof h[1] === 'string') : [];
  return {
    api: v['api'] as PageCallApi,
    url: v['url'],
    method: v['method'],
    credentials: v['credentials'] as CredentialsMode,
    mode: typeof v['mode'] === 'string' ? v['mode'] : 'cors',
    redirect: typeof v['redirect'] === 'string' ? v['redirect'] : 'follow',
    headers,
    pageOrigin: typeof v['pageOrigin'] === 'string' ? v['pageOrigin'] : '',
    seq: typeof v['seq'] === 'number' ? v['seq'] : 0,
    at: timeOf(v['at']),
    ...(typeof v['body'] === 'string' && { body: v['body'] }),
  };
}

/** A completed load as the init script reported it, checked as pageCallOf checks a call. */
export function pageResourceOf(value: unknown): PageResource | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (v['resource'] !== true || typeof v['url'] !== 'string') return undefined;
  return {
    url: v['url'],
    at: timeOf(v['at']),
    status: typeof v['status'] === 'number' ? v['status'] : 0,
    pageOrigin: typeof v['pageOrigin'] === 'string' ? v['pageOrigin'] : '',
  };
}

/** What the page reported: its calls and its completed cross-origin loads. */
export interface PageMessages {
  readonly calls: PageCall[];
  readonly resources: PageResource[];
}

function messagesOf(list: readonly unknown[]): PageMessages {
  const calls: PageCall[] = [];
  const resources: PageResource[] = [];
  for (const value of list) {
    const resource = pageResourceOf(value);
    if (resource) resources.push(resource);
    else {
      const call = pageCallOf(value);
      if (call) calls.push(call);
    }
  }
  return { calls, resources };
}

/** What a drain (PAGE_CALL_DRAIN) or one binding payload (a JSON object) carried. */
export function pageMessagesOf(payload: unknown): PageMessages {
  try {
    const parsed: unknown = typeof payload === 'string' ? JSON.parse(payload) : undefined;
    return messagesOf(Array.isArray(parsed) ? parsed : [parsed]);
  } catch {
    return { calls: [], resources: [] };
  }
}

/** What a request needs to be matched with its call. */
export interface CallKey {
  /** The URL the call named: the first of a redirect chain. */
  readonly url: string;
  readonly method: string;
  readonly pageOrigin: string;
  readonly websocket: boolean;
}

/**
 * Pairs requests (in the order the engine made them) with calls (in the order the pages made them): each request
 * takes the earliest call not yet taken with the same URL, method and page origin. Concurrent calls to the same URL
 * leave the engine in call order, so order pairs them; a redirected request is keyed by the URL its chain began with.
 */
export function matchCalls<R>(requests: readonly R[], keyOf: (r: R) => CallKey | undefined, calls: readonly PageCall[]): Map<R, PageCall> {
  const matched = new Map<R, PageCall>();
  const taken = new Set<PageCall>();
  for (const request of requests) {
    const key = keyOf(request);
    if (!key) continue;
    const call = calls.find((c) => !taken.has(c) && c.url === key.url && c.method === key.method && (c.pageOrigin === key.pageOrigin || key.pageOrigin === '') && (c.api === 'websocket') === key.websocket);
    if (!call) continue;
    taken.add(call);
    matched.set(request, call);
  }
  return matched;
}
