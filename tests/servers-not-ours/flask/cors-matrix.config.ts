import { defineConfig } from '../../../lib/index.ts';

// Flask 2.2 + flask-cors 3.0.10 (Debian's python3-flask-cors): origins=[r"https://.*\.notes\.test"], matched with
// re.match, so a prefix and every subdomain get in. The config names the server kind and nothing of the pattern.
export default defineConfig({
  target: { command: '/usr/bin/python3 app.py', cwd: new URL('.', import.meta.url).pathname, url: 'http://127.0.0.1:{port}/health' },
  apiOrigin: 'https://api.notes.test',
  server: 'flask-cors',
  routes: [{ path: '/notes', methods: ['GET', 'POST'] }, { path: '/notes/1', methods: ['PATCH', 'DELETE'] }],
  intent: { origins: ['https://app.notes.test'], methods: ['POST', 'PATCH', 'DELETE'], headers: ['Content-Type'], credentials: true },
  attackers: ['https://evil.test', 'https://app.notes.test.evil.test', 'https://staging.notes.test', 'http://app.notes.test'],
});
