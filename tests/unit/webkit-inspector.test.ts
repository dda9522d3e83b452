import { test, expect } from '@playwright/test';
import net from 'node:net';
import { EngineMessageLog } from '../../lib/measure/engines/engine-messages.ts';
import { listenToWebKitConsole } from '../../lib/measure/engines/webkit-inspector.ts';

// The inspector socket as WebKitGTK 2.50's MiniBrowser speaks it (frames recorded from WebKitWebDriver with strace):
// a 32-bit big-endian body length, a byte 1, the message name and NUL, then a little-endian GVariant. This stands in
// for MiniBrowser; the matrix runs check the real one.
function frame(name: string, parameters: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(`${name}\0`), parameters]);
  const head = Buffer.alloc(5);
  head.writeUInt32BE(body.length, 0);
  head[4] = 1;
  return Buffer.concat([head, body]);
}

function toFrontend(json: object): Buffer {
  const ids = Buffer.alloc(16);
  ids.writeBigUInt64LE(1n, 0);
  ids.writeBigUInt64LE(1n, 8);
  return frame('SendMessageToFrontend', Buffer.concat([ids, Buffer.from(`${JSON.stringify(json)}\0`)]));
}

function fromPage(targetId: string, inner: object): object {
  return { method: 'Target.dispatchMessageFromTarget', params: { targetId, message: JSON.stringify(inner) } };
}

function consoleMessage(source: string, text: string, url = '', level = 'error'): object {
  return { method: 'Console.messageAdded', params: { message: { source, level, text, type: 'log', url, repeatCount: 1 } } };
}

test('sets up the first tab, enables the console of each page target, and files network errors by their URL, the reasonless javascript line only when no network line follows', async () => {
  const received: { name: string; parameters: Buffer }[] = [];
  let sent = 0;
  const server = net.createServer((socket) => {
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 5 && pending.length >= 5 + pending.readUInt32BE(0)) {
        const body = pending.subarray(5, 5 + pending.readUInt32BE(0));
        pending = pending.subarray(5 + body.length);
        const nul = body.indexOf(0);
        received.push({ name: body.subarray(0, nul).toString(), parameters: body.subarray(nul + 1) });
      }
      if (received.some((r) => r.name === 'Setup') && sent++ === 0) {
        socket.write(toFrontend({ method: 'Target.targetCreated', params: { targetInfo: { targetId: 'page-8', type: 'page' } } }));
        socket.write(toFrontend(fromPage('page-8', consoleMessage('security', 'Origin http://a.localhost:1 is not allowed by Access-Control-Allow-Origin. Status code: 200'))));
        socket.write(toFrontend(fromPage('page-8', consoleMessage('javascript', 'Fetch API cannot load http://b.localhost:1/api/case-x-7 due to access control checks.'))));
        // Refused before any load: the javascript line is all WebKit says.
        socket.write(toFrontend(fromPage('page-8', consoleMessage('javascript', 'Fetch API cannot load http://localhost:2/api/source?cm_case=case-y-8 due to access control checks.'))));
        const split = toFrontend(fromPage('page-8', consoleMessage('network', 'Failed to load resource: Origin http://a.localhost:1 is not allowed by Access-Control-Allow-Origin. Status code: 200', 'http://b.localhost:1/api/case-x-7')));
        // A frame split across two reads is joined before it is read.
        socket.write(split.subarray(0, 20));
        setTimeout(() => socket.write(split.subarray(20)), 20);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const log = new EngineMessageLog();
  try {
    const heard = await listenToWebKitConsole(port, log, 5_000);
    expect(await log.waitFor([{ key: 'case-x-7' }, { key: 'case-y-8' }], 5_000)).toEqual([]);
    // The client's Console.enable may still be on its way to the stand-in.
    await expect.poll(() => received.map((r) => r.name)).toEqual(['SetupInspectorClient', 'Setup', 'SendMessageToBackend']);
    heard.close();
  } finally {
    server.close();
  }
  expect(log.forCase('case-x-7', 0).map((m) => [m.text, m.url])).toEqual([
    ['Failed to load resource: Origin http://a.localhost:1 is not allowed by Access-Control-Allow-Origin. Status code: 200', 'http://b.localhost:1/api/case-x-7'],
  ]);
  expect(log.forCase('case-y-8', 0).map((m) => m.text)).toEqual(['Fetch API cannot load http://localhost:2/api/source?cm_case=case-y-8 due to access control checks.']);
  const setup = received[1]!.parameters;
  expect([setup.readBigUInt64LE(0), setup.readBigUInt64LE(8), setup.length]).toEqual([1n, 1n, 16]);
  const backend = received[2]!.parameters;
  const command = JSON.parse(backend.subarray(16, backend.length - 1).toString()) as { method: string; params: { targetId: string; message: string } };
  expect([command.method, command.params.targetId, JSON.parse(command.params.message).method]).toEqual(['Target.sendMessageToTarget', 'page-8', 'Console.enable']);
});

test('a socket that answers nothing is a clear error within the timeout, not a hang', async () => {
  const server = net.createServer(() => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  try {
    await expect(listenToWebKitConsole(port, new EngineMessageLog(), 300)).rejects.toThrow(`MiniBrowser's page target did not answer on the inspector socket 127.0.0.1:${port} within 300 ms`);
  } finally {
    server.close();
  }
});

test("files WebKit's mixed-content warning by the URL in its text; other warnings are not reasons", async () => {
  const blocked = '[blocked] The page at https://app.example.com/__cm/page requested insecure content from http://localhost:5173/api/source?cm_case=case-m-9. This content was blocked and must\n';
  const server = net.createServer((socket) => {
    let setUp = false;
    socket.on('data', (chunk) => {
      if (setUp || !chunk.includes('Setup\0')) return;
      setUp = true;
      socket.write(toFrontend({ method: 'Target.targetCreated', params: { targetInfo: { targetId: 'page-9', type: 'page' } } }));
      // As measured with WebKitGTK 2.50: a security warning with the URL in its text and none as a field.
      socket.write(toFrontend(fromPage('page-9', consoleMessage('security', blocked, '', 'warning'))));
      socket.write(toFrontend(fromPage('page-9', consoleMessage('security', 'The page at https://app.example.com/ was allowed to display insecure content from http://localhost:5173/img.png?cm_case=case-n-10.', '', 'warning'))));
      socket.write(toFrontend(fromPage('page-9', consoleMessage('javascript', 'deprecated: something about cm_case=case-n-10', '', 'warning'))));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const log = new EngineMessageLog();
  try {
    const heard = await listenToWebKitConsole(port, log, 5_000);
    expect(await log.waitFor([{ key: 'case-m-9' }], 5_000)).toEqual([]);
    // Long enough for the warnings after it to have been read (and dropped).
    await new Promise((resolve) => setTimeout(resolve, 100));
    heard.close();
  } finally {
    server.close();
  }
  expect(log.forCase('case-m-9', 0).map((m) => m.text)).toEqual([blocked.trim()]);
  expect(log.forCase('case-n-10', 0)).toEqual([]);
});
