// The words every stage shares, kept at the bottom of the house so that the oracle and the model depend on nothing above.

/**
 * What a cross-origin request came to, as a script on the page would see it. `blocked-before-sending`: the engine
 * refused the request before any of it left the browser (mixed content), so no CORS step ran and the server saw nothing.
 */
export const VERDICTS = ['allowed', 'blocked-at-preflight', 'blocked-at-response', 'blocked-before-sending', 'harness-error'] as const;
export type Verdict = (typeof VERDICTS)[number];

export const ENGINE_NAMES = ['chromium', 'firefox', 'webkit'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

/** What the harness itself could not do, as a code an expectation can name; never a CORS result. */
export const HARNESS_PROBLEMS = ['timeout', 'engine-crashed', 'page-not-loaded', 'runner-failed', 'target-unreachable', 'server-fault', 'unparseable-request', 'no-arrival', 'no-answer', 'response-without-arrival', 'not-a-network-error', 'unconfirmed-block', 'certificate-refused', 'step-mark-lost', 'session-not-planted'] as const;
export type HarnessProblemCode = (typeof HARNESS_PROBLEMS)[number];
