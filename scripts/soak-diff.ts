/**
 * What a soak compares: per case × engine, the outcome a user can observe in each run of the whole matrix. A case
 * whose outcome is not the same in every run is flaky, and is printed with each outcome and the runs that saw it.
 */

/** The parts of a results.json record a soak reads (schemas/results.v1.schema.json has the whole). */
export interface SoakRecord {
  readonly project: string;
  readonly title: string;
  readonly status: string;
  readonly case?: {
    readonly caseId: string;
    readonly outcome: {
      readonly verdict: string;
      readonly preflight: { readonly sent: boolean };
      readonly status?: number;
      readonly readableHeaders: Readonly<Record<string, string>>;
      readonly cookiesReceived: readonly string[];
      readonly harnessProblem?: string;
      readonly harnessCode?: string;
    };
  };
}

export interface SoakRun {
  readonly records: readonly SoakRecord[];
}

/** One observable outcome, as a line a person can compare with another. */
export function outcomeLine(record: SoakRecord | undefined): string {
  if (record === undefined) return 'not in this run';
  const c = record.case;
  if (c === undefined) return `not measured (test ${record.status})`;
  const o = c.outcome;
  const readable = Object.keys(o.readableHeaders).map((n) => n.toLowerCase()).sort();
  const cookies = o.cookiesReceived.filter((n) => n.startsWith('cm_')).sort();
  return [
    `verdict=${o.verdict}`,
    `preflight=${o.preflight.sent ? 'sent' : 'not sent'}`,
    `status=${o.status ?? '-'}`,
    `readable=[${readable.join(',')}]`,
    `cookies=[${cookies.join(',')}]`,
    `test=${record.status}`,
    // The problem's kind, not its text: the text names the case's key and ports, which differ between runs by design.
    ...(o.verdict === 'harness-error' ? [`problem=${o.harnessCode ?? 'unnamed'}`] : []),
  ].join(' ');
}

export interface Flake {
  readonly key: string;
  readonly project: string;
  readonly title: string;
  /** Each distinct outcome with the (1-based) runs that saw it. */
  readonly outcomes: readonly { readonly outcome: string; readonly runs: readonly number[] }[];
}

const keyOf = (r: SoakRecord): string => `${r.project}|${r.case?.caseId ?? r.title}`;

/** Every case × engine whose outcome differed between runs; and how many case × engine there were. */
export function findFlakes(runs: readonly SoakRun[]): { readonly flakes: Flake[]; readonly compared: number } {
  const byKey = new Map<string, { project: string; title: string; perRun: (SoakRecord | undefined)[] }>();
  runs.forEach((run, i) => {
    for (const record of run.records) {
      const key = keyOf(record);
      const entry = byKey.get(key) ?? { project: record.project, title: record.title, perRun: Array<SoakRecord | undefined>(runs.length).fill(undefined) };
      entry.perRun[i] = record;
      byKey.set(key, entry);
    }
  });
  const flakes: Flake[] = [];
  for (const [key, { project, title, perRun }] of byKey) {
    const seen = new Map<string, number[]>();
    perRun.forEach((record, i) => {
      const line = outcomeLine(record);
      seen.set(line, [...(seen.get(line) ?? []), i + 1]);
    });
    if (seen.size > 1) flakes.push({ key, project, title, outcomes: [...seen].map(([outcome, runsSeen]) => ({ outcome, runs: runsSeen })) });
  }
  flakes.sort((a, b) => a.key.localeCompare(b.key));
  return { flakes, compared: byKey.size };
}

export function renderFlakes(flakes: readonly Flake[], compared: number, runs: number): string {
  const lines = flakes.flatMap((f) => [
    `  [${f.project}] ${f.title}`,
    ...f.outcomes.map((o) => `      run${o.runs.length > 1 ? 's' : ''} ${o.runs.join(',')}: ${o.outcome}`),
  ]);
  return `${lines.length ? `${lines.join('\n')}\n` : ''}flaky: ${flakes.length} of ${compared} case × engine in ${runs} runs\n`;
}
