// `npm run build` (and `prepare`, so `npm ci` and installing the package from a directory or git build it): emits the
// package's JavaScript and declarations into dist/ with tsconfig.build.json, then copies the assets the code reads at
// run time through `new URL('./assets/…', import.meta.url)` to the same places relative to the emitted modules.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const ASSET_FOLDERS = ['servers/assets', 'lib/report/assets'];

// A build newer than everything it was built from is not redone: installing this tree from a directory (each example,
// each packed test project) runs `prepare` again, and each rebuild is ~15 s of CPU for the same output. The inputs are
// the source folders dist/ holds a copy of, the two tsconfigs, package.json, package-lock.json (the compiler's version)
// and this script; any newer file (an edit, a checkout) rebuilds everything. `npm run build -- --force` rebuilds regardless.
const STAMP = join(dist, '.built');
function newestInput() {
  let newest = 0;
  const visit = (path) => {
    const stat = statSync(path);
    newest = Math.max(newest, stat.mtimeMs);
    if (stat.isDirectory()) for (const entry of readdirSync(path)) visit(join(path, entry));
  };
  const folders = readdirSync(dist, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(root, e.name));
  for (const path of [...folders, ...['tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json', 'scripts/build.mjs'].map((f) => join(root, f))]) {
    if (existsSync(path)) visit(path);
  }
  return newest;
}
if (!process.argv.includes('--force') && existsSync(STAMP) && newestInput() < statSync(STAMP).mtimeMs) {
  console.error(`[cors-matrix] ${dist} is newer than its sources: not rebuilt`);
  process.exit(0);
}
rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });
if (compiled.status !== 0) {
  console.error('[cors-matrix] build failed: tsc -p tsconfig.build.json');
  process.exit(compiled.status ?? 1);
}
for (const folder of ASSET_FOLDERS) cpSync(join(root, folder), join(dist, folder), { recursive: true });
writeFileSync(STAMP, `${new Date().toISOString()}\n`);
// stderr: an install that builds (npx, prepare) must leave stdout to the command that follows.
console.error(`[cors-matrix] built ${dist}`);
