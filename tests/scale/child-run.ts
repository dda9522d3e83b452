import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MatrixResults } from '../../lib/report/results.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface ChildRun {
  readonly code: number | null;
  readonly output: string;
}

/** Runs a command in the repository and collects everything it printed. */
export function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<ChildRun> {
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env, CI: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

export function scratch(name: string): string {
  return mkdtempSync(join(tmpdir(), `cors-matrix-${name}-`));
}

export function readResults(folder: string): MatrixResults {
  return JSON.parse(readFileSync(join(folder, 'results.json'), 'utf8')) as MatrixResults;
}

/** What a report says about each case and engine, free of ports, timings and run order: what must not depend on how the run was split. */
export function comparable(results: MatrixResults): string[] {
  return results.records
    .map((r) =>
      JSON.stringify({
        project: r.project,
        title: r.title,
        family: r.family,
        status: r.status,
        verdict: r.case?.outcome.verdict,
        preflight: r.case?.outcome.preflight.sent,
        readable: Object.keys(r.case?.outcome.readableHeaders ?? {}).sort(),
        mismatches: r.case?.mismatches,
        engine: r.case && `${r.case.engine.name} ${r.case.engine.version} ${r.case.engine.build}`,
        finding: r.case?.finding,
      }),
    )
    .sort();
}
