import { defineConfig } from './lib/model/own-server-config.ts';

// Your own server, checked in real engines: the harness starts it, serves your page origins (any host name, over
// https) and your attackers on this machine through its forwarding proxy, and reports where the server does other
// than you meant. Replace the sample with your server's command, routes and intent.
export default defineConfig({
  target: { command: 'npx tsx servers/sample-api.ts', url: 'http://127.0.0.1:{port}/api/health' },
  apiOrigin: 'https://api.example.com',
  routes: [
    { path: '/api/orders', methods: ['GET', 'PUT'] },
    { path: '/api/health', methods: ['GET'] },
  ],
  intent: { origins: ['https://app.example.com'], methods: ['PUT'], headers: ['X-Request-Id'], credentials: true },
  attackers: ['https://evil.test', 'https://app.example.com.evil.test', 'https://staging.example.com', 'http://app.example.com'],
  findings: [
    ...(['simple-read', 'credentialed-read', 'intended-method', 'credentialed-method'] as const).map((probe) => ({
      probe,
      from: 'http://app.example.com',
      observed: { verdict: 'allowed' as const },
      finding: 'the origin RegExp /\\.example\\.com$/ does not pin the scheme: the plain-http twin of the app reads what only https should',
    })),
    {
      probe: 'simple-read',
      from: 'https://staging.example.com',
      observed: { verdict: 'allowed' },
      finding: 'the origin RegExp /\\.example\\.com$/ trusts every subdomain of example.com',
    },
    {
      probe: 'credentialed-read',
      from: 'https://staging.example.com',
      observed: { verdict: 'allowed' },
      finding: 'the origin RegExp /\\.example\\.com$/ trusts every subdomain of example.com, with credentials',
    },
    ...(['intended-method', 'credentialed-method'] as const).map((probe) => ({
      probe,
      from: 'https://staging.example.com',
      observed: { verdict: 'allowed' as const },
      finding: 'the origin RegExp /\\.example\\.com$/ trusts every subdomain of example.com, for PUT too (with the session and without)',
    })),
  ],
});
