import { defineMiddlewareSuites, middlewareTests } from 'cors-matrix';
import { createApp } from '../app.ts';

// The app's CORS checked against what it is meant to do, in real Chromium, Firefox and WebKit: cors-matrix derives
// the cases from the intent (the page reads, with cookies, PUT and Authorization, and reads X-Request-Id; a DELETE, an
// unlisted header and every other origin — same site, other port, a sandboxed frame — get nothing), serves the app
// on its cross-site origin, and runs each case in each engine.
middlewareTests(
  defineMiddlewareSuites([
    {
      middleware: 'app',
      label: 'notes-api',
      app: (origins, hooks) => createApp(origins.page, hooks),
      optionsText: '{ origin: page, methods: [GET, HEAD, PUT], allowedHeaders: [Authorization], exposedHeaders: [X-Request-Id], credentials: true }',
      intent: { origins: ['page'], methods: ['PUT'], headers: ['Authorization'], credentials: true, exposedHeaders: ['X-Request-Id'] },
    },
  ]),
);
