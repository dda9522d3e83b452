import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Reporter, Suite } from '@playwright/test/reporter';
import { RUN_DIR_ENV, writeSelection } from './run-selection.ts';

/**
 * Tells the workers which cases this run selected. Playwright hands reporters the filtered test list before any
 * worker starts, and starts workers with the runner's environment: so the run directory is made here and named in
 * the environment, and the workers measure the selected cases of their project in one batch.
 */
export default class SelectionReporter implements Reporter {
  readonly #ownDir: string | undefined;

  constructor() {
    if (process.env[RUN_DIR_ENV]) return;
    this.#ownDir = mkdtempSync(join(tmpdir(), 'cors-matrix-run-'));
    process.env[RUN_DIR_ENV] = this.#ownDir;
  }

  onBegin(_config: unknown, suite: Suite): void {
    const runDir = process.env[RUN_DIR_ENV];
    if (runDir) writeSelection(runDir, suite);
  }

  async onExit(): Promise<void> {
    if (this.#ownDir) rmSync(this.#ownDir, { recursive: true, force: true });
  }

  printsToStdio(): boolean {
    return false;
  }
}
