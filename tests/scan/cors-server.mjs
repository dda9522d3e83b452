// A tiny API on 127.0.0.1 for the scan tests: `--mode reflect` answers any Origin with itself and credentials (the
// classic hole), `--mode clean` allows only --allow's origin, with credentials and Vary: Origin.
// Usage: node cors-server.mjs --port N --mode reflect|clean [--allow https://app.example.com]
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { port: { type: 'string' }, mode: { type: 'string', default: 'reflect' }, allow: { type: 'string', default: 'https://app.example.com' } } });
const port = Number(values.port ?? process.env.PORT);
if (!Number.isInteger(port) || port <= 0) throw new Error('cors-server: give --port N (or PORT)');

createServer((req, res) => {
  // One line per request that arrives: the test's evidence of what reached the server (budget, held-back writes).
  console.log(`request ${req.method} ${req.url}`);
  const origin = req.headers.origin;
  const allowed = values.mode === 'reflect' ? origin !== undefined : origin === values.allow;
  const headers = { Vary: 'Origin', 'Content-Type': 'application/json' };
  if (allowed) Object.assign(headers, { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true' });
  if (req.method === 'OPTIONS') {
    if (allowed && req.headers['access-control-request-method']) headers['Access-Control-Allow-Methods'] = 'GET';
    res.writeHead(204, headers).end();
    return;
  }
  res.writeHead(200, headers).end(JSON.stringify({ ok: true, path: req.url }));
}).listen(port, '127.0.0.1', () => console.log(`cors-server (${values.mode}) on http://127.0.0.1:${port}`));
