import { describeCause } from './diagnosis-text.ts';
import { describeFinding } from './findings.ts';
import type { MatrixResults } from './results.ts';

/** A compact table: per family, per engine, passed / failed / disagreements. */
export function terminalSummary(results: MatrixResults): string {
  const projects = results.engines.map((e) => e.project);
  const families = [...new Set(results.records.map((r) => r.family))];
  const cell = (family: string, project: string): string => {
    const rows = results.records.filter((r) => r.family === family && r.project === project);
    // A profile may run only some families (playwright.config.ts: strict for the cookie families): not run, not 0✓.
    if (rows.length === 0) return '—';
    const passed = rows.filter((r) => r.status === 'passed').length;
    const failed = rows.filter((r) => r.status !== 'passed' && r.status !== 'skipped').length;
    const differing = rows.filter((r) => r.disagreement).length;
    return `${passed}✓ ${failed}✗ ${differing}≠`;
  };
  const familyWidth = Math.max(6, ...families.map((f) => f.length));
  const width = 16;
  const departures = results.records.filter((r) => r.case?.oracleNote !== undefined);
  const lines = [
    `${'family'.padEnd(familyWidth)}  ${projects.map((p) => p.padEnd(width)).join('')}`,
    ...families.map((family) => `${family.padEnd(familyWidth)}  ${projects.map((p) => cell(family, p).padEnd(width)).join('')}`),
    '',
    ...results.engines.map((e) => {
      const build = e.engine ? `${e.engine.name} ${e.engine.version} (${e.engine.build} build: ${e.engine.executable}${e.engine.profile ? `; profile ${e.engine.profile}` : ''})` : 'no engine started';
      return `${e.project.padEnd(familyWidth)}  ${e.passed} passed, ${e.failed} failed, ${e.skipped} skipped — ${build}`;
    }),
    '',
    `where the measured verdict is not the Fetch Standard's (${departures.length}):`,
    ...departures.map((r) => `  [${r.project}] ${r.title}\n      ${r.case?.oracleNote ?? ''}`),
  ];
  const { findings } = results;
  if (findings.length > 0) lines.push('', `findings about the servers under test (${findings.length}), as each engine showed them:`, ...findings.map((f) => `  ${describeFinding(f)}`));
  lines.push(...diagnosisLines(results));
  return lines.join('\n');
}

/** Once per root cause, at the very end: what, where, the checked fix, and the findings entry that would accept it. */
export function diagnosisLines(results: Pick<MatrixResults, 'diagnosis'>): string[] {
  const causes = results.diagnosis ?? [];
  if (causes.length === 0) return [];
  const open = causes.filter((c) => !c.declared).length;
  return ['', `diagnosis: ${causes.length} root cause${causes.length === 1 ? '' : 's'} (${open} not declared as findings), each fix checked by the oracle on the recorded answers:`, ...causes.map((c, i) => describeCause(c, i + 1, causes))];
}
