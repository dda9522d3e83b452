/**
 * How a swept version reaches the project's code without touching its node_modules: every `require()` and `import`
 * of the swept package (or of one of its subpaths, `hono/cors`), from any module — the project's own code, the
 * suite's app, a package that depends on it, cors-matrix's adapters — resolves from the scratch folder where that
 * version is installed, and everything else as usual. That is what an npm `overrides` entry gives an install, for
 * one package, with nothing installed but that package.
 *
 * It is two small hook files written into the sweep's scratch folder and preloaded through NODE_OPTIONS, so Playwright,
 * its workers and an own-server command (`node server.js`, `npx tsx server.ts`) all inherit them: a CommonJS resolver
 * patch (Node 20 has no synchronous hooks for require), and an ES module resolve hook registered from it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SWEEP_PACKAGE_ENV, SWEEP_ROOT_ENV } from '../middleware/package-override.ts';

const COMMONJS_HOOK = `'use strict';
// Written by cors-matrix sweep (lib/cli/sweep-redirect.ts): resolves the package named by ${SWEEP_PACKAGE_ENV} and its
// subpaths from ${SWEEP_ROOT_ENV}, the folder where the swept version is installed, for require() and import alike.
const Module = require('node:module');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');
const pkg = process.env[${JSON.stringify(SWEEP_PACKAGE_ENV)}];
const root = process.env[${JSON.stringify(SWEEP_ROOT_ENV)}];
if (pkg && root && !globalThis.__corsMatrixSweepRedirect) {
  globalThis.__corsMatrixSweepRedirect = true;
  const anchor = join(root, 'package.json');
  const fromRoot = new Module(anchor, null);
  fromRoot.filename = anchor;
  fromRoot.paths = Module._nodeModulePaths(root);
  const swept = (request) => typeof request === 'string' && (request === pkg || request.startsWith(pkg + '/'));
  const resolveFilename = Module._resolveFilename;
  Module._resolveFilename = function (request, parent, isMain, options) {
    return swept(request) ? resolveFilename.call(this, request, fromRoot, false, options) : resolveFilename.call(this, request, parent, isMain, options);
  };
  Module.register(pathToFileURL(join(__dirname, 'redirect.mjs')).href, { data: { pkg, anchor: pathToFileURL(anchor).href } });
}
`;

const MODULE_HOOK = `// Written by cors-matrix sweep (lib/cli/sweep-redirect.ts): the import side of redirect.cjs.
let pkg = '';
let anchor = '';
export function initialize(data) {
  pkg = data.pkg;
  anchor = data.anchor;
}
export async function resolve(specifier, context, next) {
  if (specifier === pkg || specifier.startsWith(pkg + '/')) return next(specifier, { ...context, parentURL: anchor });
  return next(specifier, context);
}
`;

/**
 * Writes the hooks into `dir` and returns the environment that turns them on for `packageName` installed under
 * `root` (its node_modules): add it to the environment of the run.
 */
export function redirectEnvironment(dir: string, packageName: string, root: string, inherited: string | undefined = process.env['NODE_OPTIONS']): Record<string, string> {
  const hook = join(dir, 'redirect.cjs');
  writeFileSync(hook, COMMONJS_HOOK);
  writeFileSync(join(dir, 'redirect.mjs'), MODULE_HOOK);
  return {
    [SWEEP_PACKAGE_ENV]: packageName,
    [SWEEP_ROOT_ENV]: root,
    NODE_OPTIONS: [`--require ${JSON.stringify(hook)}`, inherited ?? ''].join(' ').trim(),
  };
}
