/** How `explain` prints a prediction: for a person, or as the JSON record other tools read. */
import type { Prediction } from '../oracle/index.ts';

/** Exactly the fields `--json` promises, in this order. */
export interface ExplainJson {
  readonly preflightSent: boolean;
  readonly verdict: Prediction['verdict'];
  readonly readableHeaders: readonly string[];
  readonly reasons: readonly string[];
}

export function toExplainJson(prediction: Prediction): ExplainJson {
  return {
    preflightSent: prediction.preflightSent,
    verdict: prediction.verdict,
    readableHeaders: prediction.readableHeaders,
    reasons: prediction.reasons,
  };
}

function preflightLine(p: Prediction): string {
  if (p.servedFromPreflightCache) return 'not sent: served from the preflight cache';
  if (!p.preflightSent) return 'not sent';
  const acrh = p.accessControlRequestHeaders === undefined ? '' : `, Access-Control-Request-Headers: ${p.accessControlRequestHeaders}`;
  return `sent (OPTIONS, Access-Control-Request-Method: ${p.accessControlRequestMethod ?? ''}${acrh})`;
}

function reachedLine(p: Prediction): string {
  if (p.reachedServer) return 'yes';
  return p.preflightSent ? 'no (only the preflight did)' : 'no';
}

export function renderHuman(p: Prediction): string {
  const rows: [string, string][] = [
    ['verdict', p.verdict],
    ['preflight', preflightLine(p)],
    ['reached server', reachedLine(p)],
    ['readable', p.readable ? 'yes' : 'no'],
    ['readable headers', p.readableHeaders.length > 0 ? p.readableHeaders.join(', ') : '(none)'],
  ];
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  const digits = String(p.reasons.length).length;
  return [
    ...rows.map(([label, value]) => `${`${label}:`.padEnd(width)}${value}`),
    '',
    'why:',
    ...p.reasons.map((reason, i) => `  ${String(i + 1).padStart(digits)}. ${reason}`),
    '',
  ].join('\n');
}
