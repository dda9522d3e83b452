#!/usr/bin/env node
// Runs the built CLI (dist/, made by `npm run build`, which `npm install` and `npm ci` run through `prepare`): plain
// JavaScript, no TypeScript compiler at run time, and nothing on stdout but the command's own output.
import { existsSync } from 'node:fs';

const main = new URL('../dist/lib/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  console.error('cors-matrix: dist/ is missing — run `npm run build` in the cors-matrix folder first');
  process.exit(2);
}
const { main: run } = await import(main.href);
process.exitCode = await run(process.argv.slice(2));
