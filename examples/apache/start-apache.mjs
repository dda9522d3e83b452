#!/usr/bin/env node
// The config's `command`: runs Debian's Apache in the foreground on PORT (cors-matrix picks a free one), with its pid
// file and documents in a fresh temp dir, never in the repository; removes the dir when Apache exits or this process
// is told to stop.
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const port = process.env.PORT;
if (!port || !/^\d+$/.test(port)) {
  console.error('start-apache: PORT must be set to a port number (cors-matrix sets it from {port} in target.url)');
  process.exit(2);
}
const runtime = mkdtempSync(join(tmpdir(), 'cors-matrix-apache-'));
chmodSync(runtime, 0o755);
mkdirSync(join(runtime, 'htdocs', 'api'), { recursive: true });
writeFileSync(join(runtime, 'htdocs', 'health'), '"ok"\n');
writeFileSync(join(runtime, 'htdocs', 'api', 'orders'), '{"orders":[]}\n');

const conf = fileURLToPath(new URL('./apache2.conf', import.meta.url));
const asRoot = process.getuid?.() === 0 ? ['-DAS_ROOT'] : [];
const child = spawn('/usr/sbin/apache2', ['-f', conf, '-DFOREGROUND', ...asRoot], { stdio: 'inherit', env: { ...process.env, APACHE_RUNTIME: runtime } });
const clean = () => rmSync(runtime, { recursive: true, force: true });
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => {
  clean();
  process.exit(code ?? (signal ? 0 : 1));
});
