import { defineConfig } from '../../../lib/index.ts';

// hapi 21.4.13 (npm), `routes: { cors: { origin: ['https://*.example.com'], credentials: true, additionalHeaders:
// ['X-Request-Id'] } }`. The intent needs X-Trace too, which hapi's list lacks: hapi then answers the preflight with no
// CORS header at all, which alone reads like an origin not allowed. The config says nothing of either flaw.
export default defineConfig({
  target: { command: 'node server.mjs', cwd: new URL('.', import.meta.url).pathname, url: 'http://127.0.0.1:{port}/api/health' },
  apiOrigin: 'https://api.example.com',
  routes: [{ path: '/api/orders', methods: ['GET', 'PUT'] }, { path: '/api/health' }],
  intent: { origins: ['https://app.example.com'], methods: ['PUT'], headers: ['X-Request-Id', 'X-Trace'], credentials: true },
  attackers: ['https://evil.test', 'https://app.example.com.evil.test', 'https://staging.example.com', 'http://app.example.com'],
});
