#!/usr/bin/env node
// Builds main.go into .build/api with Debian's Go, offline: GOPATH mode (GO111MODULE=off) against the sources Debian
// installs under /usr/share/gocode (rs/cors 1.7.0 from golang-github-rs-cors-dev). `npm install` runs it after
// setup.mjs; start.mjs runs it again when the binary is missing.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
mkdirSync(`${here}.build`, { recursive: true });
const result = spawnSync('go', ['build', '-o', '.build/api', 'main.go'], {
  cwd: here,
  stdio: 'inherit',
  env: { ...process.env, GO111MODULE: 'off', GOPATH: '/usr/share/gocode', GOFLAGS: '', GOPROXY: 'off', GOCACHE: process.env.GOCACHE ?? `${here}.build/cache` },
});
if (result.status !== 0) {
  console.error('[go example] go build failed (is golang-go installed? run `npm run setup`)');
  process.exit(1);
}
console.log('[go example] built .build/api');
