// The exit codes of every cors-matrix command, defined once.

export const EXIT_OK = 0;
/** Something broke inside cors-matrix (or a run it started failed). */
export const EXIT_INTERNAL = 1;
/** Bad usage or bad input: named on stderr, before any engine starts. */
export const EXIT_USAGE_OR_INPUT = 2;
/** Stopped by Ctrl-C or SIGTERM. */
export const EXIT_INTERRUPTED = 130;
