// The exit codes of every cors-matrix command, defined once.

export const EXIT_OK = 0;
/** Something broke inside cors-matrix (or a run it started failed). */
export const EXIT_INTERNAL = 1;
/** `scan`: the audit found something (a root cause, or a case not as the intent says). Shares 1 with a failed run. */
export const EXIT_FINDINGS = 1;
/** Bad usage or bad input: named on stderr, before any engine starts. */
export const EXIT_USAGE_OR_INPUT = 2;
/** `scan`: the target was not reached (DNS, refused, TLS, a login redirect, a block page); the reason is named once. */
export const EXIT_UNREACHABLE = 3;
/** Stopped by Ctrl-C or SIGTERM. */
export const EXIT_INTERRUPTED = 130;
