/**
 * Header-list primitives of the Fetch Standard (§2.2.2 Headers): names compared byte-case-insensitively, values
 * normalised, lines combined with ", " by "get", and the `#token` lists the CORS headers use.
 * Header values are byte sequences; here they are strings of code points U+0000–U+00FF (one byte each), which is
 * what a ByteString is.
 */

/** One header line as it appears in a header list: name and value, duplicates allowed, order kept. */
export type HeaderPair = readonly [name: string, value: string];
export type HeaderPairs = readonly HeaderPair[];

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const HTTP_WHITESPACE_EDGES = /^[\t\n\r ]+|[\t\n\r ]+$/g;
const OWS_EDGES = /^[\t ]+|[\t ]+$/g;

/** RFC 9110 §5.6.2: methods and header names are tokens. */
export function isToken(value: string): boolean {
  return TOKEN.test(value);
}

/** Fetch §2.2.2 "normalize": strip leading and trailing HTTP whitespace bytes (HT, LF, CR, SP). */
export function normalizeHeaderValue(value: string): string {
  return value.replace(HTTP_WHITESPACE_EDGES, '');
}

/** Why a (normalised) value is not a header value, or undefined when it is one. */
export function headerValueProblem(value: string): string | undefined {
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (code > 0xff) return `contains "${char}" (U+${code.toString(16).toUpperCase().padStart(4, '0')}), which is not a byte: header values are byte strings`;
  }
  if (/[\0\n\r]/.test(value)) return 'contains NUL, CR or LF, which no header value can hold';
  return undefined;
}

/** Length in bytes of a byte string. */
export function byteLength(value: string): number {
  return value.length;
}

export function sameHeaderName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

export function containsHeader(list: HeaderPairs, name: string): boolean {
  return list.some(([n]) => sameHeaderName(n, name));
}

/** Every value of the lines named `name`, in order. */
export function headerLines(list: HeaderPairs, name: string): string[] {
  return list.filter(([n]) => sameHeaderName(n, name)).map(([, v]) => v);
}

/** Fetch §2.2.2 "get": null when absent, otherwise every value joined with 0x2C 0x20, in order. */
export function getHeader(list: HeaderPairs, name: string): string | null {
  const lines = headerLines(list, name);
  return lines.length === 0 ? null : lines.join(', ');
}

/** Fetch §2.2.2 "convert header names to a sorted-lowercase set". */
export function sortedLowercaseSet(names: readonly string[]): string[] {
  return [...new Set(names.map((n) => n.toLowerCase()))].sort();
}

export type ListExtraction =
  | { readonly kind: 'absent' }
  | { readonly kind: 'failure'; readonly value: string; readonly element: string }
  | { readonly kind: 'values'; readonly values: readonly string[]; readonly value: string };

/**
 * Fetch §2.2.2 "extract header list values" for a header whose ABNF is `#token` (Allow-Methods, Allow-Headers,
 * Expose-Headers): every line is split on commas, optional whitespace around each element is dropped, empty
 * elements are ignored (RFC 9110 §5.6.1), and any element that is not a token makes the whole header a failure.
 */
export function extractTokenList(list: HeaderPairs, name: string): ListExtraction {
  const lines = headerLines(list, name);
  if (lines.length === 0) return { kind: 'absent' };
  const value = lines.join(', ');
  const values: string[] = [];
  for (const line of lines) {
    for (const raw of line.split(',')) {
      const element = raw.replace(OWS_EDGES, '');
      if (element === '') continue;
      if (!isToken(element)) return { kind: 'failure', value, element };
      values.push(element);
    }
  }
  return { kind: 'values', values, value };
}

/** Shows a value in a reason: quoted, with control bytes made visible. */
export function show(value: string): string {
  const visible = value.replace(/[\0-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return `"${visible}"`;
}

/** Shows a list of names or methods in a reason: `"a", "b" and "c"`. */
export function showList(values: readonly string[]): string {
  const shown = values.map(show);
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}
