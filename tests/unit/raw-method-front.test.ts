import { expect, test } from '@playwright/test';
import { createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { frontExtensionMethods, restoreWireMethod } from '../../servers/raw-method-front.ts';

// A real server and a real socket: what the handler sees for requests Node's own parser would refuse.
test('extension methods reach the handler exactly as sent, over one keep-alive connection with bodies', async () => {
  const seen: string[] = [];
  const server = createServer({ insecureHTTPParser: true }, (req, res) => {
    restoreWireMethod(req);
    let body = '';
    req.setEncoding('latin1');
    req.on('data', (part: string) => (body += part));
    req.on('end', () => {
      seen.push(`${req.method} ${req.url} ${body} ${req.headers['x-cors-matrix-wire-method'] ?? '-'} ${req.headers['x-token'] ?? '-'}`);
      res.end('ok');
    });
  });
  frontExtensionMethods(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const requests =
    'patcH /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc' +
    'NEW /b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nX-Cors-Matrix-Wire-Method: GET\r\n\r\n2\r\nde\r\n1\r\nf\r\n0\r\n\r\n' +
    'GET /c HTTP/1.1\r\nHost: x\r\nX-Token: a\u0001b\r\nConnection: close\r\n\r\n';
  const reply = await new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (part: string) => (text += part));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
    // Split mid-head and mid-body, as a network may.
    socket.write(requests.slice(0, 7), 'latin1');
    setTimeout(() => socket.write(requests.slice(7, 60), 'latin1'), 20);
    setTimeout(() => socket.write(requests.slice(60), 'latin1'), 40);
  });
  await new Promise<void>((resolve) => server.close(() => resolve()));
  expect(reply.match(/HTTP\/1.1 200/g)).toHaveLength(3);
  expect(seen).toEqual(['patcH /a abc - -', 'NEW /b def - -', 'GET /c  - a\u0001b']);
});
