// One cell of the observed matrix (one case in one engine), reduced to what a reviewer needs to see change and free
// of run noise: no ports, no timings, no case serials. Origins are written by name (`<page>`), and a header value that
// is the requesting origin itself as `<request origin>`.
import type { LedgerEntry } from '../model/ledger.ts';
import type { Verdict } from '../oracle/vocabulary.ts';
import { columnName, type MeasuredProfile } from '../model/profiles.ts';

/** The parts of a judged case record a snapshot reads (a CaseRecord has them all). */
export interface SnapshotSource {
  readonly caseId: string;
  readonly title: string;
  /** The engine and the profile it ran under (absent in records from before profiles: `as-shipped`). */
  readonly engine: { readonly name: string; readonly profile?: MeasuredProfile };
  readonly requestOrigin: string;
  readonly outcome: {
    readonly verdict: Verdict;
    readonly preflight: { readonly sent: boolean };
    readonly readableHeaders: Readonly<Record<string, string>>;
    readonly cookiesReceived: readonly string[];
  };
  readonly ledger: readonly LedgerEntry[];
}

export interface SnapshotCell {
  readonly verdict: Verdict;
  readonly preflight: 'sent' | 'not sent';
  /** The status of the preflight answer as written on the wire (0: arrived, never answered); absent without a preflight. */
  readonly preflightStatus?: number;
  /** The status of the actual request's answer on the wire; absent when the actual request never reached the server. */
  readonly status?: number;
  /** Response header names the script could read, lower-case, sorted. */
  readonly readable: readonly string[];
  /** Names of the cookies the actual request carried, sorted. */
  readonly cookies: readonly string[];
  /** The CORS header lines (Access-Control-*, Vary) of the preflight answer, by canonical name; repeated lines joined with ", ". */
  readonly preflightHeaders?: Readonly<Record<string, string>>;
  /** The CORS header lines of the actual request's answer. */
  readonly responseHeaders: Readonly<Record<string, string>>;
}

/**
 * The key of a record's cell in a snapshot file: the engine's name under `as-shipped` (so files written before profiles
 * keep matching), `<engine>-<profile>` otherwise (`chromium-strict`), the same as the matrix column.
 */
export function cellKey(engine: SnapshotSource['engine']): string {
  return columnName(engine.name, engine.profile);
}

/** Origin names to their serialised origins this run, e.g. `{ page: 'http://a.localhost:38661' }`. */
export type OriginNames = Readonly<Record<string, string>>;

const isCorsHeader = (name: string): boolean => name.toLowerCase().startsWith('access-control-') || name.toLowerCase() === 'vary';

/** `access-control-allow-origin` → `Access-Control-Allow-Origin`, so frameworks that write lower case do not differ. */
export function canonicalHeaderName(name: string): string {
  return name
    .toLowerCase()
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('-');
}

/** Replaces this run's origins by their names: the longest first, so `http://a.localhost:1` never eats `…:12`. */
export function withoutRunNoise(text: string, requestOrigin: string, origins: OriginNames): string {
  if (text === requestOrigin) return '<request origin>';
  const byLength = Object.entries(origins).sort(([, a], [, b]) => b.length - a.length);
  const seen = new Set<string>();
  let out = text;
  for (const [name, origin] of byLength) {
    if (seen.has(origin) || origin === 'null' || origin === '') continue;
    seen.add(origin);
    out = out.split(origin).join(`<${name}>`);
  }
  // Origins the run did not name (a third origin in an allow-list): keep the host, drop the port of this run.
  return out.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:,]+\.localhost):\d+/gi, '$1:<port>');
}

function corsLines(entry: LedgerEntry | undefined, requestOrigin: string, origins: OriginNames): Record<string, string> {
  const grouped = new Map<string, string[]>();
  for (const { name, value } of entry?.responseHeaders ?? []) {
    if (!isCorsHeader(name)) continue;
    const key = canonicalHeaderName(name);
    grouped.set(key, [...(grouped.get(key) ?? []), withoutRunNoise(value, requestOrigin, origins)]);
  }
  return Object.fromEntries([...grouped].sort(([a], [b]) => a.localeCompare(b)).map(([name, values]) => [name, values.join(', ')]));
}

/** The snapshot cell of one judged record. */
export function snapshotCell(record: SnapshotSource, origins: OriginNames = {}): SnapshotCell {
  const preflight = record.ledger.find((e) => e.kind === 'preflight');
  const actual = record.ledger.find((e) => e.kind === 'actual');
  return {
    verdict: record.outcome.verdict,
    preflight: record.outcome.preflight.sent ? 'sent' : 'not sent',
    ...(preflight && { preflightStatus: preflight.status }),
    ...(actual && { status: actual.status }),
    readable: Object.keys(record.outcome.readableHeaders).map((n) => n.toLowerCase()).sort(),
    cookies: [...record.outcome.cookiesReceived].sort(),
    ...(preflight && { preflightHeaders: corsLines(preflight, record.requestOrigin, origins) }),
    responseHeaders: corsLines(actual, record.requestOrigin, origins),
  };
}
