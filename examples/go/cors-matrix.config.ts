import { defineConfig } from 'cors-matrix';

// main.go (rs/cors 1.7.0), checked in real Chromium, Firefox and WebKit. cors-matrix starts the built API on a free
// port (PORT), serves the page origins and the attackers on this machine through its forwarding proxy, and reports
// where the API does other than meant.
const subdomains = 'AllowedOrigins "https://*.example.com" trusts every subdomain of example.com: https://staging.example.com reads, with cookies';

export default defineConfig({
  // The first start may build main.go (start.mjs): allow it the time.
  target: { command: 'node start.mjs', url: 'http://127.0.0.1:{port}/health', readyTimeoutMs: 60_000 },
  apiOrigin: 'https://api.example.com',
  routes: [{ path: '/api/orders', methods: ['GET', 'PUT'] }],
  intent: { origins: ['https://app.example.com'], methods: ['PUT'], headers: ['X-Request-Id'], credentials: true },
  attackers: ['https://staging.example.com', 'https://evil.test'],
  findings: (['simple-read', 'credentialed-read', 'intended-method', 'credentialed-method'] as const).map((probe) => ({
    probe,
    from: 'https://staging.example.com',
    observed: { verdict: 'allowed' as const },
    finding: subdomains,
  })),
});
