// Vite 7's dev server from npm, as developers run it: no CORS option given, so its default applies (an origin check
// that lets localhost and 127.0.0.1 pages read, on any port and any subdomain of localhost). `--config FILE` runs it
// with a vite.config instead (the fix the diagnosis printed, pasted: ../vite-fixed).
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '..', 'node_modules', 'vite', 'bin', 'vite.js');
const config = process.argv.indexOf('--config');
const configArgs = config > 0 ? ['--config', process.argv[config + 1]] : [];
const child = spawn(process.execPath, [bin, '--host', '127.0.0.1', '--port', process.env['PORT'] ?? '5173', '--strictPort', '--clearScreen', 'false', ...configArgs], { cwd: here, stdio: 'inherit' });
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
