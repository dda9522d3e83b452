// The deployed API, run inside the cm-deployed namespace (10.77.0.2): an app with a reflected-origin hole on :8080,
// behind varnish (:6081, a CDN's cache, which answers /blocked with its own HTML block page), behind TLS from the
// test's private CA on :443 (the edge). :8443 serves a certificate for another name, :8444 an expired one. Every request the app gets is one line in its log: the upstream's own record.
import { appendFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createTls } from 'node:https';
import { request } from 'node:http';

const [dir, log] = [process.argv[2], process.argv[3]];
const HOST = '10.77.0.2';

createServer((req, res) => {
  appendFileSync(log, `${req.method} ${req.url}\n`);
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/login-wall') return res.writeHead(302, { Location: '/login?next=/login-wall' }).end();
  const origin = req.headers.origin;
  // The hole: any Origin is reflected, with credentials.
  const cors = origin ? { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true' } : {};
  if (req.method === 'OPTIONS') return res.writeHead(204, { ...cors, 'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE', 'Access-Control-Allow-Headers': 'Content-Type, Authorization' }).end();
  res.writeHead(200, { ...cors, 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify({ ok: true, method: req.method }));
}).listen(8080, HOST);

const toCache = (req, res) => {
  const upstream = request({ host: HOST, port: 6081, method: req.method, path: req.url, headers: req.headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on('error', () => res.writeHead(502).end());
  req.pipe(upstream);
};
const cert = (name) => ({ key: readFileSync(`${dir}/${name}.key`), cert: readFileSync(`${dir}/${name}.crt`) });
createTls(cert('api'), toCache).listen(443, HOST);
createTls(cert('wrong'), toCache).listen(8443, HOST);
createTls(cert('expired'), toCache).listen(8444, HOST);
