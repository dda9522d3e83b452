/**
 * Fetch §2.2.2 "parse a single range header value", with allowWhitespace false (the form the CORS safelist uses):
 * `bytes=` then optional digits, `-`, optional digits, nothing else; at least one side present; start ≤ end.
 */

export type SingleRange =
  | { readonly ok: true; readonly start: number | null; readonly end: number | null }
  | { readonly ok: false; readonly why: string };

const FORM = /^bytes=([0-9]*)-([0-9]*)$/;

export function parseSingleRange(value: string): SingleRange {
  if (!value.startsWith('bytes')) return { ok: false, why: 'it does not start with "bytes"' };
  const match = FORM.exec(value);
  if (!match) return { ok: false, why: 'it is not of the form bytes=N- or bytes=N-M (one range, no whitespace)' };
  const [, startDigits = '', endDigits = ''] = match;
  const start = startDigits === '' ? null : Number(startDigits);
  const end = endDigits === '' ? null : Number(endDigits);
  if (start === null && end === null) return { ok: false, why: 'it gives neither a start nor an end' };
  // Interpreted as decimal numbers; BigInt keeps the comparison exact for digit strings beyond 2^53.
  if (start !== null && end !== null && BigInt(startDigits) > BigInt(endDigits)) return { ok: false, why: 'its start is after its end' };
  return { ok: true, start, end };
}
