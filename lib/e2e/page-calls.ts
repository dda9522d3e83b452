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
function installPageCallRecorder(binding: string, devtoolsBinding: string): void {
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
      if (typeof oneWay !== 'function') return;
      while (queue.length > 0) {
        (oneWay as (payload: string) => void)(JSON.stringify(queue[0]));
        queue.shift();
      }
    } catch {
      // reporting must never break the page
    }
  };
  Object.defineProperty(g, `${binding}Flush`, { value: flush });
  Object.defineProperty(g, `${binding}Drain`, {
    value: (): string => {
      try {
        return JSON.stringify(queue.splice(0));
      } catch {
        return '[]';
      }
    },
  });
  const report = (call: Record<string, unknown>): void => {
    try {
      queue.push({ ...call, pageOrigin: location.origin, seq: seq++ });
    } catch {
      return;
    }
    flush();
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
        if (s) report({ api: 'xhr', url: s.url, method: s.method, credentials: thisArg.withCredentials ? 'include' : 'same-origin', mode: 'cors', redirect: 'follow', headers: s.headers });
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

/** The init script's source, for `context.addInitScript`. */
export function pageCallScript(): string {
  return `(${installPageCallRecorder.toString()})(${JSON.stringify(PAGE_CALL_BINDING)}, ${JSON.stringify(PAGE_CALL_DEVTOOLS_BINDING)});`;
}

const CREDENTIALS: readonly CredentialsMode[] = ['omit', 'same-origin', 'include'];

/** The calls a drain (PAGE_CALL_DRAIN) returned, each checked as pageCallOf does; anything else gives none. */
export function pageCallsOfDrain(payload: unknown): PageCall[] {
  try {
    const list: unknown = typeof payload === 'string' ? JSON.parse(payload) : undefined;
    return Array.isArray(list) ? list.map(pageCallOf).filter((c): c is PageCall => c !== undefined) : [];
  } catch {
    return [];
  }
}

/** A call as the DevTools binding delivered it (its JSON), checked as pageCallOf does. */
export function pageCallOfPayload(payload: string): PageCall | undefined {
  try {
    return pageCallOf(JSON.parse(payload));
  } catch {
    return undefined;
  }
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
  };
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
