// What a server's origin check is, inferred from everything it answered outside origins — the ones it admitted and the
// ones it refused — not from one admitted origin at a time. An explanation is given only where an observation
// separates it from a simpler one: a pattern flaw needs an unrelated origin refused; once one is admitted, the server
// reflects any origin and every admitted origin is evidence of that one behaviour.
import { originClass, type OriginClass } from './origin-class.ts';

/** One outside origin as the server answered it (over all its requests, on every route). */
export interface OriginObservation {
  readonly origin: string;
  /** Some answer named this origin (or `*`) in Access-Control-Allow-Origin. */
  readonly admitted: boolean;
  /** What Access-Control-Allow-Origin said to it, where it said something. */
  readonly allowOrigin?: string;
}

export type OriginCheckId =
  | 'reflects-any'
  /** Every outside origin tried was admitted, but none was unrelated to the allowed ones: no observation tells a reflection from a loose pattern. */
  | 'admits-every-outsider-tried'
  | 'wildcard'
  /** Several flaws of one check (the port not compared and every subdomain trusted): one check, one fix. */
  | 'loose-pattern'
  /** An origin unrelated to the allowed ones was admitted while another unrelated one was refused: a check, with a flaw no usual one explains. */
  | 'admits-unrelated'
  | Exclude<OriginClass['id'], 'reflected' | 'wildcard'>;

/** One behaviour of the origin check: one root cause. */
export interface OriginCheck {
  readonly id: OriginCheckId;
  /** Why this and not a simpler explanation, in words that cite the observations. */
  readonly why: string;
  /** The outside origins this behaviour let in: its evidence. */
  readonly admitted: readonly string[];
}

const list = (origins: readonly string[]) => origins.join(', ');

/**
 * The behaviours of one server's origin check. Returns one entry per behaviour (none when no outsider got in); use
 * `behaviourOf` to find which behaviour admitted a given origin.
 */
export function inferOriginChecks(observations: readonly OriginObservation[], intended: readonly string[]): OriginCheck[] {
  const byOrigin = new Map<string, OriginObservation>();
  for (const o of observations) {
    const seen = byOrigin.get(o.origin);
    // Admitted anywhere is admitted: a route that answers without CORS headers does not make the check strict.
    if (!seen || (!seen.admitted && o.admitted)) byOrigin.set(o.origin, o);
  }
  const all = [...byOrigin.values()];
  const admitted = all.filter((o) => o.admitted);
  if (admitted.length === 0) return [];
  const refused = all.filter((o) => !o.admitted).map((o) => o.origin);
  const checks: OriginCheck[] = [];
  const wildcard = admitted.filter((o) => o.allowOrigin?.trim() === '*');
  if (wildcard.length) {
    checks.push({ id: 'wildcard', why: `Access-Control-Allow-Origin is *: every site may read what needs no credentials (${list(wildcard.map((o) => o.origin))} did)`, admitted: wildcard.map((o) => o.origin) });
  }
  const named = admitted.filter((o) => o.allowOrigin?.trim() !== '*');
  if (named.length === 0) return checks;
  const classOf = (origin: string) => originClass(origin, intended).id;
  const unrelatedAdmitted = named.filter((o) => classOf(o.origin) === 'reflected').map((o) => o.origin);
  // An unrelated origin refused (https://evil.test) is a check at work: admitted ones are then flaws of it, not a
  // reflection. A refused null alone does not tell: servers that reflect any origin often drop "null".
  const unrelatedRefused = refused.filter((o) => o !== 'null' && classOf(o) === 'reflected');
  if (unrelatedAdmitted.length > 0 && unrelatedRefused.length === 0) {
    const origins = named.map((o) => o.origin);
    checks.push({
      id: 'reflects-any',
      why: `the Origin is reflected whatever it is: ${list(unrelatedAdmitted)}, unrelated to ${list(intended)}, was admitted, so no pattern is at work${refused.length ? ` (only ${list(refused)} refused)` : ''}`,
      admitted: origins,
    });
    return checks;
  }
  if (refused.length === 0) {
    // No outsider was refused: a reflection and every loose pattern agree with what was seen.
    checks.push({
      id: 'admits-every-outsider-tried',
      why: `every outside origin tried was admitted (${list(named.map((o) => o.origin))}); none unrelated to ${list(intended)} was tried, so nothing tells a reflection of any origin from a loose pattern — add an unrelated attacker such as https://evil.test to tell`,
      admitted: named.map((o) => o.origin),
    });
    return checks;
  }
  // Some outsider was refused, and none unrelated admitted: there is a check, and how each admitted origin relates to
  // the allowed ones names a flaw of it. One check with several flaws is still one behaviour with one fix (compare
  // whole origins against the list): one cause, each flaw named with the origin that shows it.
  const byClass = new Map<OriginCheckId, { why: string; origins: string[] }>();
  for (const o of named) {
    const cls = originClass(o.origin, intended);
    const id: OriginCheckId = cls.id === 'reflected' ? 'admits-unrelated' : (cls.id as Exclude<OriginClass['id'], 'reflected' | 'wildcard'>);
    const why = cls.id === 'reflected' ? `${o.origin}, unrelated to ${list(intended)}, was admitted by a check (${list(unrelatedRefused)} ${unrelatedRefused.length === 1 ? 'was' : 'were'} refused) whose flaw none of the usual ones (prefix, suffix, unescaped dot, scheme, port, subdomain) explains` : cls.why;
    const entry = byClass.get(id) ?? { why, origins: [] };
    entry.origins.push(o.origin);
    byClass.set(id, entry);
  }
  const whileRefused = `while ${list(refused)} ${refused.length === 1 ? 'was' : 'were'} refused`;
  const flaws = [...byClass];
  const [only] = flaws;
  if (flaws.length === 1 && only) return [...checks, { id: only[0], why: `${only[1].why}, ${whileRefused}`, admitted: only[1].origins }];
  checks.push({ id: 'loose-pattern', why: `${flaws.map(([, f]) => f.why).join('; ')} — ${whileRefused}`, admitted: named.map((o) => o.origin) });
  return checks;
}

/** The behaviour that admitted an origin, of those inferred. */
export function behaviourOf(checks: readonly OriginCheck[], origin: string): OriginCheck | undefined {
  return checks.find((c) => c.admitted.includes(origin));
}
