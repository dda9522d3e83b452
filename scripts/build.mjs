// `npm run build` (and `prepare`, so `npm ci` and installing the package from a directory or git build it): emits the
// package's JavaScript and declarations into dist/ with tsconfig.build.json, then copies the assets the code reads at
// run time through `new URL('./assets/…', import.meta.url)` to the same places relative to the emitted modules.
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const ASSET_FOLDERS = ['servers/assets', 'lib/report/assets'];

rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });
if (compiled.status !== 0) {
  console.error('[cors-matrix] build failed: tsc -p tsconfig.build.json');
  process.exit(compiled.status ?? 1);
}
for (const folder of ASSET_FOLDERS) cpSync(join(root, folder), join(dist, folder), { recursive: true });
// stderr: an install that builds (npx, prepare) must leave stdout to the command that follows.
console.error(`[cors-matrix] built ${dist}`);
