/**
 * The safelists of the Fetch Standard: which methods and request headers need no preflight, which request
 * headers a script can never set, and which response headers a script can read without them being exposed.
 * Every function answers with the reason, so that the oracle can say why.
 */
import type { HeaderPairs } from './http.ts';
import { byteLength, sortedLowercaseSet } from './http.ts';
import { parseMimeEssence } from './mime.ts';
import { parseSingleRange } from './range.ts';

/** Fetch §2.2.1: the methods fetch() upper-cases. Any other method is sent exactly as written. */
const NORMALISED_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'] as const;

/** Fetch §2.2.1 "normalize" a method. */
export function normalizeMethod(method: string): string {
  const upper = method.toUpperCase();
  return (NORMALISED_METHODS as readonly string[]).includes(upper) ? upper : method;
}

/** Fetch §2.2.1: GET, HEAD and POST, compared byte for byte (a normalised method is already upper-case). */
export function isCorsSafelistedMethod(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'POST';
}

/** Fetch §2.2.1: CONNECT, TRACE, TRACK in any case. */
export function isForbiddenMethod(method: string): boolean {
  return ['CONNECT', 'TRACE', 'TRACK'].includes(method.toUpperCase());
}

/** Fetch §2.2.2: CORS-unsafe request-header byte. */
export function isCorsUnsafeRequestHeaderByte(code: number): boolean {
  return (code < 0x20 && code !== 0x09) || [0x22, 0x28, 0x29, 0x3a, 0x3c, 0x3e, 0x3f, 0x40, 0x5b, 0x5c, 0x5d, 0x7b, 0x7d, 0x7f].includes(code);
}

function firstUnsafeByte(value: string): string | undefined {
  for (const char of value) if (isCorsUnsafeRequestHeaderByte(char.charCodeAt(0))) return char;
  return undefined;
}

function describeByte(char: string): string {
  const code = char.charCodeAt(0);
  const hex = `0x${code.toString(16).toUpperCase().padStart(2, '0')}`;
  return code < 0x20 || code === 0x7f ? `the control byte ${hex}` : `the byte ${hex} (${char})`;
}

const LANGUAGE_BYTES = /^[0-9A-Za-z *,\-.;=]*$/;
const SAFELISTED_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];
export const MAX_SAFELISTED_VALUE_BYTES = 128;
export const MAX_SAFELISTED_TOTAL_BYTES = 1024;

export type SafelistVerdict = { readonly safelisted: true } | { readonly safelisted: false; readonly why: string };

/** Fetch §2.2.2: is (name, value) a CORS-safelisted request-header? `value` must already be normalised. */
export function corsSafelistedRequestHeader(name: string, value: string): SafelistVerdict {
  const lower = name.toLowerCase();
  if (byteLength(value) > MAX_SAFELISTED_VALUE_BYTES) {
    return { safelisted: false, why: `its value is ${byteLength(value)} bytes, over the ${MAX_SAFELISTED_VALUE_BYTES}-byte limit for a safelisted value` };
  }
  switch (lower) {
    case 'accept': {
      const bad = firstUnsafeByte(value);
      return bad === undefined ? { safelisted: true } : { safelisted: false, why: `its value contains ${describeByte(bad)}, a CORS-unsafe request-header byte` };
    }
    case 'accept-language':
    case 'content-language': {
      if (LANGUAGE_BYTES.test(value)) return { safelisted: true };
      const bad = [...value].find((c) => !LANGUAGE_BYTES.test(c)) ?? '';
      return { safelisted: false, why: `its value contains ${describeByte(bad)}; ${name} may hold only 0-9, A-Z, a-z, space and * , - . ; =` };
    }
    case 'content-type': {
      const bad = firstUnsafeByte(value);
      if (bad !== undefined) return { safelisted: false, why: `its value contains ${describeByte(bad)}, a CORS-unsafe request-header byte` };
      const mime = parseMimeEssence(value);
      if (!mime.ok) return { safelisted: false, why: `its value does not parse as a MIME type: ${mime.why}` };
      if (!SAFELISTED_CONTENT_TYPES.includes(mime.essence)) {
        return { safelisted: false, why: `its MIME type essence "${mime.essence}" is not application/x-www-form-urlencoded, multipart/form-data or text/plain` };
      }
      return { safelisted: true };
    }
    case 'range': {
      const range = parseSingleRange(value);
      if (!range.ok) return { safelisted: false, why: `its value is not a single byte range: ${range.why}` };
      if (range.start === null) return { safelisted: false, why: 'a suffix range (bytes=-N) is never safelisted' };
      return { safelisted: true };
    }
    default:
      return { safelisted: false, why: 'it is not one of the CORS-safelisted request-header names (Accept, Accept-Language, Content-Language, Content-Type, Range)' };
  }
}

export interface UnsafeHeaderName {
  /** Lower-cased. */
  readonly name: string;
  readonly why: string;
}

