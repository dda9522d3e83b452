// The project's own matrix as a realistic workload (`npm run bench -- --families`): per engine, one
// `npx playwright test --project <engine> --project <engine>-strict --workers 1` of the root config (scenario families,
// middleware and audit suites, own servers, sequences), timed from the outside, with CORS_MATRIX_TIMINGS collecting
// where each batch's time went. Prints ms per record per engine, and per family the in-page time per record (a call's
// time shared among its cases' families; calls into different pages overlap, so these add up to more than the wall).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Timing } from '../../lib/measure/call-timings.ts';

export interface FamilyFigures {
  readonly family: string;
  readonly records: number;
  readonly inPageMsPerRecord: number;
  readonly unheard: number;
}

export interface EngineMatrixRun {
  readonly engine: string;
  readonly seconds: number;
  readonly records: number;
  readonly msPerRecord: number;
  readonly passed: number;
  readonly failed: number;
  readonly families: readonly FamilyFigures[];
  /** Per batch: cases, first-party visits and the time in each stage. */
  readonly batches: readonly Extract<Timing, { kind: 'batch' }>[];
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Middleware and audit suites are one family each in the figures. */
function familyName(family: string): string {
  return family.startsWith('middleware') ? 'middleware' : family.startsWith('audit') ? 'audit' : family.startsWith('shared-cache-middleware') ? 'shared-cache-middleware' : family;
}

export async function matrixRun(engine: string): Promise<EngineMatrixRun> {
  const dir = mkdtempSync(join(tmpdir(), 'cors-matrix-bench-families-'));
  const timingsFile = join(dir, 'timings.jsonl');
  try {
    const args = ['playwright', 'test', `--project=${engine}`, `--project=${engine}-strict`, '--workers=1', `--output=${join(dir, 'out')}`];
    const child = spawn('npx', args, { cwd: ROOT, env: { ...process.env, CORS_MATRIX_TIMINGS: timingsFile, CORS_MATRIX_REPORT_DIR: join(dir, 'report'), CI: '' }, stdio: ['ignore', 'ignore', 'ignore'] });
    const started = performance.now();
    await new Promise<void>((resolve) => child.on('close', () => resolve()));
    const seconds = (performance.now() - started) / 1000;
    const results = JSON.parse(readFileSync(join(dir, 'report', 'results.json'), 'utf8')) as { records: { status: string; family?: string }[] };
    const records = results.records.length;
    const timings = readFileSync(timingsFile, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Timing);
    const byFamily = new Map<string, { records: number; inPageMs: number; unheard: number }>();
    for (const r of results.records) {
      const f = familyName(r.family ?? 'unknown');
      const tally = byFamily.get(f) ?? { records: 0, inPageMs: 0, unheard: 0 };
      tally.records++;
      byFamily.set(f, tally);
    }
    for (const t of timings) {
      if (t.kind !== 'call') continue;
      for (const [family, n] of Object.entries(t.families)) {
        const tally = byFamily.get(familyName(family));
        if (tally) tally.inPageMs += (t.inPageMs * n) / t.cases;
      }
      for (const u of t.unheard) {
        const tally = byFamily.get(familyName(u.family));
        if (tally) tally.unheard++;
      }
    }
    const families = [...byFamily].map(([family, t]) => ({ family, records: t.records, inPageMsPerRecord: t.inPageMs / t.records, unheard: t.unheard }));
    return {
      engine,
      seconds,
      records,
      msPerRecord: (seconds * 1000) / records,
      passed: results.records.filter((r) => r.status === 'passed').length,
      failed: results.records.filter((r) => r.status === 'failed').length,
      families,
      batches: timings.filter((t): t is Extract<Timing, { kind: 'batch' }> => t.kind === 'batch'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function describeMatrixRun(run: EngineMatrixRun): string {
  const lines = [`own matrix, ${run.engine} + ${run.engine}-strict, 1 worker: ${run.records} records in ${run.seconds.toFixed(1)} s = ${run.msPerRecord.toFixed(1)} ms/record (goal ≤ 40), ${run.passed} passed, ${run.failed} failed`];
  lines.push('  family                     records   in-page ms/record   unheard');
  for (const f of [...run.families].sort((a, b) => b.inPageMsPerRecord * b.records - a.inPageMsPerRecord * a.records)) {
    lines.push(`  ${f.family.padEnd(26)}${String(f.records).padStart(8)}${f.inPageMsPerRecord.toFixed(1).padStart(20)}${String(f.unheard).padStart(10)}`);
  }
  return lines.join('\n');
}
