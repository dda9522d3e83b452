import { defineConfig } from 'cors-matrix';

// app.py (Flask with flask-cors 3.0.10), checked in real Chromium, Firefox and WebKit. cors-matrix starts it with
// Debian's Python on a free port (PORT), serves the page origins and the attackers on this machine through its
// forwarding proxy, and reports where the app does other than meant.
const prefix = 'flask-cors matches the origin pattern with re.match, anchored only at its start: https://app.example.com.evil.test reads, with cookies';

export default defineConfig({
  target: { command: '/usr/bin/python3 app.py', url: 'http://127.0.0.1:{port}/health' },
  apiOrigin: 'https://api.example.com',
  routes: [{ path: '/api/orders', methods: ['GET', 'PUT'] }],
  intent: { origins: ['https://app.example.com'], methods: ['PUT'], headers: ['X-Request-Id'], credentials: true },
  attackers: ['https://app.example.com.evil.test'],
  findings: (['simple-read', 'credentialed-read', 'intended-method', 'credentialed-method'] as const).map((probe) => ({
    probe,
    from: 'https://app.example.com.evil.test',
    observed: { verdict: 'allowed' as const },
    finding: prefix,
  })),
});
