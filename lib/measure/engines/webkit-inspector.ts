import net from 'node:net';
import { readFile } from 'node:fs/promises';
import type { EngineMessageLog } from './engine-messages.ts';
import { keysInText } from '../../model/case-identity.ts';

// WebKitGTK's remote inspector, spoken as a second client beside WebKitWebDriver.
//
// MiniBrowser in automation mode browses in an ephemeral session, and WebKit writes no console message of an
// ephemeral page to stdout or stderr, whatever `enable-write-console-messages-to-stdout` says (PageConsoleClient skips
// them). The inspector still gets every message. WebKitWebDriver starts MiniBrowser with
// WEBKIT_INSPECTOR_SERVER=127.0.0.1:PORT and drives it through that socket as the *automation* client; the same socket
// takes one *inspection* client, which is this. (WEBKIT_INSPECTOR_HTTP_SERVER cannot be used: when it is set, WebKit
// moves the inspector socket to a random port and the driver never reaches the browser.)
//
// The socket speaks WTF's glib SocketConnection: each frame is a 32-bit big-endian body length, one byte (1), then the
// body: the message name, NUL, and the parameters as a GVariant in the machine's byte order (little-endian on x86-64
// and arm64, where WebKitGTK runs here). Only fixed-size integers and one trailing string are written or read.
// The protocol inside is the Web Inspector's JSON: the page target multiplexes its sub-targets through the Target domain.

/** The UI process is the first (and only) remote-inspector connection of its own server. */
const UI_PROCESS_CONNECTION = 1n;
/**
 * MiniBrowser's first tab, the window WebDriver drives: MiniBrowser creates it at start-up, before the driver's
 * StartAutomationSession registers the automation target (2). Measured with WebKitGTK 2.50: the driver's target list
 * reads `(1, WebPage, about:blank)`, `(2, Automation, <session>)`. Windows opened later (runIsolated) are not followed.
 */
const FIRST_TAB_TARGET = 1n;
/** How long a javascript-source line waits for the network line of the same case (they come within milliseconds). */
const JAVASCRIPT_LINE_HOLD_MS = 250;

function frame(name: string, parameters: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(`${name}\0`, 'latin1'), parameters]);
  const head = Buffer.alloc(5);
  head.writeUInt32BE(body.length, 0);
  head[4] = 1;
  return Buffer.concat([head, body]);
}

/** GVariant `(tt)` or `(tts)`: two 64-bit integers, then a NUL-terminated string when given (the last member needs no offset). */
function twoIdsAndText(connection: bigint, target: bigint, text?: string): Buffer {
  const ids = Buffer.alloc(16);
  ids.writeBigUInt64LE(connection, 0);
  ids.writeBigUInt64LE(target, 8);
  return text === undefined ? ids : Buffer.concat([ids, Buffer.from(`${text}\0`, 'utf8')]);
}

/** The address WebKitWebDriver gave the browser process, from its environment. */
export async function inspectorPortOf(browserPid: number): Promise<number> {
  const environ = await readFile(`/proc/${browserPid}/environ`, 'utf8');
  const entry = environ.split('\0').find((e) => e.startsWith('WEBKIT_INSPECTOR_SERVER='));
  const port = Number(entry?.split(':').at(-1));
  if (!entry || !Number.isInteger(port) || port <= 0) throw new Error(`MiniBrowser (pid ${browserPid}) has no WEBKIT_INSPECTOR_SERVER address in its environment`);
  return port;
}

interface ConsoleMessage {
  readonly source?: string;
  readonly level?: string;
  readonly text?: string;
  readonly url?: string;
}

interface TargetEvent {
  readonly method?: string;
  readonly id?: number;
  readonly params?: {
    readonly targetInfo?: { readonly targetId?: string; readonly type?: string };
    readonly targetId?: string;
    readonly message?: string | ConsoleMessage;
  };
}

export interface WebKitConsole {
  close(): void;
}

/**
 * Connects to MiniBrowser's inspector socket, follows its first tab's page targets (a cross-site navigation swaps the
 * web process and brings a new one) and files console errors in `log`. WebKit reports a failed load three times: a
 * `security` line with the reason and no URL, a `javascript` line with the URL and no reason, then a `network` line
 * "Failed to load resource: <reason>" with the request's URL as a field; the last is filed by that URL, the javascript
 * line only when no network line follows, lines that name a URL in their text (a refused port, a request blocked as
 * mixed content) by that. Resolves once
 * the page target answered, within `timeoutMs`.
 */
