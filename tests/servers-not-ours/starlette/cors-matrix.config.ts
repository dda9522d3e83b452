import { defineConfig } from '../../../lib/index.ts';

// Starlette 0.26.1 (Debian's python3-starlette, FastAPI's CORS layer) with CORSMiddleware: allow_methods ['GET',
// 'POST'] although the page sends PUT, and allow_origin_regex https://.*\.example\.com. The config says nothing of
// either: the diagnosis has to find them from what the engines measured.
export default defineConfig({
  target: { command: '/usr/bin/python3 app.py', cwd: new URL('.', import.meta.url).pathname, url: 'http://127.0.0.1:{port}/api/health' },
  apiOrigin: 'https://api.example.com',
  routes: [{ path: '/api/orders', methods: ['GET', 'PUT'] }, { path: '/api/health' }],
  intent: { origins: ['https://app.example.com'], methods: ['PUT'], headers: ['X-Request-Id'], credentials: true },
  attackers: ['https://evil.test', 'https://app.example.com.evil.test', 'https://staging.example.com', 'http://app.example.com'],
});
