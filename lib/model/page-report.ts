import type { HarnessProblemCode } from '../oracle/vocabulary.ts';
/** What the in-page runner is asked to do: one fetch, exactly as a script on that page would make it. */
export interface PageRequest {
  /**
   * How the script makes the request. Absent or `fetch`: the runner's own fetch. Any other kind is performed by
   * `window.__corsMatrixKinds[kind](request)` (servers/assets/request-kinds.js), which resolves to a PageReport.
   */
  readonly kind?: string;
  readonly url: string;
  readonly method: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: string | null;
  readonly credentials: RequestCredentials;
  readonly mode: RequestMode;
  readonly redirect: RequestRedirect;
  /** Run inside the page's sandboxed frame, whose origin is opaque (`Origin: null`). */
  readonly inNullFrame: boolean;
  readonly timeoutMs: number;
}

/** Requests the page makes one after another, each after its own wait: one case, or the steps of a sequence. */
export interface PageUnit {
  readonly steps: readonly {
    readonly request: PageRequest;
    readonly afterMs: number;
    /** Fetched (same-origin) just before the step, so the server can tell which step its arrivals belong to. */
    readonly markUrl?: string;
  }[];
}

/** What one step of a unit came to, with the page's clock around it (the server's ledger runs on the same clock). */
export interface PageStepReport {
  readonly report: PageReport;
  readonly startedAt: number;
  readonly finishedAt: number;
}

/** What the script on the page could see. */
export type PageReport =
  | {
      readonly kind: 'resolved';
      readonly status: number;
      readonly type: string;
      readonly headers: readonly (readonly [string, string])[];
      readonly body: string;
    }
  | { readonly kind: 'rejected'; readonly name: string; readonly message: string }
  | { readonly kind: 'harness-error'; readonly message: string; readonly code: HarnessProblemCode };