export async function listenToWebKitConsole(port: number, log: EngineMessageLog, timeoutMs = 10_000): Promise<WebKitConsole> {
  const socket = net.connect(port, '127.0.0.1');
  let pending = Buffer.alloc(0);
  let nextId = 1;
  const held = new Map<string, NodeJS.Timeout[]>();
  const send = (name: string, parameters: Buffer): void => void socket.write(frame(name, parameters));
  const toPage = (message: object): void => send('SendMessageToBackend', twoIdsAndText(UI_PROCESS_CONNECTION, FIRST_TAB_TARGET, JSON.stringify(message)));

  let attached: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (attached = resolve));

  function onInspectorMessage(json: string): void {
    const event = JSON.parse(json) as TargetEvent;
    if (event.method === 'Target.targetCreated' && event.params?.targetInfo?.type === 'page' && event.params.targetInfo.targetId) {
      const targetId = event.params.targetInfo.targetId;
      toPage({ id: nextId++, method: 'Target.sendMessageToTarget', params: { targetId, message: JSON.stringify({ id: 1, method: 'Console.enable' }) } });
      attached();
      return;
    }
    if (event.method !== 'Target.dispatchMessageFromTarget' || typeof event.params?.message !== 'string') return;
    const inner = JSON.parse(event.params.message) as { method?: string; params?: { message?: ConsoleMessage } };
    const message = inner.method === 'Console.messageAdded' ? inner.params?.message : undefined;
    // Mixed content is a security *warning* (measured, WebKitGTK 2.50: "[blocked] The page at https://… requested
    // insecure content from http://…", with the URL in the text only), and the only line that says why a request was
    // never sent: the javascript line after it says "due to access control checks".
    const mixedContent = message?.source === 'security' && message.level === 'warning' && message.text?.startsWith('[blocked]') === true;
    if (!message?.text || (message.level !== 'error' && !mixedContent)) return;
    if (message.source === 'javascript') {
      // "Fetch API cannot load <url> due to access control checks." comes before the network line and says less: filed
      // at once, it would end the batch's wait for the case before the reason arrived. It is held, and dropped when
      // the case's network line follows; where WebKit refused before any load (no network line), it is all there is.
      const keys = keysInText(message.text);
      const text = message.text;
      const timer = setTimeout(() => {
        for (const key of keys) held.delete(key);
        log.add('console', text);
      }, JAVASCRIPT_LINE_HOLD_MS);
      for (const key of keys) held.set(key, [...(held.get(key) ?? []), timer]);
      return;
    }
    for (const key of message.url ? keysInText(message.url) : []) {
      for (const timer of held.get(key) ?? []) clearTimeout(timer);
      held.delete(key);
    }
    log.add('console', message.text, message.url || undefined);
  }

  function onFrame(name: string, parameters: Buffer): void {
    if (name !== 'SendMessageToFrontend') return;
    // (tts): connection, target, then the JSON text up to its NUL.
    const text = parameters.subarray(16, parameters.indexOf(0, 16)).toString('utf8');
    try {
      onInspectorMessage(text);
    } catch {
      // A message that is not the JSON this reads says nothing about a case.
    }
  }

  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 5) {
      const length = pending.readUInt32BE(0);
      if (pending.length < 5 + length) break;
      const body = pending.subarray(5, 5 + length);
      pending = pending.subarray(5 + length);
      const nameEnd = body.indexOf(0);
      onFrame(body.subarray(0, nameEnd).toString('latin1'), body.subarray(nameEnd + 1));
    }
  });

  const failed = new Promise<never>((_, reject) => {
    socket.once('error', (error) => reject(new Error(`the inspector socket 127.0.0.1:${port} failed: ${error.message}`)));
    socket.once('close', () => reject(new Error(`the inspector socket 127.0.0.1:${port} closed`)));
  });
  failed.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`MiniBrowser's page target did not answer on the inspector socket 127.0.0.1:${port} within ${timeoutMs} ms`)), timeoutMs);
  });
  socket.once('connect', () => {
    // An empty backend-commands hash: the server answers with its command table, which this client ignores.
    send('SetupInspectorClient', Buffer.from([0]));
    send('Setup', twoIdsAndText(UI_PROCESS_CONNECTION, FIRST_TAB_TARGET));
  });
  try {
    await Promise.race([ready, failed, late]);
  } catch (error) {
    socket.destroy();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return {
    close: () => {
      for (const timers of held.values()) for (const timer of timers) clearTimeout(timer);
      socket.destroy();
    },
  };
}
