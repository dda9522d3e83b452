import type { z } from 'zod';

export type Issue = z.core.$ZodIssue;

/**
 * Where a field accepts several shapes, Zod reports one vague "invalid union" issue; the branch that got furthest
 * into the input holds the real reason, so that is the one reported.
 */
export function specificIssues(issue: Issue): Issue[] {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [issue];
  const depth = (branch: readonly Issue[]): number => Math.max(...branch.map((i) => i.path.length));
  const best = issue.errors.reduce((a, b) => (depth(b) > depth(a) ? b : a));
  if (depth(best) === 0) return [issue];
  return best.flatMap((inner) => specificIssues({ ...inner, path: [...issue.path, ...inner.path] } as Issue));
}
