// The in-page runner: performs one fetch exactly as a script on this page would, and reports what the script could see.
// Plain browser JavaScript, served with the page, so that every engine and every driver runs the same code.
(function () {
  'use strict';

  async function perform(spec) {
    if (spec.kind && spec.kind !== 'fetch') {
      const kinds = window.__corsMatrixKinds || {};
      if (typeof kinds[spec.kind] !== 'function') return { kind: 'harness-error', code: 'page-not-loaded', message: `the page knows no request kind "${spec.kind}"` };
      return kinds[spec.kind](spec);
    }
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, spec.timeoutMs);
    const init = {
      method: spec.method,
      headers: spec.headers,
      credentials: spec.credentials,
      mode: spec.mode,
      redirect: spec.redirect,
      signal: controller.signal,
    };
    if (spec.body !== null) init.body = spec.body;
    try {
      const response = await fetch(spec.url, init);
      const headers = [];
      response.headers.forEach((value, name) => headers.push([name, value]));
      const body = await response.text();
      return { kind: 'resolved', status: response.status, type: response.type, headers, body: body.slice(0, 4096) };
    } catch (error) {
      if (timedOut) return { kind: 'harness-error', code: 'timeout', message: `no answer within ${spec.timeoutMs} ms` };
      return { kind: 'rejected', name: String(error && error.name), message: String(error && error.message) };
    } finally {
      clearTimeout(timer);
    }
  }

  const inSandboxedFrame = window.parent !== window;
  if (inSandboxedFrame) {
    window.addEventListener('message', async (event) => {
      const { id, spec } = event.data;
      window.parent.postMessage({ id, report: await perform(spec) }, '*');
    });
    window.parent.postMessage({ ready: true }, '*');
    return;
  }

  let nextId = 0;
  const pending = new Map();
  let frameReady;
  const frameReadyPromise = new Promise((resolve) => (frameReady = resolve));
  window.addEventListener('message', (event) => {
    const frame = document.getElementById('null-origin-frame');
    if (!frame || event.source !== frame.contentWindow) return;
    if (event.data.ready) return frameReady();
    const settle = pending.get(event.data.id);
    pending.delete(event.data.id);
    if (settle) settle(event.data.report);
  });

  async function viaNullFrame(spec) {
    const ready = await Promise.race([frameReadyPromise.then(() => true), new Promise((r) => setTimeout(() => r(false), spec.timeoutMs))]);
    if (!ready) return { kind: 'harness-error', code: 'page-not-loaded', message: 'the sandboxed (null-origin) frame never loaded' };
    const frame = document.getElementById('null-origin-frame');
    const id = ++nextId;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      frame.contentWindow.postMessage({ id, spec }, '*');
    });
  }

  function runOne(spec) {
    return spec.inNullFrame ? viaNullFrame(spec) : perform(spec);
  }

  function pause(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  // A unit is one case, or the ordered steps of a sequence that share engine state (caches, cookies). Units run
  // concurrently, at most `limit` at a time; the steps of a unit one after another, each after its own wait.
  async function runUnit(unit) {
    const steps = [];
    for (const step of unit.steps) {
      if (step.afterMs > 0) await pause(step.afterMs);
      if (step.markUrl) await fetch(step.markUrl).catch(() => undefined);
      const startedAt = Date.now();
      const report = await runOne(step.request).catch((error) => ({ kind: 'harness-error', code: 'runner-failed', message: 'runner threw: ' + error }));
      steps.push({ report, startedAt, finishedAt: Date.now() });
    }
    return steps;
  }

  // The benchmark's floor: bare concurrent fetches, nothing recorded, no harness around them. Returns elapsed ms.
  window.__corsMatrixFloor = async function (specs, limit) {
    const started = performance.now();
    let next = 0;
    async function worker() {
      while (next < specs.length) {
        const spec = specs[next++];
        const init = { method: spec.method, headers: spec.headers, credentials: spec.credentials, mode: spec.mode };
        if (spec.body !== null) init.body = spec.body;
        await fetch(spec.url, init).then((r) => r.text(), () => undefined);
      }
    }
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, specs.length)) }, worker));
    return performance.now() - started;
  };

  window.__corsMatrixRun = runOne;
  window.__corsMatrixRunUnits = async function (units, limit) {
    const results = new Array(units.length);
    let next = 0;
    async function worker() {
      while (next < units.length) {
        const index = next++;
        results[index] = await runUnit(units[index]);
      }
    }
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, units.length)) }, worker));
    return results;
  };
})();
