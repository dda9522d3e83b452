// The page's own calls (lib/e2e/page-calls.ts) without a browser: a reported call is checked before it is believed,
// and requests pair with calls by URL, method, page origin and order — concurrent calls to one URL in call order.
import { test, expect } from '@playwright/test';
import { matchCalls, pageCallOf, pageMessagesOf, pageCallScript, PAGE_CALL_DEVTOOLS_BINDING, PAGE_CALL_DRAIN, PAGE_CALL_FLUSH, type CallKey, type PageCall } from '../../lib/e2e/page-calls.ts';

const PAGE = 'http://127.0.0.1:5173';
const call = (url: string, method: string, seq: number, extra: Partial<PageCall> = {}): PageCall => ({ api: 'fetch', url, method, credentials: 'include', mode: 'cors', redirect: 'follow', headers: [], pageOrigin: PAGE, seq, at: 1, ...extra });
const drainedCalls = (payload: unknown): PageCall[] => pageMessagesOf(payload).calls;
const key = (url: string, method = 'GET', websocket = false): CallKey => ({ url, method, pageOrigin: PAGE, websocket });

test('a reported call is taken only in its documented shape', () => {
  expect(pageCallOf({ api: 'fetch', url: 'https://a.test/x', method: 'GET', credentials: 'include', mode: 'cors', redirect: 'follow', headers: [['content-type', 'text/plain']], pageOrigin: PAGE, seq: 0, at: 1 })).toEqual(call('https://a.test/x', 'GET', 0, { headers: [['content-type', 'text/plain']] }));
  expect(pageCallOf({ api: 'fetch', url: 'https://a.test/x', method: 'GET', credentials: 'sometimes' })).toBeUndefined();
  expect(pageCallOf({ api: 'beacon', url: 'https://a.test/x', method: 'GET', credentials: 'include' })).toBeUndefined();
  expect(pageCallOf('not a call')).toBeUndefined();
});

test('concurrent calls to one URL pair with their requests in order; methods and URLs keep them apart', () => {
  const calls = [call('https://a.test/t/1', 'GET', 0, { credentials: 'omit' }), call('https://a.test/t/1', 'GET', 1, { credentials: 'include' }), call('https://a.test/t/1', 'PATCH', 2)];
  const requests = [key('https://a.test/t/1', 'PATCH'), key('https://a.test/t/1'), key('https://a.test/t/1'), key('https://a.test/t/1')];
  const matched = matchCalls(requests, (r) => r, calls);
  expect(matched.get(requests[0]!)?.method).toBe('PATCH');
  expect(matched.get(requests[1]!)?.credentials).toBe('omit');
  expect(matched.get(requests[2]!)?.credentials).toBe('include');
  // A third GET without a call (a worker's) stays unmatched: its credentials mode is then assumed.
  expect(matched.has(requests[3]!)).toBe(false);
});

test('a WebSocket call pairs only with a WebSocket, and another page origin does not take a call', () => {
  const calls = [call('ws://a.test/live', 'GET', 0, { api: 'websocket' }), call('https://a.test/x', 'GET', 1)];
  const ws = key('ws://a.test/live', 'GET', true);
  const elsewhere: CallKey = { ...key('https://a.test/x'), pageOrigin: 'http://other.test' };
  const matched = matchCalls([ws, elsewhere], (r) => r, calls);
  expect(matched.get(ws)?.api).toBe('websocket');
  expect(matched.has(elsewhere)).toBe(false);
});

test('the init script is one self-contained expression naming its binding', () => {
  const script = pageCallScript();
  expect(script).toContain('__corsMatrixPageCall');
  expect(() => new Function(script)).not.toThrow();
});

