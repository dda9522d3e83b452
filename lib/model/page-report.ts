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
  | { readonly kind: 'harness-error'; readonly message: string };
