// The one place that says how a case is named on the wire: in the URLs the engines request, in the server's ledger
// and faults, and in what the engines say. Everything that must find "which case was this?" asks here.

/** The static annotation that names a generated test's case, readable by reporters before and after a merge. */
export const CASE_ANNOTATION = 'cors-matrix-case';

/** Where a case's key sits in a URL path served by the harness: `/api/<key>`. */
export const CASE_PATH_PREFIX = '/api/';

/** The query parameter that names the case on a request to a server outside the harness (yours). */
export const CASE_QUERY = 'cm_case';

/** Keys are `<case id>-<n>`: a case id is a slug, n counts registrations in one server run. */
const KEY_CHARS = '[A-Za-z0-9][A-Za-z0-9-]*';
const KEY_IN_PATH = new RegExp(`${CASE_PATH_PREFIX}(${KEY_CHARS})`, 'g');
const KEY_IN_QUERY = new RegExp(`[?&]${CASE_QUERY}=(${KEY_CHARS})`, 'g');

/** A piece of an id: lower case, letters, digits and single dashes, at most 60 characters. */
export function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
}

function ordinal(index: number): string {
  return String(index + 1).padStart(3, '0');
}

/** The id of row `index` of a scenario family. */
export function scenarioCaseId(family: string, index: number, describing: string): string {
  return `${family}-${ordinal(index)}-${slug(describing)}`;
}

/** The id of the `index`th case derived from a middleware suite's intent. */
export function suiteCaseId(middleware: string, label: string, index: number, describing: string): string {
  return `${middleware}-${label}-${ordinal(index)}-${slug(describing)}`;
}

/** The id of the `index`th case derived for one route of your own server. */
export function ownServerCaseId(apiHost: string, route: string, index: number, describing: string): string {
  return `own-server-${slug(`${apiHost} ${route}`)}-${ordinal(index)}-${slug(describing)}`;
}

/** The id under which every step of one sequence of a family is registered: the steps share one URL. */
export function sequenceCaseId(family: string, sequence: string): string {
  return `${slug(family)}-seq-${slug(sequence)}`;
}

/** The id of the `index`th request of a test's own traffic replayed in another engine (cors.replayIn). */
export function replayCaseId(index: number, describing: string): string {
  return `e2e-replay-${ordinal(index)}-${slug(describing) || 'root'}`;
}

/** A fresh key for one measurement of a case. */
export function caseKey(caseId: string, serial: number): string {
  return `${caseId}-${serial}`;
}

/** The path under which the harness's own servers answer a case. */
export function casePath(key: string): string {
  return `${CASE_PATH_PREFIX}${key}`;
}

/** A URL of a server outside the harness, with the case named in its query. */
export function withCaseQuery(url: string, key: string): string {
  const named = new URL(url);
  named.searchParams.set(CASE_QUERY, key);
  return named.href;
}

/** Text (an engine's words) with the case named in a URL's query taken out: the URL as the page's own code wrote it. */
export function withoutCaseQuery(text: string, key: string | null): string {
  if (!key) return text;
  return text.split(`?${CASE_QUERY}=${key}`).join('').split(`&${CASE_QUERY}=${key}`).join('');
}

/** The case key a request target (path and query, or a whole URL) names, if any; the query's names a case outside the harness. */
export function keyInRequestTarget(target: string): string | undefined {
  const inQuery = [...target.matchAll(KEY_IN_QUERY)][0]?.[1];
  return inQuery ?? keysInText(target)[0];
}

/** Every case key named in a piece of text: an engine's console line, a DevTools event, a fault message. */
export function keysInText(text: string): string[] {
  const keys = [...text.matchAll(KEY_IN_PATH), ...text.matchAll(KEY_IN_QUERY)].map((m) => m[1] ?? '');
  return [...new Set(keys.filter((k) => k !== ''))];
}
