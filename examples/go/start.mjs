#!/usr/bin/env node
// The config's `command`: builds the API if it is not built yet, then runs it (it reads PORT itself).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const binary = fileURLToPath(new URL('./.build/api', import.meta.url));
if (!existsSync(binary) && spawnSync(process.execPath, [fileURLToPath(new URL('./build.mjs', import.meta.url))], { stdio: 'inherit' }).status !== 0) process.exit(1);
const child = spawn(binary, { stdio: 'inherit' });
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
