// json-server 0.17.4 from npm, started on a fresh copy of the seed database (the outsiders' writes change it).
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';

const here = dirname(fileURLToPath(import.meta.url));
const db = join(mkdtempSync(join(tmpdir(), 'json-server-')), 'db.json');
copyFileSync(join(here, 'db.seed.json'), db);
const bin = join(here, '..', 'node_modules', 'json-server', 'lib', 'cli', 'bin.js');
const child = spawn(process.execPath, [bin, '--host', '127.0.0.1', '--port', process.env['PORT'] ?? '3000', '--quiet', db], { stdio: 'inherit' });
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
