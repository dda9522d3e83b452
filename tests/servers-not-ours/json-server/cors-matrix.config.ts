import { defineConfig } from '../../../lib/index.ts';

// json-server 0.17.4 (npm): its CORS layer is the `cors` package with origin: true and credentials: true — it reflects
// any Origin with Access-Control-Allow-Credentials: true and allows every method and requested header. The config says
// nothing of that (no findings, no server kind): the diagnosis has to find it from what the engines measured.
export default defineConfig({
  target: { command: 'node start.mjs', cwd: new URL('.', import.meta.url).pathname, url: 'http://127.0.0.1:{port}/todos' },
  apiOrigin: 'https://api.todos.example',
  routes: [
    { path: '/todos', methods: ['GET', 'POST'] },
    { path: '/todos/1', methods: ['GET', 'PATCH', 'DELETE'] },
  ],
  intent: { origins: ['https://todos.example'], methods: ['POST', 'PATCH', 'DELETE'], headers: ['Content-Type'], credentials: true },
  attackers: ['https://evil.test', 'https://todos.example.evil.test', 'http://todos.example'],
});
