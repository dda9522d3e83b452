import type { RequestListener } from 'node:http';
import type { Policy } from '../lib/model/policy.ts';
import { caseKey } from '../lib/model/case-identity.ts';

/** What answers a case: a declared policy, or a real app (a middleware behind its framework). */
export type CaseTarget =
  | { readonly kind: 'policy'; readonly policy: Policy }
  | { readonly kind: 'app'; readonly listener: RequestListener }
  /** A server outside the harness, reached through the front proxy: the key only names the case in the ledger. */
  | { readonly kind: 'external' };

/** Which target answers which case. Every case gets its own URL, so no case sees another's preflight cache. */
export class CaseRegistry {
  readonly #targets = new Map<string, CaseTarget>();
  #sequence = 0;

  /** Registers a target under a fresh key and returns the key (the last segment of the case's URL). */
  register(caseId: string, target: CaseTarget | Policy): string {
    const key = caseKey(caseId, ++this.#sequence);
    this.#targets.set(key, 'kind' in target ? target : { kind: 'policy', policy: target });
    return key;
  }

  targetFor(key: string): CaseTarget | undefined {
    return this.#targets.get(key);
  }
}