export interface UnsafeHeaderNames {
  /** Fetch §2.2.2 "CORS-unsafe request-header names": sorted, lower-cased, deduplicated. What Access-Control-Request-Headers carries. */
  readonly names: readonly string[];
  /** One reason per header line that made its name unsafe. */
  readonly because: readonly UnsafeHeaderName[];
  /** Lower-cased names of the lines that were safelisted (and stayed so). */
  readonly safelisted: readonly string[];
  /** Total bytes of the values of the safelisted lines. */
  readonly safelistedBytes: number;
}

/** Fetch §2.2.2 "CORS-unsafe request-header names", given a header list of normalised values. */
export function corsUnsafeRequestHeaderNames(headers: HeaderPairs): UnsafeHeaderNames {
  const because: UnsafeHeaderName[] = [];
  const potentiallyUnsafe: string[] = [];
  let safelistedBytes = 0;
  for (const [name, value] of headers) {
    const verdict = corsSafelistedRequestHeader(name, value);
    if (verdict.safelisted) {
      potentiallyUnsafe.push(name.toLowerCase());
      safelistedBytes += byteLength(value);
    } else {
      because.push({ name: name.toLowerCase(), why: verdict.why });
    }
  }
  let safelisted = potentiallyUnsafe;
  if (safelistedBytes > MAX_SAFELISTED_TOTAL_BYTES) {
    for (const name of sortedLowercaseSet(potentiallyUnsafe)) {
      because.push({ name, why: `the safelisted headers' values add up to ${safelistedBytes} bytes, over the ${MAX_SAFELISTED_TOTAL_BYTES}-byte limit, so none of them counts as safelisted` });
    }
    safelisted = [];
  }
  return { names: sortedLowercaseSet(because.map((b) => b.name)), because, safelisted: sortedLowercaseSet(safelisted), safelistedBytes };
}

/** Fetch §2.2.2: a CORS non-wildcard request-header name (only Authorization). */
export function isCorsNonWildcardRequestHeaderName(name: string): boolean {
  return name.toLowerCase() === 'authorization';
}

const FORBIDDEN_REQUEST_HEADER_NAMES = new Set([
  'accept-charset', 'accept-encoding', 'access-control-request-headers', 'access-control-request-method', 'connection',
  'content-length', 'cookie', 'cookie2', 'date', 'dnt', 'expect', 'host', 'keep-alive', 'origin', 'referer',
  'set-cookie', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'via',
]);
const METHOD_OVERRIDE_NAMES = new Set(['x-http-method', 'x-http-method-override', 'x-method-override']);

/** Fetch §2.2.2 "forbidden request-header": why the browser keeps it to itself, or undefined when a script may set it. */
export function forbiddenRequestHeader(name: string, value: string): string | undefined {
  const lower = name.toLowerCase();
  if (FORBIDDEN_REQUEST_HEADER_NAMES.has(lower)) return `${name} is a forbidden request-header name`;
  if (lower.startsWith('proxy-') || lower.startsWith('sec-')) return `${name} starts with "${lower.startsWith('sec-') ? 'Sec-' : 'Proxy-'}", which is reserved to the browser`;
  if (METHOD_OVERRIDE_NAMES.has(lower)) {
    const forbidden = value.split(',').map((m) => m.trim()).find((m) => isForbiddenMethod(m));
    if (forbidden !== undefined) return `${name} names the forbidden method ${forbidden}`;
  }
  return undefined;
}

const NO_CORS_SAFELISTED_NAMES = new Set(['accept', 'accept-language', 'content-language', 'content-type']);

/**
 * Fetch §5.1 Headers class, guard "request-no-cors": why appending (name, value) is silently skipped, or undefined
 * when it is kept. `combined` is the value the header would have with the lines already kept (the spec checks that).
 */
export function noCorsDropReason(name: string, combined: string): string | undefined {
  if (!NO_CORS_SAFELISTED_NAMES.has(name.toLowerCase())) return `${name} is not a no-CORS-safelisted request-header name (only Accept, Accept-Language, Content-Language and Content-Type are)`;
  const verdict = corsSafelistedRequestHeader(name, combined);
  return verdict.safelisted ? undefined : verdict.why;
}

/** Fetch §2.2.2: CORS-safelisted response-header names, readable by a script without being exposed. */
export const CORS_SAFELISTED_RESPONSE_HEADER_NAMES = [
  'cache-control', 'content-language', 'content-length', 'content-type', 'expires', 'last-modified', 'pragma',
] as const;

export function isCorsSafelistedResponseHeaderName(name: string): boolean {
  return (CORS_SAFELISTED_RESPONSE_HEADER_NAMES as readonly string[]).includes(name.toLowerCase());
}

/** Fetch §2.2.2: Set-Cookie and Set-Cookie2, which no script ever reads. */
export function isForbiddenResponseHeaderName(name: string): boolean {
  const lower = name.toLowerCase();
  return lower === 'set-cookie' || lower === 'set-cookie2';
}
