/** Something the engine said on its own, outside the page's view: a console line, a DevTools event. */
export interface EngineMessage {
  readonly at: number;
  readonly source: 'console' | 'devtools' | 'stdout';
  readonly text: string;
}

const CASE_KEY_IN_URL = /\/api\/([A-Za-z0-9-]+)/g;

/** Collects what an engine says while cases run, so each case can be given the engine's own reason for a block. */
export class EngineMessageLog {
  readonly #messages: EngineMessage[] = [];

  add(source: EngineMessage['source'], text: string): void {
    this.#messages.push({ at: Date.now(), source, text: text.trim() });
    if (this.#messages.length > 5000) this.#messages.splice(0, 1000);
  }

  /** Messages from `since` on, except those that name another case's URL (cases run one after another per engine). */
  forCase(caseKey: string, since: number): EngineMessage[] {
    return this.#messages.filter((m) => {
      if (m.at < since) return false;
      const keys = [...m.text.matchAll(CASE_KEY_IN_URL)].map((match) => match[1]);
      return keys.length === 0 || keys.includes(caseKey);
    });
  }
}
