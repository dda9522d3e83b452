#!/usr/bin/env node
// The config's `command`: runs Debian's nginx in the foreground on PORT (cors-matrix picks a free one), with
// nginx.conf copied into a fresh temp dir so that its pid and temp files never touch the repository; removes the dir
// when nginx exits or this process is told to stop.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

const port = process.env.PORT;
if (!port || !/^\d+$/.test(port)) {
  console.error('start-nginx: PORT must be set to a port number (cors-matrix sets it from {port} in target.url)');
  process.exit(2);
}
const candidates = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin'].map((dir) => join(dir, 'nginx'));
const nginx = candidates.find((file) => existsSync(file));
if (!nginx) {
  console.error('start-nginx: nginx is not installed; run `npm run setup` (apt-get install nginx)');
  process.exit(2);
}

const runtime = mkdtempSync(join(tmpdir(), 'cors-matrix-nginx-'));
mkdirSync(join(runtime, 'tmp'));
mkdirSync(join(runtime, 'logs'));
const conf = readFileSync(new URL('./nginx.conf', import.meta.url), 'utf8').replaceAll('{port}', port);
writeFileSync(join(runtime, 'nginx.conf'), conf);

const child = spawn(nginx, ['-p', `${runtime}/`, '-c', join(runtime, 'nginx.conf')], { stdio: 'inherit' });
const clean = () => rmSync(runtime, { recursive: true, force: true });
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => child.kill('SIGTERM'));
}
child.on('exit', (code, signal) => {
  clean();
  process.exit(code ?? (signal ? 0 : 1));
});
