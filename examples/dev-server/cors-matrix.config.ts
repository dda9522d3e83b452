import { defineConfig } from 'cors-matrix';

// "Can a site I visit read my source?" esbuild's dev server (serve.mjs), checked in real Chromium, Firefox and
// WebKit, the way it is used: the browser reaches it as http://localhost:8000, the page of another local app
// (http://localhost:3000) is meant to load the bundle, and a site the developer visits must read nothing.
const anySite = "esbuild's serve was given cors: { origin: '*' }: any site the developer visits reads the bundle and its source map (the original source)";

export default defineConfig({
  target: { command: 'node serve.mjs --port {port}', url: 'http://127.0.0.1:{port}/' },
  apiOrigin: 'http://localhost:8000',
  routes: [{ path: '/assets/app.js.map' }],
  intent: { origins: ['http://localhost:3000'] },
  // A plain-http site: from an https page WebKitGTK sends nothing at all to http://localhost (mixed content), while
  // Chromium and Firefox send the request (see the README).
  attackers: ['http://evil.test'],
  findings: [{ probe: 'simple-read', from: ['http://evil.test', 'null'], observed: { verdict: 'allowed' }, finding: anySite }],
});
