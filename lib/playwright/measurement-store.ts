import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Measurement } from '../measure/measurement.ts';

let written = 0;

/**
 * The measurements of one project in one run, kept on disk in the run directory: Playwright restarts a worker after
 * any failed test, and the new worker judges what the old one measured instead of launching an engine again.
 */
export class MeasurementStore {
  readonly #folder: string | undefined;
  readonly #known = new Map<string, Measurement>();

  constructor(runDir: string | undefined, project: string) {
    this.#folder = runDir === undefined ? undefined : join(runDir, 'measurements', encodeURIComponent(project));
    if (!this.#folder) return;
    mkdirSync(this.#folder, { recursive: true });
    for (const file of readdirSync(this.#folder)) {
      const batch = JSON.parse(readFileSync(join(this.#folder, file), 'utf8')) as Record<string, Measurement>;
      for (const [id, measurement] of Object.entries(batch)) this.#known.set(id, measurement);
    }
  }

  get(id: string): Measurement | undefined {
    return this.#known.get(id);
  }

  has(id: string): boolean {
    return this.#known.has(id);
  }

  putAll(entries: ReadonlyMap<string, Measurement>): void {
    for (const [id, measurement] of entries) this.#known.set(id, measurement);
    if (!this.#folder || entries.size === 0) return;
    writeFileSync(join(this.#folder, `${process.pid}-${++written}.json`), JSON.stringify(Object.fromEntries(entries)));
  }
}
