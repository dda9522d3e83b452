/**
 * Origins as the oracle takes them: the serialised origin of the requesting document (`scheme://host[:port]`, or
 * `null` for an opaque origin), and the origin of the URL being fetched.
 */

export type OriginCheck = { readonly ok: true; readonly origin: string } | { readonly ok: false; readonly why: string };

export const ORIGIN_RULE = 'must be a serialised origin like "https://app.example" or "null"';

/** Accepts exactly what a browser would put in the Origin header: `null`, or a tuple origin's serialisation. */
export function parseSerializedOrigin(value: string): OriginCheck {
  if (value === 'null') return { ok: true, origin: 'null' };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, why: ORIGIN_RULE };
  }
  const serialised = url.origin;
  if (serialised === 'null') return { ok: false, why: `${ORIGIN_RULE}; "${url.protocol}" URLs have opaque origins, written "null"` };
  if (serialised !== value) return { ok: false, why: `${ORIGIN_RULE} (did you mean "${serialised}"?)` };
  return { ok: true, origin: serialised };
}

export type UrlCheck = { readonly ok: true; readonly url: string; readonly origin: string } | { readonly ok: false; readonly why: string };

/** An absolute http(s) URL without credentials, as the Request constructor accepts it. */
export function parseRequestUrl(value: string): UrlCheck {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, why: 'must be an absolute URL like "https://api.example/data"' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, why: `must be an http: or https: URL; fetch() fails a cors-mode "${url.protocol}" URL before any CORS step` };
  }
  if (url.username !== '' || url.password !== '') {
    return { ok: false, why: 'must not include a user name or password: the Request constructor throws a TypeError for such a URL (Fetch §5.4 Request class)' };
  }
  url.hash = '';
  return { ok: true, url: url.href, origin: url.origin };
}

/** Same origin: two serialised tuple origins are the same origin exactly when their serialisations are equal; `null` is never. */
export function isSameOrigin(requestOrigin: string, urlOrigin: string): boolean {
  return requestOrigin !== 'null' && requestOrigin === urlOrigin;
}
