import { keysInText } from '../../model/case-identity.ts';

/** Something the engine said on its own, outside the page's view: a console line, a DevTools event. */
export interface EngineMessage {
  readonly at: number;
  readonly source: 'console' | 'devtools' | 'stdout';
  readonly text: string;
}


/** Collects what an engine says while cases run, filed by the case keys each message names. */
export class EngineMessageLog {
  readonly #byKey = new Map<string, EngineMessage[]>();

  add(source: EngineMessage['source'], text: string): void {
    const message: EngineMessage = { at: Date.now(), source, text: text.trim() };
    for (const key of keysInText(message.text)) {
      const filed = this.#byKey.get(key);
      if (filed) filed.push(message);
      else this.#byKey.set(key, [message]);
    }
  }

  /**
   * What the engine said about one case: messages from `since` (and before `until`) that name the case's key. Cases
   * run concurrently, so a message that names no case cannot be given to any.
   */
  forCase(caseKey: string, since: number, until?: number): EngineMessage[] {
    return (this.#byKey.get(caseKey) ?? []).filter((m) => m.at >= since && (until === undefined || m.at < until));
  }
}
