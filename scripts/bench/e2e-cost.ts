// What the `cors` fixture adds to a team's own end-to-end test (issue 20: at most 10 % of a test's wall time), measured
// on examples/e2e by its own bench.mjs: the same journey without cors-matrix, with the fixture recording, and with
// matchers, in rounds of rotating order, per engine. The example is installed first where it is not (its install
// packs this checkout, so the fixture measured is this tree's).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface E2eVariant {
  readonly title: string;
  readonly medianMs: number;
  readonly runs: number;
  /** The variant's median test duration over the plain journey's (absent for the plain journey itself). */
  readonly overPlain?: number;
  /** The fixture's own time (setup, judging, teardown), as it times itself, and its share of the test. */
  readonly fixtureOwnMs?: number;
  readonly fixtureShare?: number;
  /** The median of each round's ratio to the plain run of the same round (the rounds interleave the variants). */
  readonly pairedOverPlain?: number;
  /** A 95 % bootstrap interval of that paired median (absent under 5 rounds). */
  readonly pairedInterval?: readonly [number, number];
  /**
   * The todo journey per request, as the page times its requests (first call to last answer; no context, page or
   * fixture setup in it): its API requests, ms per request with the fixture and plain, the paired ratio with its 95 %
   * interval, and the median of (fixture − plain, same round) / requests.
   */
  readonly requests?: number;
  readonly msPerRequest?: number;
  readonly plainMsPerRequest?: number;
  readonly perRequestOverPlain?: number;
  readonly perRequestInterval?: readonly [number, number];
  readonly msAddedPerRequest?: number;
}

export interface E2eCostFigures {
  readonly project: string;
  readonly rounds: number;
  readonly plainMedianMs: number;
  readonly variants: readonly E2eVariant[];
}

const EXAMPLE = fileURLToPath(new URL('../../examples/e2e', import.meta.url));

/** Installs the example where it is not installed yet; throws with npm's output if that fails. */
function ensureInstalled(): void {
  if (existsSync(join(EXAMPLE, 'node_modules', 'cors-matrix', 'package.json'))) return;
  const install = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: EXAMPLE, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (install.status !== 0) throw new Error(`bench: could not install examples/e2e (npm install exited ${install.status}):\n${install.stderr || install.stdout}`);
}

export function e2eCost(project: string, rounds: number): E2eCostFigures {
  ensureInstalled();
  const run = spawnSync('node', ['bench.mjs', '--project', project, '--rounds', String(rounds), '--json'], { cwd: EXAMPLE, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`bench: examples/e2e bench.mjs --project ${project} exited ${run.status}:\n${run.stderr || run.stdout}`);
  const line = run.stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(line) as E2eCostFigures;
}

export function describeE2eCost(figures: E2eCostFigures): string {
  const lines = [`the cors fixture on examples/e2e, ${figures.project}, ${figures.rounds} rounds in rotating order (the first left out), median test duration:`];
  for (const v of figures.variants) {
    const perRequest =
      v.msAddedPerRequest === undefined || v.perRequestOverPlain === undefined
        ? ''
        : `\n      per request, timed by the page: ${(v.msPerRequest ?? NaN).toFixed(1)} ms against ${(v.plainMsPerRequest ?? NaN).toFixed(1)} plain, paired ×${v.perRequestOverPlain.toFixed(2)}${v.perRequestInterval ? ` (95 % ×${v.perRequestInterval[0].toFixed(2)}–×${v.perRequestInterval[1].toFixed(2)})` : ''} (goal ≤ 1.10), ${v.msAddedPerRequest.toFixed(1)} ms added per request (${v.requests} requests)`;
    const ratio = v.overPlain === undefined ? '' : `   ×${v.overPlain.toFixed(2)} of plain, paired ×${(v.pairedOverPlain ?? NaN).toFixed(2)}${v.pairedInterval ? ` (95 % ×${v.pairedInterval[0].toFixed(2)}–×${v.pairedInterval[1].toFixed(2)})` : ''} (goal ≤ 1.10); the fixture's own time ${(v.fixtureOwnMs ?? 0).toFixed(0)} ms = ${((v.fixtureShare ?? 0) * 100).toFixed(1)} % of the test${perRequest}`;
    lines.push(`  ${v.title.padEnd(40)} ${v.medianMs.toFixed(0).padStart(6)} ms${ratio}`);
  }
  return lines.join('\n');
}
