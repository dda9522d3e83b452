#!/usr/bin/env node
// The config's `command` runs this: esbuild's dev server (`context.serve`) on 127.0.0.1 and the port given as
// `--port` (cors-matrix fills {port} in), bundling src/app.js with a source map, in memory (nothing written to disk).
import * as esbuild from 'esbuild';

const flag = process.argv.indexOf('--port');
const port = Number(process.argv[flag + 1]);
if (flag < 0 || !Number.isInteger(port)) {
  console.log('serve.mjs: give the port as --port N');
  process.exit(2);
}
const ctx = await esbuild.context({
  entryPoints: ['src/app.js'],
  bundle: true,
  sourcemap: true,
  outdir: 'www/assets',
  write: false,
  logLevel: 'info',
});
// Flawed on purpose (declared as findings): `origin: '*'`, added so that another local app (http://localhost:3000)
// could load the bundle, lets every site the developer visits read it — and its source map, the original source.
// The fix: `cors: { origin: 'http://localhost:3000' }`. (Before 0.25.0 esbuild's serve sent `*` on its own:
// GHSA-67mh-4wv8-2f99.)
await ctx.serve({ host: '127.0.0.1', port, servedir: 'www', cors: { origin: '*' } });
