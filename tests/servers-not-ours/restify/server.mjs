// restify 11 (npm) with restify-cors-middleware2, as its README configures it: a subdomain wildcard, credentials, one
// extra allowed header. The middleware turns https://*.example.com into ^https://.*\.example.com$ (only the first dot
// escaped), and its preflight echoes any requested method. Bound to 127.0.0.1 on the port the harness gives (PORT).
import restify from 'restify';
import corsMiddleware from 'restify-cors-middleware2';

const cors = corsMiddleware({ origins: ['https://*.example.com'], credentials: true, allowHeaders: ['X-Request-Id'] });
const server = restify.createServer({ name: 'orders' });
server.pre(cors.preflight);
server.use(cors.actual);
server.get('/api/health', (req, res, next) => { res.send({ ok: true }); next(); });
server.get('/api/orders', (req, res, next) => { res.send([{ id: 1 }, { id: 2 }]); next(); });
server.put('/api/orders', (req, res, next) => { res.send({ saved: true }); next(); });
server.del('/api/orders', (req, res, next) => { res.send({ deleted: true }); next(); });
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('restify listening on', server.url));
