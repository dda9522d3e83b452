import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { cookieNames, type Arrival, type ArrivalKind } from '../lib/model/ledger.ts';
import { headerLinesOf, headerValue } from './http1-framing.ts';

export function requestHeader(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** A preflight is an OPTIONS that names the method it asks for; every other request is the actual one. */
function kindOf(method: string | undefined, accessControlRequestMethod: string | undefined): ArrivalKind {
  return method === 'OPTIONS' && accessControlRequestMethod !== undefined ? 'preflight' : 'actual';
}

export function arrivalKind(req: IncomingMessage): ArrivalKind {
  return kindOf(req.method, requestHeader(req, 'access-control-request-method'));
}

/** What the ledger notes about a request as it arrives, whoever answers it. */
export function arrival(req: IncomingMessage): Arrival {
  const scheme = (req.socket as Partial<TLSSocket>).encrypted ? 'https' : 'http';
  return arrivalOf(scheme, req.method ?? '', req.url ?? '', (name) => requestHeader(req, name));
}

/**
 * The same, from a request head as it passed on the wire (`PATCH /todos/1 HTTP/1.1\r\nHost: …`), for a request no
 * Node server parsed (servers/tapped-tunnel.ts). Header lines named alike read as one list, as Node joins them.
 */
export function arrivalFromHead(scheme: 'http' | 'https', head: string): Arrival {
  const requestLine = head.slice(0, head.indexOf('\r\n'));
  const [method = '', path = ''] = requestLine.split(' ');
  const lines = headerLinesOf(head);
  return arrivalOf(scheme, method, path, (name) => headerValue(lines, name));
}

function arrivalOf(scheme: 'http' | 'https', method: string, path: string, header: (name: string) => string | undefined): Arrival {
  const fetchDest = header('sec-fetch-dest');
  const accessControlRequestMethod = header('access-control-request-method');
  return {
    at: Date.now(),
    kind: kindOf(method, accessControlRequestMethod),
    method,
    target: `${scheme}://${header('host') ?? ''}`,
    path,
    origin: header('origin'),
    accessControlRequestMethod,
    accessControlRequestHeaders: header('access-control-request-headers'),
    cookies: cookieNames(header('cookie')),
    ...(fetchDest !== undefined && { fetchDest }),
  };
}
