import { keysInText } from '../../model/case-identity.ts';

/** Something the engine said on its own, outside the page's view: a console line, a DevTools event. */
export interface EngineMessage {
  readonly at: number;
  readonly source: 'console' | 'devtools' | 'stdout';
  readonly text: string;
  /** The request the engine itself attached the message to (WebKit's inspector gives it as a field), when it did. */
  readonly url?: string;
}

/** One case whose message is awaited: its key, and the time from which a message counts (a sequence's steps share a key). */
export interface AwaitedCase {
  readonly key: string;
  readonly since?: number;
}

interface Waiter {
  readonly missing: Map<string, number>;
  readonly accept: (message: EngineMessage) => boolean;
  readonly done: () => void;
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
      for (const key of keys) if ((waiter.missing.get(key) ?? Infinity) <= message.at) waiter.missing.delete(key);
      // done() removes the waiter from the set being iterated, which a Set allows.
      if (waiter.missing.size === 0) waiter.done();
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
   * Waits until every case has a message (from its `since` on) that `accept` takes, or `timeoutMs` has passed: an
   * engine says why a fetch failed a moment after the page saw it fail, over another channel. Resolves with the keys
   * still without one (empty when all arrived); never rejects.
   */
  waitFor(cases: readonly AwaitedCase[], timeoutMs: number, accept: (message: EngineMessage) => boolean = () => true): Promise<string[]> {
    // A key awaited twice (two steps of a sequence) waits for a message after the later step began.
    const missing = new Map<string, number>();
    for (const { key, since = 0 } of cases) missing.set(key, Math.max(since, missing.get(key) ?? -Infinity));
    for (const [key, since] of missing) if (this.forCase(key, since).some(accept)) missing.delete(key);
    if (missing.size === 0 || timeoutMs <= 0) return Promise.resolve([...missing.keys()]);
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(waiter);
        resolve([...missing.keys()]);
      };
      const waiter: Waiter = { missing, accept, done: finish };
      const timer = setTimeout(finish, timeoutMs);
      this.#waiters.add(waiter);
    });
  }
}
