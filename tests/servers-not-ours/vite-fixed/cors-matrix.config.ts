import { defineConfig } from '../../../lib/index.ts';
import viteConfig from '../vite/cors-matrix.config.ts';

// The same dev server and intent as ../vite, run with the vite.config that check-diagnosis.mjs wrote from the fix the
// diagnosis printed for it (vite.config.mjs here, not kept in git): the fix, pasted, must close the hole.
const here = new URL('.', import.meta.url).pathname;
export default defineConfig({ ...viteConfig, target: { ...viteConfig.target, command: `node ../vite/start.mjs --config ${here}vite.config.mjs`, cwd: here } });
