// The shop's API: Express with the `cors` middleware, on its own origin. Run: node api.mjs PORT FRONT_ORIGIN [TLS_PORT]
// With TLS_PORT the same app also answers over https there (a certificate for 127.0.0.1 generated at start, kept in
// memory only), which the bench's plain Playwright baseline calls.
import cors from 'cors';
import express from 'express';
import { createServer } from 'node:https';
import selfsigned from 'selfsigned';

const [port = '47312', front = 'http://127.0.0.1:47311', tlsPort] = process.argv.slice(2);
const app = express();
app.use(express.json());

const orders = new Map([
  [7, { id: 7, item: 'teapot', qty: 1 }],
  [8, { id: 8, item: 'cups', qty: 6 }],
]);

// The bug this example keeps on purpose: PUT was never added to `methods`, so saving an order fails its preflight.
app.options('/api/orders/:id', cors({ origin: front, methods: ['GET', 'POST'] }));
// Reading: the frontend may read the list and its X-Total count.
app.use('/api/orders', cors({ origin: front, exposedHeaders: ['X-Total'] }));
app.get('/api/orders', (_req, res) => {
  res.set('X-Total', String(orders.size)).json([...orders.values()]);
});
// A moved route: the page's call follows the redirect to the list (tests/redirect.spec.ts).
app.get('/api/moved', cors({ origin: front }), (_req, res) => res.redirect(307, '/api/orders'));
app.put('/api/orders/:id', (req, res) => {
  const id = Number(req.params.id);
  orders.set(id, { ...orders.get(id), ...req.body, id });
  res.json(orders.get(id));
});
// What the frontend's worker polls.
app.get('/api/health', cors({ origin: front }), (_req, res) => res.json({ ok: true }));
// The product picture: an <img> without crossorigin, so no CORS check applies.
app.get('/img/teapot.svg', (_req, res) => {
  res.type('image/svg+xml').send('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><circle cx="5" cy="5" r="4"/></svg>');
});

// The todo list the app reads and writes with the user's session (fetch with credentials: 'include', an XHR and an
// EventSource withCredentials): its CORS allows credentials, and PATCH, whose JSON body needs a preflight.
const todos = new Map([1, 2, 3].map((id) => [id, { id, title: `todo ${id}`, done: false }]));
app.use(['/api/todos', '/api/events'], cors({ origin: front, credentials: true, methods: ['GET', 'PATCH'] }));
app.get('/api/todos', (_req, res) => res.json([...todos.values()]));
app.get('/api/todos/count', (_req, res) => res.json({ count: todos.size }));
app.get('/api/todos/:id', (req, res) => res.json(todos.get(Number(req.params.id)) ?? { id: Number(req.params.id) }));
app.patch('/api/todos/:id', (req, res) => {
  const id = Number(req.params.id);
  res.json({ ...(todos.get(id) ?? { id, title: `todo ${id}` }), ...req.body, id });
});
app.get('/api/events', (_req, res) => {
  res.set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
  res.end('data: synced\n\n');
});
// The bug the credentials test finds: the profile's CORS was copied from the public routes and never allows
// credentials, so the page's credentialed fetch of it is blocked at the response.
app.get('/api/profile', cors({ origin: front }), (_req, res) => res.json({ name: 'ada' }));

app.listen(Number(port), '127.0.0.1', (error) => {
  // Express 5 hands a failed listen (a port in use) to this callback.
  if (error) throw error;
  console.log(`api on http://127.0.0.1:${port}, allowing ${front}`);
});
if (tlsPort !== undefined) {
  const pems = await selfsigned.generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  createServer({ key: pems.private, cert: pems.cert }, app).listen(Number(tlsPort), '127.0.0.1', () => console.log(`api on https://127.0.0.1:${tlsPort}`));
}
