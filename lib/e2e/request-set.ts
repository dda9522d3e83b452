/** The requests a matcher looks at: the recorded set, filtered by URL pattern (and method), named as the test wrote it. */
import type { CorsRequestRecord } from './record.ts';

/** A URL pattern: a RegExp tested against the whole URL, a substring of it, or a predicate. */
export type UrlPattern = RegExp | string | ((url: string) => boolean);

export interface RecordSource {
  /** Every cross-origin request so far, judged. */
  records(): CorsRequestRecord[];
  /** For a replay: the recorded requests it did not send, each with why. */
  notReplayed?(): readonly { readonly record: CorsRequestRecord; readonly why: string }[];
  /** Takes in what the pages hold and the recorder has not taken yet; a matcher awaits it before each look. */
  refresh?(): Promise<void>;
}

function checkPattern(call: string, pattern: unknown): UrlPattern | undefined {
  if (pattern === undefined || pattern instanceof RegExp || typeof pattern === 'string' || typeof pattern === 'function') return pattern as UrlPattern | undefined;
  throw new TypeError(`${call}: the URL pattern must be a RegExp, a string (part of the URL) or a function (url) => boolean; got ${pattern === null ? 'null' : typeof pattern}`);
}

function matches(pattern: UrlPattern | undefined, url: string): boolean {
  if (pattern === undefined) return true;
  if (typeof pattern === 'string') return url.includes(pattern);
  if (pattern instanceof RegExp) {
    pattern.lastIndex = 0;
    return pattern.test(url);
  }
  return pattern(url);
}

/** What `cors.requests(…)` and `cors.request(…)` return: a live view, read by the matchers when they run. */
export class CorsRequestSet {
  readonly #source: RecordSource;
  readonly #pattern: UrlPattern | undefined;
  readonly #method: string | undefined;
  /** How the test asked for it, e.g. `cors.request('PUT', /\/api\/orders\/\d+/)`. */
  readonly label: string;

  constructor(source: RecordSource, label: string, pattern: unknown, method?: unknown) {
    this.#source = source;
    this.label = label;
    this.#pattern = checkPattern(label, pattern);
    if (method !== undefined && (typeof method !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(method))) {
      throw new TypeError(`${label}: the method must be an HTTP method such as 'PUT'; got ${JSON.stringify(method)}`);
    }
    this.#method = method?.toUpperCase();
  }

  #names(record: CorsRequestRecord): boolean {
    return (this.#method === undefined || record.method.toUpperCase() === this.#method) && matches(this.#pattern, record.url);
  }

  /** The recorded requests this set names, judged now. */
  records(): CorsRequestRecord[] {
    return this.#source.records().filter((r) => this.#names(r));
  }

  /** For a replay: the requests this set names that the replay did not send, each with why. */
  notReplayed(): readonly { readonly record: CorsRequestRecord; readonly why: string }[] {
    return this.#source.notReplayed?.().filter((s) => this.#names(s.record)) ?? [];
  }

  refresh(): Promise<void> {
    return this.#source.refresh?.() ?? Promise.resolve();
  }

  /** Every recorded request, for a message that says what the pattern missed. */
  all(): CorsRequestRecord[] {
    return this.#source.records();
  }
}

export function describePattern(pattern: unknown): string {
  return pattern instanceof RegExp ? String(pattern) : typeof pattern === 'function' ? '<function>' : JSON.stringify(pattern);
}
