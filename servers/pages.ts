import { readFileSync } from 'node:fs';

export const RUNNER_SCRIPT = readFileSync(new URL('./assets/runner.js', import.meta.url), 'utf8');

/** The page every case runs in. Its sandboxed frame has an opaque origin, so its requests carry `Origin: null`. */
export const RUNNER_PAGE = `<!doctype html>
<meta charset="utf-8">
<title>cors-matrix runner</title>
<script src="/__cm/runner.js"></script>
<iframe id="null-origin-frame" sandbox="allow-scripts" src="/__cm/frame"></iframe>
`;

export const NULL_FRAME_PAGE = `<!doctype html>
<meta charset="utf-8">
<title>cors-matrix null-origin frame</title>
<script src="/__cm/runner.js"></script>
`;

/** Cookies each target host holds before credentialed cases run, set by a first-party visit. */
export const HARNESS_COOKIES = ['cm_lax=1; Path=/; SameSite=Lax', 'cm_none=1; Path=/; SameSite=None; Secure'] as const;
