import { defineConfig } from 'cors-matrix';

// The Caddyfile, checked in real Chromium, Firefox and WebKit. cors-matrix starts Caddy on a free port (PORT), serves
// the page origins and the attackers on this machine through its forwarding proxy, and reports where Caddy does
// other than meant.
const reflected = 'the Caddyfile copies any Origin into Access-Control-Allow-Origin, with Allow-Credentials: every site reads the API with the visitor\'s cookies';

export default defineConfig({
  target: {
    command: 'caddy run --config Caddyfile --adapter caddyfile',
    url: 'http://127.0.0.1:{port}/health',
    // Caddy keeps its autosaved config and data under these: one folder per run's port, outside the repository.
    env: { XDG_CONFIG_HOME: '/tmp/cors-matrix-caddy-{port}', XDG_DATA_HOME: '/tmp/cors-matrix-caddy-{port}' },
  },
  apiOrigin: 'https://api.example.com',
  routes: [{ path: '/api/orders', methods: ['GET', 'PUT'] }],
  intent: { origins: ['https://app.example.com'], methods: ['PUT'], headers: ['X-Request-Id'], credentials: true },
  attackers: ['https://evil.test'],
  // The attacker and a sandboxed (null-origin) frame read as the app does.
  findings: (['simple-read', 'credentialed-read', 'intended-method', 'credentialed-method'] as const).map((probe) => ({
    probe,
    from: ['https://evil.test', 'null'],
    observed: { verdict: 'allowed' as const },
    finding: reflected,
  })),
});
