import type { Cause } from '../diagnose/index.ts';

const SEVERITY_WORDS: Readonly<Record<Cause['severity'], string>> = {
  'outsider-reads-with-credentials': 'an outside origin reads with the user\'s credentials',
  'outsider-write-reaches-handler': "an outside origin's write reaches the server",
  'outsider-reads': 'an outside origin reads',
  'intended-blocked': 'intended traffic is blocked',
  'more-than-intended': 'more is allowed than intended',
  'cache-hygiene': 'cache hygiene',
  unexplained: 'not explained',
};

/** One cause as terminal text: what, how bad, where, the fix and its check, and the findings entry to accept it. */
export function describeCause(cause: Cause, index: number, all: readonly Cause[] = []): string {
  const routes = cause.routes.length > 3 ? `${cause.routes.slice(0, 3).join(', ')}, … (${cause.routes.length} routes)` : cause.routes.join(', ');
  const where = `${cause.server}${routes ? ` ${routes}` : ''} · ${cause.engines.join(', ')} · ${cause.cases.length} case${cause.cases.length === 1 ? '' : 's'}${cause.declared ? ' (declared findings)' : ''}`;
  const lines = [`${index}. ${cause.summary}`, `   severity: ${SEVERITY_WORDS[cause.severity]}`, `   where: ${where}`];
  const hole = cause.hole === undefined ? -1 : all.findIndex((c) => c.id === cause.hole);
  if (hole >= 0) lines.push(`   through: the hole of cause ${hole + 1} — the same fix closes both`);
  if (cause.impact) lines.push(`   impact: ${cause.impact}`);
  if (cause.detail) lines.push(`   why:   ${cause.detail}`);
  if (cause.fix) lines.push(`   fix:   ${cause.fix}`);
  if (cause.serverFix) {
    const less = cause.serverFix.routesNeedingLess ?? [];
    // One setting serves every route: where a route needs fewer methods, it is not the header fix there, and says so.
    const label = less.length
      ? `(one setting for every route, so not the same headers on ${less.map((r) => r.route).join(', ')}: it lists every method the routes need, where ${less.map((r) => `${r.route} needs ${r.methods.join(', ')}`).join('; ')}; give ${less.length === 1 ? 'that route' : 'those routes'} a setting of ${less.length === 1 ? 'its' : 'their'} own)`
      : '(the same headers)';
    lines.push(`   as ${cause.serverFix.kind} configuration ${label}:`, ...cause.serverFix.config.split('\n').map((l) => `     ${l}`));
  }
  if (cause.check) lines.push(`   check: ${cause.check.passed ? '✓' : '✗'} ${cause.check.detail}`);
  if (cause.findingsEntry && !cause.declared) lines.push('   to accept it as a known issue, add to findings:', ...cause.findingsEntry.split('\n').map((l) => `     ${l}`));
  return lines.join('\n');
}
