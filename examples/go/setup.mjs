#!/usr/bin/env node
// `npm install` runs this (postinstall): makes sure Debian's Go and rs/cors is installed, with apt-get, as root or through sudo.
// Nothing is downloaded from anywhere else.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const PACKAGES = ["golang-go", "golang-github-rs-cors-dev"];
const INSTALLED = ['/usr/bin/go', '/usr/share/gocode/src/github.com/rs/cors/cors.go'];
if (INSTALLED.every((file) => existsSync(file))) {
  console.log('[go example] Go and rs/cors is installed');
  process.exit(0);
}
const asRoot = process.getuid?.() === 0;
const sudo = !asRoot && spawnSync('sudo', ['-n', 'true']).status === 0;
if (!asRoot && !sudo) {
  console.error(`[go example] Go and rs/cors is missing; install it with: sudo apt-get install -y ${PACKAGES.join(' ')}`);
  process.exit(1);
}
const run = (args) => {
  const [cmd, ...rest] = asRoot ? args : ['sudo', '-n', ...args];
  const result = spawnSync(cmd, rest, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (result.status !== 0) {
    console.error(`[go example] failed: ${args.join(' ')}`);
    process.exit(1);
  }
};
console.log(`[go example] installing Debian's ${PACKAGES.join(', ')} with apt-get`);
run(['apt-get', 'update']);
run(['apt-get', 'install', '-y', '--no-install-recommends', ...PACKAGES]);
