import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';

interface EngineTally {
  engine: string;
  passed: number;
  failed: number;
  skipped: number;
}

/** Prints, per project, how many cases passed and which engine build ran them: a skipped engine never hides as a pass. */
export default class SummaryReporter implements Reporter {
  readonly #tallies = new Map<string, EngineTally>();

  onTestEnd(test: TestCase, result: TestResult): void {
    if (result.retry < test.retries && result.status !== 'passed' && result.status !== 'skipped') return;
    const project = test.parent.project()?.name ?? '?';
    const tally = this.#tallies.get(project) ?? { engine: '', passed: 0, failed: 0, skipped: 0 };
    const engine = result.annotations.find((a) => a.type === 'engine')?.description;
    if (engine) tally.engine = engine;
    if (result.status === 'passed') tally.passed++;
    else if (result.status === 'skipped') tally.skipped++;
    else tally.failed++;
    this.#tallies.set(project, tally);
  }

  onEnd(result: FullResult): void {
    console.log('\ncors-matrix summary');
    for (const [project, t] of this.#tallies) {
      console.log(`  ${project.padEnd(9)} ${String(t.passed).padStart(4)} passed ${String(t.failed).padStart(4)} failed ${String(t.skipped).padStart(4)} skipped  ${t.engine}`);
    }
    const totals = [...this.#tallies.values()].reduce((sum, t) => ({ passed: sum.passed + t.passed, failed: sum.failed + t.failed, skipped: sum.skipped + t.skipped }), { passed: 0, failed: 0, skipped: 0 });
    console.log(`  run ${result.status} in ${(result.duration / 1000).toFixed(1)} s`);
    console.log(`cors-matrix: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  }

  printsToStdio(): boolean {
    return false;
  }
}
