import { defineConfig } from 'cors-matrix';

// apache2.conf, checked in real Chromium, Firefox and WebKit. cors-matrix starts Apache on a free port
// (start-apache.mjs), serves the page origins and the attackers on this machine through its forwarding proxy, and
// reports where Apache does other than meant.
const wildcard = 'Access-Control-Allow-Origin: * lets every site read the API (without cookies) and send it PUT';

export default defineConfig({
  target: { command: 'node start-apache.mjs', url: 'http://127.0.0.1:{port}/health' },
  apiOrigin: 'https://api.example.com',
  routes: [{ path: '/api/orders', methods: ['GET', 'PUT'] }],
  intent: { origins: ['https://app.example.com'], methods: ['PUT'], headers: ['X-Request-Id'], credentials: true },
  attackers: ['https://evil.test'],
  findings: [
    {
      probe: 'credentialed-read',
      from: 'https://app.example.com',
      observed: { verdict: 'blocked-at-response' },
      finding: 'Access-Control-Allow-Origin: * with Allow-Credentials: true — browsers refuse * for a request with cookies, so the app cannot read with its session',
    },
    {
      probe: 'credentialed-method',
      from: 'https://app.example.com',
      observed: { verdict: 'blocked-at-preflight' },
      finding: 'Access-Control-Allow-Origin: * with Allow-Credentials: true — the app sends its PUT with its session, and the preflight is refused for it',
    },
    ...(['simple-read', 'intended-method'] as const).map((probe) => ({
      probe,
      from: ['https://evil.test', 'null'],
      observed: { verdict: 'allowed' as const },
      finding: wildcard,
    })),
  ],
});
