import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Ledger } from '../lib/model/ledger.ts';
import type { HeaderLine } from '../lib/model/policy.ts';
import { arrival } from './arrival.ts';

/** Requests whose route handler ran: a real app's handler marks them through its hooks. */
export type HandlerRuns = WeakSet<IncomingMessage>;

function sentHeaders(res: ServerResponse): HeaderLine[] {
  return Object.entries(res.getHeaders()).flatMap(([name, value]) =>
    value === undefined ? [] : (Array.isArray(value) ? value : [String(value)]).map((v) => ({ name, value: v })),
  );
}

/** Hands the request to a real app untouched, and writes the ledger entry once the app has answered. */
export function recordThrough(key: string, req: IncomingMessage, res: ServerResponse, listener: RequestListener, ledger: Ledger, handlerRuns: HandlerRuns): void {
  const arrived = arrival(req);
  res.once('finish', () => {
    ledger.record(key, { ...arrived, handlerRan: handlerRuns.has(req), status: res.statusCode, responseHeaders: sentHeaders(res) });
  });
  try {
    listener(req, res);
  } catch (error) {
    ledger.fault(`case ${key}: the app threw: ${error instanceof Error ? error.message : String(error)}`);
    if (!res.headersSent) res.writeHead(500).end();
  }
}
