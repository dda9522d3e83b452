import { keysInText } from '../../model/case-identity.ts';

/** Something the engine said on its own, outside the page's view: a console line, a DevTools event. */
export interface EngineMessage {
  readonly at: number;
  readonly source: 'console' | 'devtools' | 'stdout';
  readonly text: string;
  /** The request the engine itself attached the message to (WebKit's inspector gives it as a field), when it did. */
  readonly url?: string;
}

/**
 * One case whose message is awaited: its key, the time from which a message counts (a sequence's steps share a key),
 * and when the page saw it fail — its own wait is counted from there, so a case that failed early in a long call
 * holds nothing by the time the call returns.
 */
export interface AwaitedCase {
  readonly key: string;
  readonly since?: number;
  readonly failedAt?: number;
}

interface Awaited {
  readonly since: number;
  readonly deadline: number;
}

interface Waiter {
  readonly missing: Map<string, Awaited>;
  readonly accept: (message: EngineMessage) => boolean;
  /** Called when a message took keys off `missing`: the waiter ends, or waits until the latest deadline left. */
  readonly heard: () => void;
}

/** Collects what an engine says while cases run, filed by the case keys each message names. */
export class EngineMessageLog {
  readonly #byKey = new Map<string, EngineMessage[]>();
  readonly #waiters = new Set<Waiter>();

  /**
   * Files a message under the case keys it names: those in `url` when the engine attached the message to a request,
   * else those in the text itself.
   */
  add(source: EngineMessage['source'], text: string, url?: string): void {
    const message: EngineMessage = { at: Date.now(), source, text: text.trim(), ...(url !== undefined && { url }) };
    const keys = keysInText(url ?? message.text);
    for (const key of keys) {
      const filed = this.#byKey.get(key);
      if (filed) filed.push(message);
      else this.#byKey.set(key, [message]);
    }
    for (const waiter of this.#waiters) {
      if (!waiter.accept(message)) continue;
      let took = false;
      for (const key of keys) {
        if ((waiter.missing.get(key)?.since ?? Infinity) > message.at) continue;
        waiter.missing.delete(key);
        took = true;
      }
      // heard() may remove the waiter from the set being iterated, which a Set allows.
      if (took) waiter.heard();
    }
  }

  /**
   * What the engine said about one case: messages from `since` (and before `until`) that name the case's key. Cases
   * run concurrently, so a message that names no case cannot be given to any.
   */
  forCase(caseKey: string, since: number, until?: number): EngineMessage[] {
    return (this.#byKey.get(caseKey) ?? []).filter((m) => m.at >= since && (until === undefined || m.at < until));
  }

  /**
   * Waits until every case has a message (from its `since` on) that `accept` takes, or `timeoutMs` has passed since it
   * failed (`failedAt`, else now): an engine says why a fetch failed a moment after the page saw it fail, over another
   * channel. Resolves with the keys still without one (empty when all arrived); never rejects.
   */
  waitFor(cases: readonly AwaitedCase[], timeoutMs: number, accept: (message: EngineMessage) => boolean = () => true): Promise<string[]> {
    const now = Date.now();
    // A key awaited twice (two steps of a sequence) waits for a message after the later step began.
    const missing = new Map<string, Awaited>();
    for (const { key, since = 0, failedAt = now } of cases) {
      const earlier = missing.get(key);
      missing.set(key, { since: Math.max(since, earlier?.since ?? -Infinity), deadline: Math.max(failedAt + timeoutMs, earlier?.deadline ?? -Infinity) });
    }
    for (const [key, { since }] of missing) if (this.forCase(key, since).some(accept)) missing.delete(key);
    const latest = (): number => Math.max(-Infinity, ...[...missing.values()].map((m) => m.deadline));
    if (missing.size === 0 || latest() <= now) return Promise.resolve([...missing.keys()]);
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(waiter);
        resolve([...missing.keys()]);
      };
      const arm = (): void => {
        clearTimeout(timer);
        const left = latest() - Date.now();
        if (missing.size === 0 || left <= 0) finish();
        else timer = setTimeout(finish, left);
      };
      const waiter: Waiter = { missing, accept, heard: arm };
      this.#waiters.add(waiter);
      arm();
    });
  }
}
