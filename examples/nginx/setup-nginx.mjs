#!/usr/bin/env node
// `npm install` runs this (postinstall): makes sure Debian's nginx is installed, with apt-get, as root or through
// sudo. nginx is never downloaded from anywhere else.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const installed = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx'].some((file) => existsSync(file));
if (installed) {
  console.log('[nginx example] nginx is installed');
  process.exit(0);
}
const asRoot = process.getuid?.() === 0;
const sudo = !asRoot && spawnSync('sudo', ['-n', 'true']).status === 0;
if (!asRoot && !sudo) {
  console.error('[nginx example] nginx is missing; install it with: sudo apt-get install -y nginx');
  process.exit(1);
}
const run = (args) => {
  const [cmd, ...rest] = asRoot ? args : ['sudo', '-n', ...args];
  const result = spawnSync(cmd, rest, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (result.status !== 0) {
    console.error(`[nginx example] failed: ${args.join(' ')}`);
    process.exit(1);
  }
};
console.log('[nginx example] installing Debian\'s nginx with apt-get');
run(['apt-get', 'update']);
run(['apt-get', 'install', '-y', '--no-install-recommends', 'nginx']);
