import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Reporter, Suite } from '@playwright/test/reporter';
import { RUN_DIR_ENV, runDirPrefix, writeSelection } from './run-selection.ts';

/**
 * Tells the workers which cases this run selected. Playwright hands reporters the filtered test list before any
 * worker starts, and starts workers with the runner's environment: so the run directory is made here and named in
 * the environment, and the workers measure the selected cases of their project in one batch.
 */
export default class SelectionReporter implements Reporter {
  readonly #ownDir: string;

  constructor() {
    // Always a fresh folder, even where one is named in the environment: that one belongs to another run (a run
    // started from inside a test inherits its parent's environment).
    this.#ownDir = mkdtempSync(join(tmpdir(), runDirPrefix(process.pid)));
    process.env[RUN_DIR_ENV] = this.#ownDir;
  }

  onBegin(_config: unknown, suite: Suite): void {
    const runDir = process.env[RUN_DIR_ENV];
    if (runDir) writeSelection(runDir, suite);
  }

  async onExit(): Promise<void> {
    rmSync(this.#ownDir, { recursive: true, force: true });
  }

  printsToStdio(): boolean {
    return false;
  }
}
