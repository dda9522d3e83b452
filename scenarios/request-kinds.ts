import { defineScenarios } from '../lib/model/scenario.ts';

const ANY = { allowOrigin: '*' } as const;
const NONE = { allowOrigin: 'none' } as const;
const WITH_CREDENTIALS = { allowOrigin: 'reflect', allowCredentials: true } as const;

export default defineScenarios({
  family: 'request-kinds',
  proves: 'XHR, EventSource, workers, images, scripts, fonts and preloads are held to the same CORS check as fetch, while a WebSocket is not checked at all and reaches the handler from any site',
  cases: [
    // XMLHttpRequest: the same CORS check as fetch; withCredentials is credentials "include".
    { server: 'allows any origin', to: 'cross-site', request: { kind: 'xhr', method: 'GET' }, policy: ANY },
    { server: 'sends no CORS headers', to: 'cross-site', request: { kind: 'xhr', method: 'GET' }, policy: NONE },
    { server: 'allows PUT', to: 'cross-site', request: { kind: 'xhr', method: 'PUT' }, policy: { allowOrigin: '*', allowMethods: ['PUT'] } },
    { server: 'echoes the origin with credentials', to: 'cross-site', request: { kind: 'xhr', method: 'GET', credentials: 'include' }, policy: WITH_CREDENTIALS },
    { server: 'allows any origin', to: 'cross-site', request: { kind: 'xhr', method: 'GET', credentials: 'include' }, policy: ANY, expect: { why: '`*` never matches a request with credentials, withCredentials included' } },

    // An upload progress listener turns a simple POST into a preflighted one (XHR send(): the upload listener flag).
    { server: 'allows any origin', to: 'cross-site', request: { kind: 'xhr-upload-listener', method: 'POST', body: 'cors-matrix' }, policy: ANY },
    { server: 'sends no CORS headers', to: 'cross-site', request: { kind: 'xhr-upload-listener', method: 'POST', body: 'cors-matrix' }, policy: NONE },
    { server: 'sends no CORS headers', to: 'cross-site', request: { kind: 'xhr', method: 'POST', body: 'cors-matrix' }, policy: NONE, expect: { why: 'the same POST without an upload listener is simple: it reaches the handler unpreflighted' } },

    // EventSource: a CORS GET for text/event-stream; withCredentials is credentials "include".
    { server: 'streams events to any origin', to: 'cross-site', request: { kind: 'event-source', method: 'GET' }, policy: { allowOrigin: '*', body: 'event-stream' } },
    { server: 'streams events without CORS headers', to: 'cross-site', request: { kind: 'event-source', method: 'GET' }, policy: { allowOrigin: 'none', body: 'event-stream' } },
    { server: 'streams events, echoing the origin with credentials', to: 'cross-site', request: { kind: 'event-source', method: 'GET', credentials: 'include' }, policy: { ...WITH_CREDENTIALS, body: 'event-stream' } },
    { server: 'streams events to any origin', to: 'cross-site', request: { kind: 'event-source', method: 'GET', credentials: 'include' }, policy: { allowOrigin: '*', body: 'event-stream' } },

    // fetch() from a dedicated worker has the page's origin; from a data: URL worker an opaque one (Origin: null).
    { server: 'allows any origin', to: 'cross-site', request: { kind: 'worker-fetch', method: 'GET' }, policy: ANY },
    { server: 'sends no CORS headers', to: 'cross-site', request: { kind: 'worker-fetch', method: 'GET' }, policy: NONE },
    { server: 'allows PUT', to: 'cross-site', request: { kind: 'worker-fetch', method: 'PUT' }, policy: { allowOrigin: '*', allowMethods: ['PUT'] } },
    { server: 'allows the page origin only', to: 'cross-site', request: { kind: 'blob-worker-fetch', method: 'GET' }, policy: { allowOrigin: { list: ['page'] } }, expect: { why: 'a blob: URL worker has the origin of the page that made it' } },
    { server: 'sends no CORS headers', to: 'cross-site', request: { kind: 'blob-worker-fetch', method: 'GET' }, policy: NONE },
    { server: 'allows the page origin only', to: 'cross-site', request: { kind: 'data-worker-fetch', method: 'GET' }, policy: { allowOrigin: { list: ['page'] } }, expect: { why: 'a data: URL worker has an opaque origin: it sends Origin: null, which the list does not hold' } },
    { server: 'allows "null"', to: 'cross-site', request: { kind: 'data-worker-fetch', method: 'GET' }, policy: { allowOrigin: 'null' } },

    // <img crossorigin> is a CORS request: blocked without CORS headers; without the attribute it loads but taints the canvas.
    { server: 'serves an image to any origin', to: 'cross-site', request: { kind: 'img-canvas', method: 'GET' }, policy: { allowOrigin: '*', body: 'image' } },
    { server: 'serves an image without CORS headers', to: 'cross-site', request: { kind: 'img-canvas', method: 'GET' }, policy: { allowOrigin: 'none', body: 'image' } },
    { server: 'serves an image without CORS headers', to: 'cross-site', request: { kind: 'img-canvas', method: 'GET', mode: 'no-cors' }, policy: { allowOrigin: 'none', body: 'image' }, expect: { why: 'no crossorigin attribute: a no-cors load, drawn but tainting the canvas' } },
    { server: 'serves an image to any origin', to: 'cross-site', request: { kind: 'img-canvas', method: 'GET', credentials: 'include' }, policy: { allowOrigin: '*', body: 'image' }, expect: { why: 'crossorigin="use-credentials" is credentials "include": `*` never matches' } },

    // <script crossorigin>: with CORS the page sees the script's error details; without the attribute they are muted.
    { server: 'serves a throwing script to any origin', to: 'cross-site', request: { kind: 'script', method: 'GET' }, policy: { allowOrigin: '*', body: 'script' } },
    { server: 'serves a throwing script without CORS headers', to: 'cross-site', request: { kind: 'script', method: 'GET' }, policy: { allowOrigin: 'none', body: 'script' } },
    { server: 'serves a throwing script without CORS headers', to: 'cross-site', request: { kind: 'script', method: 'GET', mode: 'no-cors' }, policy: { allowOrigin: 'none', body: 'script' }, expect: { why: 'no crossorigin attribute: the script runs, but its error reaches the page as "Script error."' } },

    // @font-face is always a CORS request (credentials "same-origin"), with no attribute to opt out; WebKit fetches it
    // no-cors, its own rule in the oracle (lib/model/engine-deviations.ts).
    { server: 'serves a font to any origin', to: 'cross-site', request: { kind: 'font', method: 'GET' }, policy: { allowOrigin: '*', body: 'font' } },
    { server: 'serves a font without CORS headers', to: 'cross-site', request: { kind: 'font', method: 'GET' }, policy: { allowOrigin: 'none', body: 'font' } },
    { server: 'serves a font without CORS headers', to: 'same-origin', request: { kind: 'font', method: 'GET' }, policy: { allowOrigin: 'none', body: 'font' } },

    // <link rel=preload as=fetch crossorigin>: the preload's own CORS check decides its load or error event (Firefox
    // fires load on a CORS failure, its own rule in the oracle).
    { server: 'allows any origin', to: 'cross-site', request: { kind: 'preload', method: 'GET' }, policy: ANY },
    { server: 'sends no CORS headers', to: 'cross-site', request: { kind: 'preload', method: 'GET' }, policy: NONE },

    // A WebSocket handshake is not CORS: no engine checks anything, the handler runs for any site. The server must check Origin.
    ...(['page', 'evil', 'null', 'other-port'] as const).map((from) => ({
      server: 'accepts every WebSocket handshake',
      from,
      to: 'cross-site' as const,
      request: { kind: 'websocket' as const, method: 'GET' },
      policy: NONE,
      expect: {
        verdict: 'allowed' as const,
        preflight: false,
        reachedHandler: true,
        why: `the handshake from ${from === 'null' ? 'a sandboxed frame (Origin: null)' : `the ${from} origin`} reaches the handler and the script reads the reply, with no CORS header anywhere`,
      },
    })),
    {
      server: 'accepts every WebSocket handshake',
      to: 'same-origin',
      request: { kind: 'websocket', method: 'GET' },
      policy: NONE,
      expect: { verdict: 'allowed', preflight: false, reachedHandler: true, why: 'a same-origin WebSocket, the control' },
    },
  ],
});
