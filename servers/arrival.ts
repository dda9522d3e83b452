import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { cookieNames, type LedgerEntry } from '../lib/model/ledger.ts';

export function requestHeader(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** What the ledger notes about a request as it arrives, whoever answers it. */
export function arrival(req: IncomingMessage): Omit<LedgerEntry, 'handlerRan' | 'status' | 'responseHeaders'> {
  const acrm = requestHeader(req, 'access-control-request-method');
  const scheme = (req.socket as Partial<TLSSocket>).encrypted ? 'https' : 'http';
  return {
    at: Date.now(),
    kind: req.method === 'OPTIONS' && acrm !== undefined ? 'preflight' : 'actual',
    method: req.method ?? '',
    target: `${scheme}://${requestHeader(req, 'host') ?? ''}`,
    origin: requestHeader(req, 'origin'),
    accessControlRequestMethod: acrm,
    accessControlRequestHeaders: requestHeader(req, 'access-control-request-headers'),
    cookies: cookieNames(requestHeader(req, 'cookie')),
  };
}
