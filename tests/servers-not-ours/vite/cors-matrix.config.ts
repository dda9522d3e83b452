import { defineConfig } from '../../../lib/index.ts';

// Vite 7.3.8 (npm), its dev server with no `server.cors` given. The default origin check admits
// /^https?:\/\/(?:(?:[^:]+\.)?localhost|127\.0\.0\.1|\[::1\])(?::\d+)?$/ — the config says nothing of that (no
// findings): the diagnosis has to find it from what the engines measured. The team means one local app to read, and
// says it runs Vite, so the fix is also printed as vite.config's server.cors.
export default defineConfig({
  target: { command: 'node start.mjs', cwd: new URL('.', import.meta.url).pathname, url: 'http://127.0.0.1:{port}/app.js' },
  apiOrigin: 'http://localhost:5173',
  routes: [{ path: '/app.js' }],
  intent: { origins: ['http://localhost:3000'] },
  attackers: ['https://evil.test', 'http://localhost:4000', 'http://evil.localhost:3000'],
  server: 'vite',
});
