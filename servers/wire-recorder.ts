import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Answer, Arrival, Ledger } from '../lib/model/ledger.ts';
import type { HeaderLine } from '../lib/model/policy.ts';
import { arrival } from './arrival.ts';

/** The status and header lines of a response head, parsed from the exact text Node wrote (`HTTP/1.1 200 OK\r\nName: value\r\n…`). */
export function parseResponseHead(head: string): { status: number; responseHeaders: HeaderLine[] } {
  const [statusLine = '', ...lines] = head.split('\r\n');
  const status = Number(statusLine.split(' ')[1] ?? 0);
  const responseHeaders = lines
    .filter((line) => line !== '')
    .map((line) => {
      const colon = line.indexOf(':');
      // Node writes `name: value`; anything after that one space belongs to the value as sent.
      return { name: line.slice(0, colon), value: line.slice(colon + 1).replace(/^ /, '') };
    });
  return { status: Number.isFinite(status) ? status : 0, responseHeaders };
}

/**
 * The response head as Node serialised it for the socket, or undefined before it is written. Node keeps it in
 * `_header` (set synchronously by writeHead, which every path — setHeader + end, writeHead(status, headers), streaming
 * writes, flushHeaders — goes through). It is the only place where headers handed straight to writeHead() are visible:
 * res.getHeaders() misses them. tests/unit/recorder.test.ts fails if a Node release changes this.
 */
function serialisedHead(res: ServerResponse): string | undefined {
  const head: unknown = (res as unknown as { _header?: unknown })._header;
  return typeof head === 'string' && head !== '' ? head : undefined;
}

/**
 * Records a request in the ledger the moment it arrives, then completes the entry with what goes on the wire: the
 * status and every header line as serialised, as soon as the head is written (a streamed body does not delay it), and
 * at close whether the response finished or was cut off. A connection that closes with nothing written stays
 * "arrived, no answer" (status 0).
 */
export function recordOnWire(
  key: string,
  req: IncomingMessage,
  res: ServerResponse,
  ledger: Ledger,
  handlerRan: (arrived: Arrival) => boolean,
  /** What the answerer knows of its answer besides the wire: who served it (a shared cache). */
  servedBy: () => Pick<Answer, 'servedBy'> = () => ({}),
): void {
  const arrived = arrival(req);
  const complete = ledger.arrive(key, arrived);
  const answered = (): Answer | undefined => {
    const head = serialisedHead(res);
    return head === undefined ? undefined : { answered: true, handlerRan: handlerRan(arrived), ...parseResponseHead(head), ...servedBy() };
  };
  const writeHead = res.writeHead;
  res.writeHead = function recordedWriteHead(this: ServerResponse, ...args: Parameters<ServerResponse['writeHead']>) {
    const result = writeHead.apply(this, args);
    const answer = answered();
    if (answer) complete(answer);
    return result;
  } as ServerResponse['writeHead'];
  res.once('close', () => {
    const answer = answered() ?? { answered: false, handlerRan: handlerRan(arrived), status: 0, responseHeaders: [], ...servedBy() };
    complete({ ...answer, ...(!res.writableFinished && { cutOff: true }) });
  });
}
