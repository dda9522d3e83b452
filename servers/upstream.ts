import { lookup as dnsLookup } from 'node:dns';
import { readFileSync } from 'node:fs';
import { request as httpRequest, type ClientRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { rootCertificates } from 'node:tls';
import { isLoopbackUrl, type TargetConfig } from '../lib/model/own-server-config.ts';
import { DEFAULT_UPSTREAM_LIMITS, type UpstreamLimits } from './upstream-budget.ts';

/** How the front proxy reaches a deployed target: real DNS (or a pinned address) and real TLS verification. */
export interface UpstreamSettings {
  /** False for a server on this machine: its requests are forwarded untouched, writes included. */
  readonly deployed: boolean;
  /** PEM text of a private CA, trusted besides the system store. */
  readonly caPem?: string;
  /** Host name (lower case) → address, as curl's `--resolve`. */
  readonly resolve: Readonly<Record<string, string>>;
  /** Forward unsafe methods to a deployed target (`allowWrites`). */
  readonly allowWrites: boolean;
  /** Request budget and rate for a deployed target (target.budget, target.rate); servers/upstream-budget.ts enforces them. */
  readonly limits?: UpstreamLimits;
}

export const LOCAL_UPSTREAM: UpstreamSettings = { deployed: false, resolve: {}, allowWrites: true };

/** The methods a deployed target gets even when writes are held back: the ones that change nothing by definition. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The response header the proxy marks its own answer to a held-back write with: the record says so on the wire. */
export { HELD_BACK_HEADER } from '../lib/model/ledger.ts';

/** Whether the proxy answers this request itself instead of forwarding it (a write to a live API, not allowed). */
export function holdsBack(method: string | undefined, upstream: UpstreamSettings): boolean {
  return upstream.deployed && !upstream.allowWrites && !SAFE_METHODS.has((method ?? '').toUpperCase());
}

/** The upstream side of a target config: the CA file is read here, once, so a missing file is named before any request. */
export function upstreamOf(target: TargetConfig): UpstreamSettings {
  if ('command' in target || isLoopbackUrl(target.url)) return LOCAL_UPSTREAM;
  let caPem: string | undefined;
  if (target.ca !== undefined) {
    try {
      caPem = readFileSync(target.ca, 'utf8');
    } catch (error) {
      throw new Error(`target.ca: cannot read ${target.ca}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  }
  const resolve = Object.fromEntries(Object.entries(target.resolve ?? {}).map(([host, address]) => [host.toLowerCase(), address]));
  const limits = { budget: target.budget ?? DEFAULT_UPSTREAM_LIMITS.budget, rate: target.rate ?? DEFAULT_UPSTREAM_LIMITS.rate };
  return { deployed: true, ...(caPem !== undefined && { caPem }), resolve, allowWrites: target.allowWrites === true, limits };
}

/** DNS as usual, except for the pinned names, which get their address (SNI and Host still carry the name). */
function pinnedLookup(resolve: Readonly<Record<string, string>>): LookupFunction | undefined {
  if (Object.keys(resolve).length === 0) return undefined;
  return (hostname, options, callback) => {
    const address = resolve[hostname.toLowerCase()];
    if (address === undefined) return dnsLookup(hostname, options, callback);
    const family = address.includes(':') ? 6 : 4;
    if (options.all) (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

/** A request to the target, over http or https as its URL says; the answer goes to `onAnswer`. */
export function requestUpstream(target: URL, upstream: UpstreamSettings, method: string | undefined, path: string | undefined, headers: IncomingHttpHeaders, onAnswer: (answer: IncomingMessage) => void): ClientRequest {
  const lookup = pinnedLookup(upstream.resolve);
  // A deployed target is addressed by its real name, whatever the page called the API.
  const sent = upstream.deployed ? { ...headers, host: target.host } : headers;
  const common = { hostname: target.hostname.replace(/^\[|\]$/g, ''), port: target.port, method, path, headers: sent, ...(lookup && { lookup }) };
  if (target.protocol !== 'https:') return httpRequest(common, onAnswer);
  return httpsRequest(
    { ...common, servername: target.hostname, rejectUnauthorized: true, ...(upstream.caPem !== undefined && { ca: [...rootCertificates, upstream.caPem] }), agent: false },
    onAnswer,
  );
}

const TLS_REASONS: Readonly<Record<string, string>> = {
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate is for another name',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate is signed by a CA this machine does not trust',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its TLS certificate is signed by a CA this machine does not trust',
  SELF_SIGNED_CERT_IN_CHAIN: 'its TLS certificate chain ends in a CA this machine does not trust',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed',
  CERT_NOT_YET_VALID: 'its TLS certificate is not valid yet',
};

/** Why the target could not be reached, in words that name the host and the reason (and the fix, for TLS). */
export function describeUpstreamFailure(error: NodeJS.ErrnoException, target: URL, upstream: UpstreamSettings): string {
  const code = error.code ?? '';
  const host = target.host;
  const pinned = upstream.resolve[target.hostname.toLowerCase()];
  const at = pinned ? ` (pinned to ${pinned} by target.resolve)` : '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `${host}: DNS finds no address for ${target.hostname} (${code}); pin one with target.resolve`;
  if (code === 'ECONNREFUSED') return `${host}${at}: connection refused (nothing listens on port ${target.port || (target.protocol === 'https:' ? 443 : 80)})`;
  if (code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `${host}${at}: not reachable (${code})`;
  const tls = TLS_REASONS[code];
  if (tls) {
    const hint = code === 'ERR_TLS_CERT_ALTNAME_INVALID' || code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID' ? '' : '; if a private CA signed it, give its PEM file as target.ca (--ca)';
    return `${host}${at}: TLS verification failed: ${tls} (${code})${hint}`;
  }
  return `${host}${at}: ${code || error.message}`;
}

const LOGIN_PATH = /log-?in|sign-?in|sso|oauth|auth/i;
const REACH_TIMEOUT_MS = 10_000;

/**
 * Asks the target URL once, before any engine starts, the way the proxy will: undefined when it answers as an API
 * would, else why not in words naming the host (DNS, refused, TLS, a redirect to a login page, an HTML block page).
 */
export function unreachableReason(target: URL, upstream: UpstreamSettings): Promise<string | undefined> {
  return new Promise((resolve) => {
    const request = requestUpstream(target, upstream, 'GET', `${target.pathname}${target.search}`, { 'user-agent': 'cors-matrix reachability check', accept: '*/*' }, (answer) => {
      answer.resume();
      const status = answer.statusCode ?? 0;
      const type = String(answer.headers['content-type'] ?? '');
      const location = answer.headers.location;
      if (status >= 300 && status < 400 && location !== undefined) {
        const to = new URL(location, target);
        if (to.host !== target.host || LOGIN_PATH.test(to.pathname)) return resolve(`${target.host}: GET ${target.pathname} answers ${status}, a redirect to ${to.href}, which looks like a login page: the API is not reached without signing in`);
      }
      if (status >= 400 && /text\/html/i.test(type)) {
        const server = answer.headers.server ? ` (Server: ${String(answer.headers.server)})` : '';
        return resolve(`${target.host}: GET ${target.pathname} answers ${status} with an HTML page${server}: a block page from a WAF or CDN, not the API`);
      }
      resolve(undefined);
    });
    request.setTimeout(REACH_TIMEOUT_MS, () => request.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    request.on('error', (error: NodeJS.ErrnoException) => resolve(describeUpstreamFailure(error, target, upstream)));
    request.end();
  });
}