test('a call made before any binding waits in its document, and goes out in order once one exists', async () => {
  const { runInNewContext } = await import('node:vm');
  const sent: string[] = [];
  const sandbox: Record<string, unknown> = { location: { href: `${PAGE}/todos`, origin: PAGE }, URL, Headers, fetch: async () => 'response' };
  sandbox['globalThis'] = sandbox;
  runInNewContext(pageCallScript(), sandbox);
  const pageFetch = sandbox['fetch'] as (url: string, init?: RequestInit) => Promise<string>;
  // The page's call is made unchanged, bindings or not.
  expect(await pageFetch('https://a.test/one', { credentials: 'include' })).toBe('response');
  await pageFetch('https://a.test/two');
  expect(sent).toEqual([]);
  // The DevTools binding arrives (Chromium), and the recorder asks the document to send what waited.
  sandbox[PAGE_CALL_DEVTOOLS_BINDING] = (payload: string) => sent.push(payload);
  runInNewContext(PAGE_CALL_FLUSH, sandbox);
  await pageFetch('https://a.test/three', { method: 'delete' });
  // A burst of calls goes out as one message.
  const calls = sent.flatMap((payload) => pageMessagesOf(payload).calls);
  expect(calls.map((c) => [c?.url, c?.method, c?.credentials, c?.seq])).toEqual([
    ['https://a.test/one', 'GET', 'include', 0],
    ['https://a.test/two', 'GET', 'same-origin', 1],
    ['https://a.test/three', 'DELETE', 'same-origin', 2],
  ]);
});

test('without a binding (Firefox), a drain takes the queued calls once each, in order, and a tampered queue gives none', async () => {
  const { runInNewContext } = await import('node:vm');
  const sandbox: Record<string, unknown> = { location: { href: `${PAGE}/todos`, origin: PAGE }, URL, Headers, fetch: async () => 'response' };
  sandbox['globalThis'] = sandbox;
  // A document without the init script gives an empty list, not an error.
  expect(drainedCalls(runInNewContext(PAGE_CALL_DRAIN, { globalThis: {} }))).toEqual([]);
  runInNewContext(pageCallScript(), sandbox);
  const pageFetch = sandbox['fetch'] as (url: string, init?: RequestInit) => Promise<string>;
  expect(await pageFetch('https://a.test/one', { credentials: 'include', method: 'patch' })).toBe('response');
  await pageFetch('https://a.test/two', { headers: { 'X-Trace': '1' } });
  const first = drainedCalls(runInNewContext(PAGE_CALL_DRAIN, sandbox));
  expect(first.map((c) => [c.url, c.method, c.credentials, c.headers, c.seq])).toEqual([
    // PATCH is not among the methods Fetch upper-cases: 'patch' goes out as written.
    ['https://a.test/one', 'patch', 'include', [], 0],
    ['https://a.test/two', 'GET', 'same-origin', [['x-trace', '1']], 1],
  ]);
  // Drained calls are gone from the document: the next drain gives only what came after.
  await pageFetch('https://a.test/three');
  expect(drainedCalls(runInNewContext(PAGE_CALL_DRAIN, sandbox)).map((c) => c.seq)).toEqual([2]);
  expect(drainedCalls(runInNewContext(PAGE_CALL_DRAIN, sandbox))).toEqual([]);
  expect(drainedCalls('{"not":"a list"}')).toEqual([]);
  expect(drainedCalls(42)).toEqual([]);
});

test('with a batch time (Chromium), the calls of several tasks go out in one message, and a document being left sends what waits at once', async () => {
  const { runInNewContext } = await import('node:vm');
  const sent: string[] = [];
  const listeners: Record<string, () => void> = {};
  const sandbox: Record<string, unknown> = {
    location: { href: `${PAGE}/todos`, origin: PAGE },
    URL,
    Headers,
    setTimeout,
    fetch: async () => 'response',
    addEventListener: (type: string, listener: () => void) => (listeners[type] = listener),
  };
  sandbox['globalThis'] = sandbox;
  sandbox[PAGE_CALL_DEVTOOLS_BINDING] = (payload: string) => sent.push(payload);
  runInNewContext(pageCallScript(40), sandbox);
  const pageFetch = sandbox['fetch'] as (url: string, init?: RequestInit) => Promise<string>;
  await pageFetch('https://a.test/one');
  await new Promise((resolve) => setTimeout(resolve, 5));
  await pageFetch('https://a.test/two', { method: 'PATCH' });
  expect(sent).toEqual([]);
  await new Promise((resolve) => setTimeout(resolve, 60));
  expect(sent).toHaveLength(1);
  expect(pageMessagesOf(sent[0]!).calls.map((c) => c?.url)).toEqual(['https://a.test/one', 'https://a.test/two']);
  // A call just before the document is left is not held for the batch.
  await pageFetch('https://a.test/three');
  listeners['pagehide']!();
  expect(sent).toHaveLength(2);
  expect(pageMessagesOf(sent[1]!).calls.map((c) => c?.url)).toEqual(['https://a.test/three']);
});
