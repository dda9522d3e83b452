import { defineConfig } from '../../../lib/index.ts';

// http-server 14.1.1 (npm) with --cors: Access-Control-Allow-Origin: * on every answer, meant here for one docs site.
// A wildcard is a different behaviour from a reflection: every site reads what needs no credentials, and nothing reads
// with them. The config declares nothing: the diagnosis has to find it.
export default defineConfig({
  target: { command: 'node ../node_modules/http-server/bin/http-server public -a 127.0.0.1 -p {port} --cors -s -c-1', cwd: new URL('.', import.meta.url).pathname, url: 'http://127.0.0.1:{port}/api/release.json' },
  apiOrigin: 'https://static.docs.example',
  routes: [{ path: '/api/release.json', methods: ['GET'] }],
  intent: { origins: ['https://docs.example'], credentials: false },
  attackers: ['https://evil.test'],
});
