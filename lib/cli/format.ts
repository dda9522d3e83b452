/** How `explain` prints a prediction: for a person, or as the JSON record other tools read. */
import type { HopPrediction, OracleStep, Prediction, PreflightCacheState } from '../oracle/index.ts';
import { describePreflightCache } from '../oracle/index.ts';

/** Exactly the fields `--json` promises, in this order; a redirect chain adds `responseType`, `redirectCount` and `hops`. */
export interface ExplainJson {
  readonly preflightSent: boolean;
  readonly verdict: Prediction['verdict'];
  readonly readableHeaders: readonly string[];
  readonly reasons: readonly string[];
  readonly responseType?: Prediction['responseType'];
  readonly redirectCount?: number;
  readonly hops?: readonly HopPrediction[];
}

/** One request of a sequence, with the time it was made and the cache it left behind (one line per live entry). */
export interface ExplainSequenceStepJson extends ExplainJson {
  readonly at: number;
  readonly servedFromPreflightCache: boolean;
  readonly cacheAfter: readonly string[];
}

export interface ExplainSequenceJson {
  readonly steps: readonly ExplainSequenceStepJson[];
}

function hasChain(p: Prediction): boolean {
  return (p.hops?.length ?? 1) > 1 || (p.redirectCount ?? 0) > 0 || p.steps.some((s) => s.stage === 'redirect');
}

export function toExplainJson(prediction: Prediction): ExplainJson {
  return {
    preflightSent: prediction.preflightSent,
    verdict: prediction.verdict,
    readableHeaders: prediction.readableHeaders,
    reasons: prediction.reasons,
    ...(hasChain(prediction) && { responseType: prediction.responseType, redirectCount: prediction.redirectCount ?? 0, hops: prediction.hops ?? [] }),
  };
}

export function toExplainSequenceJson(steps: readonly { readonly at: number }[], predictions: readonly Prediction[]): ExplainSequenceJson {
  return {
    steps: predictions.map((p, i) => {
      const at = steps[i]?.at ?? 0;
      return { at, ...toExplainJson(p), servedFromPreflightCache: p.servedFromPreflightCache, cacheAfter: describePreflightCache(p.cache, at) };
    }),
  };
}

function preflightLine(p: Pick<Prediction, 'servedFromPreflightCache' | 'preflightSent' | 'accessControlRequestMethod' | 'accessControlRequestHeaders'>): string {
  if (p.servedFromPreflightCache && !p.preflightSent) return 'not sent: served from the preflight cache';
  if (!p.preflightSent) return 'not sent';
  const acrh = p.accessControlRequestHeaders === undefined ? '' : `, Access-Control-Request-Headers: ${p.accessControlRequestHeaders}`;
  return `sent (OPTIONS, Access-Control-Request-Method: ${p.accessControlRequestMethod ?? ''}${acrh})`;
}

function reachedLine(p: Prediction): string {
  if (p.reachedServer) return 'yes';
  return p.preflightSent ? 'no (only the preflight did)' : 'no';
}

function hopLine(h: HopPrediction, i: number): string {
  const parts = [
    `${h.method} ${h.url}`,
    `Origin: ${h.originHeader ?? '(none)'}`,
    `preflight ${preflightLine(h)}`,
    h.reachedServer ? `answered ${h.status ?? '?'}${h.followed ? ', followed' : ''}` : 'the request itself was not sent',
  ];
  return `${i + 1}. ${parts.join(' · ')}`;
}

function table(rows: readonly (readonly [string, string])[], indent: string): string[] {
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  return rows.map(([label, value]) => `${indent}${`${label}:`.padEnd(width)}${value}`);
}

/** The numbered reasons; for a redirect chain, under one heading per hop. */
function why(p: Prediction, indent: string): string[] {
  const digits = String(p.reasons.length).length;
  const inner = hasChain(p) ? '    ' : '  ';
  const numbered = (i: number): string => `${indent}${inner}${String(i + 1).padStart(digits)}. ${p.reasons[i] ?? ''}`;
  if (!hasChain(p)) return [`${indent}why:`, ...p.steps.map((_, i) => numbered(i))];
  const lines = [`${indent}why:`];
  let current = -1;
  p.steps.forEach((s: OracleStep, i) => {
    const hop = s.hop ?? 0;
    if (hop !== current) {
      current = hop;
      const h = p.hops?.[hop];
      lines.push(`${indent}  hop ${hop + 1}${h ? ` (${h.method} ${h.url})` : ''}:`);
    }
    lines.push(numbered(i));
  });
  return lines;
}

function summary(p: Prediction, indent: string): string[] {
  const rows: [string, string][] = [
    ['verdict', p.verdict],
    ['preflight', preflightLine(p)],
    ['reached server', reachedLine(p)],
    ['readable', p.readable ? 'yes' : 'no'],
    ['readable headers', p.readableHeaders.length > 0 ? p.readableHeaders.join(', ') : '(none)'],
  ];
  if (hasChain(p)) rows.push(['response type', p.responseType ?? '?'], ['redirects', String(p.redirectCount ?? 0)]);
  const lines = table(rows, indent);
  if (hasChain(p)) lines.push('', `${indent}hops:`, ...(p.hops ?? []).map((h, i) => `${indent}  ${hopLine(h, i)}`));
  return lines;
}

export function renderHuman(p: Prediction): string {
  return [...summary(p, ''), '', ...why(p, ''), ''].join('\n');
}

function cacheLines(cache: PreflightCacheState, at: number, indent: string): string[] {
  const live = describePreflightCache(cache, at);
  return [`${indent}cache after:${live.length === 0 ? ' (empty)' : ''}`, ...live.map((line) => `${indent}  ${line}`)];
}

/** Each request of a sequence: its time, what it came to, why, and the cache it left for the next. */
export function renderSequenceHuman(steps: readonly { readonly at: number; readonly request: { readonly method: string; readonly url: string } }[], predictions: readonly Prediction[]): string {
  const blocks = predictions.map((p, i) => {
    const s = steps[i];
    const at = s?.at ?? 0;
    return [`step ${i + 1} at t=${at}s: ${s?.request.method ?? ''} ${s?.request.url ?? ''}`, ...summary(p, '  '), '', ...why(p, '  '), '', ...cacheLines(p.cache, at, '  ')].join('\n');
  });
  return `${blocks.join('\n\n')}\n`;
}
