#!/usr/bin/env node
// Runs the TypeScript CLI without a build step: tsx's ESM loader compiles lib/cli/*.ts on import.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../lib/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
