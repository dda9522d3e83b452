import { defineConfig } from '../../../lib/index.ts';

// restify 11.1.0 with restify-cors-middleware2 2.2.1 (npm), `origins: ['https://*.example.com'], credentials: true`.
// Two flaws of one origin check (every subdomain, and the unescaped second dot that lets x.examplezcom in), and a
// preflight that echoes any method, so an unintended PATCH reaches restify, which answers 405 without CORS headers.
export default defineConfig({
  target: { command: 'node server.mjs', cwd: new URL('.', import.meta.url).pathname, url: 'http://127.0.0.1:{port}/api/health' },
  apiOrigin: 'https://api.example.com',
  routes: [{ path: '/api/orders', methods: ['GET', 'PUT', 'DELETE'] }, { path: '/api/health' }],
  intent: { origins: ['https://app.example.com', 'https://admin.example.com'], methods: ['PUT', 'DELETE'], headers: ['X-Request-Id'], credentials: true },
  attackers: ['https://evil.test', 'https://x.examplezcom', 'https://app.example.com.evil.test', 'https://staging.example.com', 'http://app.example.com'],
});
