// Request kinds other than the page's own fetch(): each performer makes the request exactly as a script on this page
// would with that API or element, and resolves to a PageReport saying what the script could see. A failure the API
// reports as a network error (an error event, a failed load) is reported like fetch's: { kind: 'rejected', name:
// 'TypeError' }, with the API's own words in the message; the ledger and the judge decide whether CORS caused it.
// Plain browser JavaScript. Loaded by the runner page, and by a dedicated worker (then it only answers fetch messages).
(function () {
  'use strict';

  function networkError(message) {
    return { kind: 'rejected', name: 'TypeError', message };
  }

  function headerPairs(headers) {
    const pairs = [];
    headers.forEach((value, name) => pairs.push([name, value]));
    return pairs;
  }

  // The fetch a worker makes; the same code as the runner's, run in the worker's own global scope.
  async function fetchReport(spec) {
    const init = { method: spec.method, headers: spec.headers, credentials: spec.credentials, mode: spec.mode, redirect: spec.redirect };
    if (spec.body !== null) init.body = spec.body;
    try {
      const response = await fetch(spec.url, init);
      const body = await response.text();
      return { kind: 'resolved', status: response.status, type: response.type, headers: headerPairs(response.headers), body: body.slice(0, 4096) };
    } catch (error) {
      return { kind: 'rejected', name: String(error && error.name), message: String(error && error.message) };
    }
  }

  if (typeof window === 'undefined') {
    self.onmessage = async (event) => self.postMessage(await fetchReport(event.data));
    return;
  }

  function withTimeout(spec, what, work) {
    let timer;
    const late = new Promise((resolve) => {
      timer = setTimeout(() => resolve({ kind: 'harness-error', code: 'timeout', message: `${what}: no answer within ${spec.timeoutMs} ms` }), spec.timeoutMs);
    });
    return Promise.race([new Promise(work), late]).finally(() => clearTimeout(timer));
  }

  function sameOrigin(url) {
    return new URL(url, location.href).origin === location.origin;
  }

  function corsAttribute(spec) {
    if (spec.mode === 'no-cors') return null;
    return spec.credentials === 'include' ? 'use-credentials' : 'anonymous';
  }

  function xhrHeaders(raw) {
    return raw
      .trim()
      .split(/[\r\n]+/)
      .filter((line) => line !== '')
      .map((line) => {
        const colon = line.indexOf(':');
        return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
      });
  }

  function xhr(spec, withUploadListener) {
    return withTimeout(spec, 'XMLHttpRequest', (resolve) => {
      const request = new XMLHttpRequest();
      request.open(spec.method, spec.url);
      request.withCredentials = spec.credentials === 'include';
      for (const [name, value] of spec.headers) request.setRequestHeader(name, value);
      // Any listener on the upload object sets the upload listener flag: with a body, that forces a preflight.
      if (withUploadListener) request.upload.addEventListener('progress', () => {});
      request.onload = () =>
        resolve({
          kind: 'resolved',
          status: request.status,
          type: sameOrigin(spec.url) ? 'basic' : 'cors',
          headers: xhrHeaders(request.getAllResponseHeaders()),
          body: String(request.responseText).slice(0, 4096),
        });
      request.onerror = () => resolve(networkError(`XMLHttpRequest error event (status ${request.status}, nothing readable)`));
      request.send(spec.body);
    });
  }

  function eventSource(spec) {
    return withTimeout(spec, 'EventSource', (resolve) => {
      const source = new EventSource(spec.url, { withCredentials: spec.credentials === 'include' });
      source.onmessage = (event) => {
        source.close();
        resolve({ kind: 'resolved', status: 200, type: sameOrigin(spec.url) ? 'basic' : 'cors', headers: [], body: String(event.data) });
      };
      source.onerror = () => {
        const state = source.readyState;
        source.close();
        resolve(networkError(`EventSource error event before any message (readyState ${state === 2 ? 'CLOSED' : state})`));
      };
    });
  }

  function inWorker(spec, makeWorker) {
    return withTimeout(spec, 'worker fetch', (resolve) => {
      let worker;
      try {
        worker = makeWorker();
      } catch (error) {
        resolve({ kind: 'harness-error', code: 'runner-failed', message: `the worker could not be created: ${error && error.name}: ${error && error.message}` });
        return;
      }
      worker.onmessage = (event) => {
        worker.terminate();
        resolve(event.data);
      };
      worker.onerror = (event) => {
        worker.terminate();
        resolve({ kind: 'harness-error', code: 'runner-failed', message: `the worker failed to start: ${event.message || 'error event'}` });
      };
      worker.postMessage({ url: spec.url, method: spec.method, headers: spec.headers, body: spec.body, credentials: spec.credentials, mode: spec.mode, redirect: spec.redirect });
    });
  }

  const WORKER_SOURCE = `self.onmessage = async (event) => self.postMessage(await (${fetchReport.toString()})(event.data)); function headerPairs(headers) { const pairs = []; headers.forEach((value, name) => pairs.push([name, value])); return pairs; }`;

  function imgCanvas(spec) {
    return withTimeout(spec, '<img>', (resolve) => {
      const img = new Image();
      const cors = corsAttribute(spec);
      if (cors) img.crossOrigin = cors;
      img.onload = () => {
        const canvas = document.createElement('canvas');
        canvas.width = 1;
        canvas.height = 1;
        const context = canvas.getContext('2d');
        context.drawImage(img, 0, 0);
        try {
          const pixel = context.getImageData(0, 0, 1, 1).data;
          resolve({ kind: 'resolved', status: 200, type: sameOrigin(spec.url) ? 'basic' : 'cors', headers: [], body: `canvas readable: pixel ${Array.from(pixel).join(',')}` });
        } catch (error) {
          // Drawn but tainted: the image shows, the script cannot read a pixel.
          resolve({ kind: 'resolved', status: 0, type: 'opaque', headers: [], body: `canvas tainted: getImageData threw ${error && error.name}` });
        }
      };
      img.onerror = () => resolve(networkError('<img> error event: the image did not load'));
      img.src = spec.url;
    });
  }

  function script(spec) {
    return withTimeout(spec, '<script>', (resolve) => {
      const element = document.createElement('script');
      const cors = corsAttribute(spec);
      if (cors) element.crossOrigin = cors;
      const errors = [];
      const onError = (event) => {
        errors.push(String(event.message));
        event.preventDefault();
      };
      window.addEventListener('error', onError);
      const done = (report) => {
        window.removeEventListener('error', onError);
        element.remove();
        resolve(report);
      };
      element.onload = () => {
        // The script throws an error naming its case; other cases' scripts may throw on this page at the same time.
        const key = new URL(spec.url, location.href).pathname.split('/').pop();
        const own = errors.find((message) => message.includes(`case ${key}`));
        // A muted error ("Script error.") hides the details of a cross-origin script fetched without CORS.
        const muted = own === undefined;
        const message = own ?? errors.find((m) => !m.includes('cors-matrix script error')) ?? '(no error event)';
        done({ kind: 'resolved', status: muted ? 0 : 200, type: muted ? 'opaque' : sameOrigin(spec.url) ? 'basic' : 'cors', headers: [], body: `error event: ${message}` });
      };
      element.onerror = () => done(networkError('<script> error event: the script did not load'));
      element.src = spec.url;
      document.head.appendChild(element);
    });
  }

  let fontCount = 0;
  function font(spec) {
    return withTimeout(spec, '@font-face', (resolve) => {
      const family = `cm-font-${++fontCount}`;
      const style = document.createElement('style');
      style.textContent = `@font-face { font-family: "${family}"; src: url(${JSON.stringify(spec.url)}); }`;
      document.head.appendChild(style);
      const face = [...document.fonts].find((f) => f.family.replace(/"/g, '') === family);
      if (!face) {
        resolve({ kind: 'harness-error', code: 'runner-failed', message: 'the @font-face rule did not register a font face' });
        return;
      }
      face.load().then(
        () => resolve({ kind: 'resolved', status: 200, type: sameOrigin(spec.url) ? 'basic' : 'cors', headers: [], body: `font "${family}" loaded` }),
        (error) => resolve(networkError(`@font-face failed to load (status "${face.status}": ${error && error.name})`)),
      );
    });
  }

  function preload(spec) {
    return withTimeout(spec, '<link rel=preload>', (resolve) => {
      const link = document.createElement('link');
      link.rel = 'preload';
      link.as = 'fetch';
      const cors = corsAttribute(spec);
      if (cors) link.crossOrigin = cors;
      const done = (report) => {
        link.remove();
        resolve(report);
      };
      link.onload = () => done({ kind: 'resolved', status: 200, type: sameOrigin(spec.url) ? 'basic' : cors ? 'cors' : 'opaque', headers: [], body: 'preload load event' });
      link.onerror = () => done(networkError('<link rel=preload> error event'));
      link.href = spec.url;
      document.head.appendChild(link);
    });
  }

  function webSocket(spec) {
    return withTimeout(spec, 'WebSocket', (resolve) => {
      const socket = new WebSocket(spec.url.replace(/^http/, 'ws'));
      let settled = false;
      socket.onmessage = (event) => {
        settled = true;
        socket.close();
        // No CORS: the script reads whatever the server sends, from any origin.
        resolve({ kind: 'resolved', status: 101, type: 'websocket', headers: [], body: String(event.data) });
      };
      const failed = (what) => () => {
        if (settled) return;
        settled = true;
        resolve(networkError(`WebSocket ${what} before any message`));
      };
      socket.onerror = failed('error event');
      socket.onclose = failed('closed');
    });
  }

  let formCount = 0;
  function form(spec) {
    return withTimeout(spec, '<form>', (resolve) => {
      const name = `cm-form-${++formCount}`;
      const frame = document.createElement('iframe');
      frame.name = name;
      frame.style.display = 'none';
      document.body.appendChild(frame);
      const element = document.createElement('form');
      element.method = spec.method;
      element.action = spec.url;
      element.target = name;
      const contentType = (spec.headers.find(([n]) => n.toLowerCase() === 'content-type') || [])[1];
      if (contentType) element.enctype = contentType;
      for (const pair of String(spec.body ?? '').split('&').filter((p) => p !== '')) {
        const [field, value = ''] = pair.split('=');
        const input = document.createElement('input');
        input.type = 'hidden';
        input.name = decodeURIComponent(field);
        input.value = decodeURIComponent(value);
        element.appendChild(input);
      }
      document.body.appendChild(element);
      frame.addEventListener('load', () => {
        let href;
        try {
          href = frame.contentWindow.location.href;
        } catch {
          href = null; // cross-origin: the response loaded, and the page cannot read it
        }
        if (href === 'about:blank') return;
        element.remove();
        frame.remove();
        resolve({ kind: 'resolved', status: 0, type: href === null ? 'opaque' : 'basic', headers: [], body: href === null ? 'the form response loaded in a frame the page cannot read' : `the form response loaded at ${href}` });
      });
      element.submit();
    });
  }

  window.__corsMatrixKinds = {
    xhr: (spec) => xhr(spec, false),
    'xhr-upload-listener': (spec) => xhr(spec, true),
    'event-source': eventSource,
    'worker-fetch': (spec) => inWorker(spec, () => new Worker('/__cm/request-kinds.js')),
    'blob-worker-fetch': (spec) => inWorker(spec, () => new Worker(URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' })))),
    'data-worker-fetch': (spec) => inWorker(spec, () => new Worker(`data:text/javascript,${encodeURIComponent(WORKER_SOURCE)}`)),
    'img-canvas': imgCanvas,
    script,
    font,
    preload,
    websocket: webSocket,
    form,
  };
})();
