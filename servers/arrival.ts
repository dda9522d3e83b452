import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { cookieNames, type Arrival, type ArrivalKind } from '../lib/model/ledger.ts';

export function requestHeader(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** A preflight is an OPTIONS that names the method it asks for; every other request is the actual one. */
export function arrivalKind(req: IncomingMessage): ArrivalKind {
  return req.method === 'OPTIONS' && requestHeader(req, 'access-control-request-method') !== undefined ? 'preflight' : 'actual';
}

/** What the ledger notes about a request as it arrives, whoever answers it. */
export function arrival(req: IncomingMessage): Arrival {
  const scheme = (req.socket as Partial<TLSSocket>).encrypted ? 'https' : 'http';
  const fetchDest = requestHeader(req, 'sec-fetch-dest');
  return {
    at: Date.now(),
    kind: arrivalKind(req),
    method: req.method ?? '',
    target: `${scheme}://${requestHeader(req, 'host') ?? ''}`,
    path: req.url ?? '',
    origin: requestHeader(req, 'origin'),
    accessControlRequestMethod: requestHeader(req, 'access-control-request-method'),
    accessControlRequestHeaders: requestHeader(req, 'access-control-request-headers'),
    cookies: cookieNames(requestHeader(req, 'cookie')),
    ...(fetchDest !== undefined && { fetchDest }),
  };
}
