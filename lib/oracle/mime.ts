/**
 * MIME Sniffing §4.4 "parse a MIME type", as far as the CORS safelist needs it: the essence (type/subtype,
 * lower-cased) or failure. Parameters never make the parse fail, so they are skipped rather than parsed.
 */

import { isToken } from './http.ts';
const HTTP_WHITESPACE_EDGES = /^[\t\n\r ]+|[\t\n\r ]+$/g;
const HTTP_WHITESPACE_END = /[\t\n\r ]+$/;

export type MimeEssence = { readonly ok: true; readonly essence: string } | { readonly ok: false; readonly why: string };

export function parseMimeEssence(input: string): MimeEssence {
  const trimmed = input.replace(HTTP_WHITESPACE_EDGES, '');
  const slash = trimmed.indexOf('/');
  const type = slash === -1 ? trimmed : trimmed.slice(0, slash);
  if (type === '' || !isToken(type)) return { ok: false, why: `its type "${type}" is not an HTTP token` };
  if (slash === -1) return { ok: false, why: 'it has no "/"' };
  const rest = trimmed.slice(slash + 1);
  const semicolon = rest.indexOf(';');
  const subtype = (semicolon === -1 ? rest : rest.slice(0, semicolon)).replace(HTTP_WHITESPACE_END, '');
  if (subtype === '' || !isToken(subtype)) return { ok: false, why: `its subtype "${subtype}" is not an HTTP token` };
  return { ok: true, essence: `${type.toLowerCase()}/${subtype.toLowerCase()}` };
}
