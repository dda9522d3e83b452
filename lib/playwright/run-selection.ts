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

/**
 * The selection of one project, or undefined when this run has no run folder (the selection reporter is not
 * configured). A run folder whose selection is missing or unreadable is an error, never "measure everything": the
 * reporter writes it before any worker starts, so a worker without it would measure what the run did not select.
 */
export function readSelection(runDir: string | undefined, project: string): ReadonlySet<string> | undefined {
  if (runDir === undefined) return undefined;
  const file = join(runDir, SELECTION_FILE);
  const fail = (why: string): never => {
    throw new Error(`cors-matrix: the run's selection ${file} ${why}; the selection reporter writes it before any worker starts, and without it this worker cannot tell which cases the run selected`);
  };
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    fail(`could not be read (${error instanceof Error ? error.message : String(error)})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    fail(`is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const projects = typeof parsed === 'object' && parsed !== null && 'projects' in parsed ? parsed.projects : undefined;
  if (typeof projects !== 'object' || projects === null || Array.isArray(projects)) return fail('has no "projects" object');
  const ids: unknown = (projects as Record<string, unknown>)[project] ?? [];
  if (!Array.isArray(ids) || !ids.every((id): id is string => typeof id === 'string')) return fail(`field projects["${project}"]: must be a list of case ids`);
  return new Set(ids);
}
