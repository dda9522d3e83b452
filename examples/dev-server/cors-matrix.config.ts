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
  // A plain-http site and an https one. From the https page Chromium and Firefox send the request (loopback is
  // potentially trustworthy, so it is not mixed content) and it reads the bundle; WebKit sends nothing at all
  // (blocked-before-sending, its declared deviation, WebKit bug 171934), so in WebKit only the http site reads it.
  attackers: ['http://evil.test', 'https://evil.test'],
  findings: [{ probe: 'simple-read', from: ['http://evil.test', 'https://evil.test', 'null'], observed: { verdict: 'allowed' }, finding: anySite }],
});
