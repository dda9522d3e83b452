import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Suite } from '@playwright/test/reporter';
import { CASE_ANNOTATION } from '../model/case-identity.ts';

export { CASE_ANNOTATION } from '../model/case-identity.ts';

/** Where one run keeps its selection and measurements; set in the runner process, inherited by every worker. */
export const RUN_DIR_ENV = 'CORS_MATRIX_RUN_DIR';

const SELECTION_FILE = 'selection.json';

/** A run folder's name starts with the runner's pid, so a worker can tell its own run's folder from an inherited one. */
export function runDirPrefix(runnerPid: number): string {
  return `cors-matrix-run-${runnerPid}-`;
}

/**
 * This worker's run folder: the one its runner named. Without the selection reporter there is none (nobody would
 * remove it, and a later run could inherit it): measurements are then kept in the worker's memory only.
 */
export function workerRunDir(): string | undefined {
  const named = process.env[RUN_DIR_ENV];
  return named && basename(named).startsWith(runDirPrefix(process.ppid)) ? named : undefined;
}

/** One selected test: its case and its repeat index (`--repeat-each`), as `<case id>#<repeat>`. */
export function measurementId(caseId: string, repeatEachIndex: number): string {
  return `${caseId}#${repeatEachIndex}`;
}

/**
 * Writes which cases each project runs in this invocation — after `--project`, `-g`, `--grep-invert`, `--shard`,
 * `--last-failed`, `--only-changed` and `--repeat-each` have all been applied — so each worker measures exactly those.
 */
export function writeSelection(runDir: string, root: Suite): void {
  const projects: Record<string, string[]> = {};
  for (const test of root.allTests()) {
    const caseId = test.annotations.find((a) => a.type === CASE_ANNOTATION)?.description;
    const project = test.parent.project()?.name;
    if (caseId === undefined || project === undefined) continue;
    (projects[project] ??= []).push(measurementId(caseId, test.repeatEachIndex));
  }
  mkdirSync(runDir, { recursive: true });
  writeFileSync(join(runDir, SELECTION_FILE), JSON.stringify({ projects }));
}

/** The selection of one project, or undefined when no selection was written (the selection reporter is not configured). */
export function readSelection(runDir: string | undefined, project: string): ReadonlySet<string> | undefined {
  if (runDir === undefined) return undefined;
  try {
    const { projects } = JSON.parse(readFileSync(join(runDir, SELECTION_FILE), 'utf8')) as { projects: Record<string, string[]> };
    return new Set(projects[project] ?? []);
  } catch {
    return undefined;
  }
}
