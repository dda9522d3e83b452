// hapi 21 (npm) with its own route-level CORS, as its documentation configures it: a subdomain wildcard and
// credentials, one extra allowed header. hapi refuses a preflight whole (no CORS header at all) when it asks for a
// header not on its list. Bound to 127.0.0.1 on the port the harness gives (PORT).
import Hapi from '@hapi/hapi';

const cors = { origin: ['https://*.example.com'], credentials: true, additionalHeaders: ['X-Request-Id'] };
const server = Hapi.server({ host: '127.0.0.1', port: Number(process.env.PORT), routes: { cors } });
server.route({ method: 'GET', path: '/api/health', handler: () => ({ ok: true }) });
server.route({ method: 'GET', path: '/api/orders', handler: () => [{ id: 1 }, { id: 2 }] });
server.route({ method: 'PUT', path: '/api/orders', handler: () => ({ saved: true }) });
await server.start();
console.log('hapi listening on', server.info.uri);
