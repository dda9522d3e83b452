import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Ledger } from '../lib/model/ledger.ts';
import { recordOnWire } from './wire-recorder.ts';

/** Requests whose route handler ran: a real app's handler marks them through its hooks. */
export type HandlerRuns = WeakSet<IncomingMessage>;

/** Hands the request to a real app untouched; the ledger notes it on arrival and its answer as written on the wire. */
export function recordThrough(key: string, req: IncomingMessage, res: ServerResponse, listener: RequestListener, ledger: Ledger, handlerRuns: HandlerRuns): void {
  recordOnWire(key, req, res, ledger, () => handlerRuns.has(req));
  try {
    const pending: unknown = listener(req, res);
    // Listeners such as @hono/node-server's return a promise: a rejection is the app's fault, not a CORS result.
    if (pending instanceof Promise) pending.catch((error: unknown) => appFailed(key, res, ledger, error));
  } catch (error) {
    appFailed(key, res, ledger, error);
  }
}

function appFailed(key: string, res: ServerResponse, ledger: Ledger, error: unknown): void {
  ledger.fault('server-fault', `case ${key}: the app threw: ${error instanceof Error ? error.message : String(error)}`, key);
  if (!res.headersSent) res.writeHead(500).end();
}
