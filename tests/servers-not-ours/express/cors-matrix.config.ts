import { defineConfig } from '../../../lib/index.ts';

// Express 5.3 + cors 2.8 (npm): origin: ['https://app.notes.test', /notes\.test$/] with credentials. The config names
// the server kind, so the fixes are given as its options too; it says nothing of the pattern: the diagnosis has to
// find the suffix and the unpinned scheme from what the engines measured.
export default defineConfig({
  target: { command: 'node server.mjs', cwd: new URL('.', import.meta.url).pathname, url: 'http://127.0.0.1:{port}/health' },
  apiOrigin: 'https://api.notes.test',
  server: 'express-cors',
  routes: [{ path: '/notes', methods: ['GET', 'POST'] }, { path: '/notes/1', methods: ['DELETE'] }],
  intent: { origins: ['https://app.notes.test'], methods: ['POST', 'DELETE'], headers: ['Content-Type'], credentials: true },
  attackers: ['https://evil.test', 'https://evilnotes.test', 'https://app.notes.test.evil.test', 'http://app.notes.test'],
});
