import { describeFinding } from './findings.ts';
import type { MatrixResults } from './results.ts';

/** A compact table: per family, per engine, passed / failed / disagreements. */
export function terminalSummary(results: MatrixResults): string {
  const projects = results.engines.map((e) => e.project);
  const families = [...new Set(results.records.map((r) => r.family))];
  const cell = (family: string, project: string): string => {
    const rows = results.records.filter((r) => r.family === family && r.project === project);
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
      const build = e.engine ? `${e.engine.name} ${e.engine.version} (${e.engine.build} build: ${e.engine.executable})` : 'no engine started';
      return `${e.project.padEnd(familyWidth)}  ${e.passed} passed, ${e.failed} failed, ${e.skipped} skipped — ${build}`;
    }),
    '',
    `where the measured verdict is not the Fetch Standard's (${departures.length}):`,
    ...departures.map((r) => `  [${r.project}] ${r.title}\n      ${r.case?.oracleNote ?? ''}`),
  ];
  const { findings } = results;
  if (findings.length > 0) lines.push('', `findings about the servers under test (${findings.length}), as each engine showed them:`, ...findings.map((f) => `  ${describeFinding(f)}`));
  return lines.join('\n');
}
