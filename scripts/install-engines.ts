// Installs the three engines after `npm install`: Playwright's own builds where they can be downloaded,
// Debian's packages where they cannot. Prints which engines it ended up with.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ENGINE_NAMES, type EngineName } from '../lib/measure/engines/engine.ts';
import { findBuild, MissingEngineError, SYSTEM_BUILDS } from '../lib/measure/engines/find-builds.ts';
import { findVarnishd } from '../servers/shared-cache.ts';

const SKIP_VARIABLE = 'CORS_MATRIX_SKIP_ENGINE_INSTALL';
// varnish: the shared cache the shared-cache family puts between the engines and the API (servers/shared-cache.ts).
const DEBIAN_PACKAGES = ['chromium', 'firefox-esr', 'webkit2gtk-driver', 'xvfb', 'varnish'];
const CACHE_PACKAGE = 'varnish';

function say(line: string): void {
  console.log(`[cors-matrix] ${line}`);
}

function run(command: string, args: readonly string[], timeoutMs: number): boolean {
  say(`$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', timeout: timeoutMs, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return result.status === 0;
}

function missingEngines(): EngineName[] {
  return ENGINE_NAMES.filter((name) => {
    try {
      findBuild(name);
      return false;
    } catch (error) {
      if (error instanceof MissingEngineError) return true;
      throw error;
    }
  });
}

function report(): number {
  const missing: string[] = [];
  for (const name of ENGINE_NAMES) {
    try {
      const found = findBuild(name);
      say(`${name.padEnd(8)} ${found.build} build: ${found.executable}`);
    } catch (error) {
      if (!(error instanceof MissingEngineError)) throw error;
      say(`${name.padEnd(8)} MISSING`);
      missing.push(error.message);
    }
  }
  const varnishd = findVarnishd();
  say(`${'cache'.padEnd(8)} ${varnishd ?? `MISSING: install Debian's "${CACHE_PACKAGE}" package, or the shared-cache family's cases are harness errors naming it`}`);
  for (const message of missing) console.error(`\n[cors-matrix] ${message}`);
  return missing.length;
}

function install(): void {
  const cacheMissing = findVarnishd() === undefined;
  if (missingEngines().length === 0 && !cacheMissing) return;
  const playwrightCli = 'node_modules/.bin/playwright';
  // Download first and install system dependencies only for builds that arrived: where nothing can be
  // downloaded, `--with-deps` would spend minutes on packages for browsers that never come.
  if (missingEngines().length === 0) {
    // Only the cache is missing: no engine download.
  } else if (existsSync(playwrightCli) && run(playwrightCli, ['install', ...ENGINE_NAMES], 10 * 60_000)) {
    run(playwrightCli, ['install-deps', ...ENGINE_NAMES], 15 * 60_000);
  } else {
    say("Playwright's own builds could not be downloaded; falling back to the system builds.");
  }
  const stillMissing = missingEngines();
  if (stillMissing.length === 0 && !cacheMissing) return;
  if (process.platform !== 'linux' || !existsSync('/usr/bin/apt-get')) {
    const packages = [...stillMissing.map((n) => SYSTEM_BUILDS[n].package), ...(cacheMissing ? [CACHE_PACKAGE] : [])];
    say(`no apt-get here: install ${packages.join(', ')} with your package manager`);
    return;
  }
  const asRoot = process.getuid?.() === 0;
  const apt = asRoot ? ['apt-get'] : ['sudo', 'apt-get'];
  const [command = 'apt-get', ...prefix] = apt;
  run(command, [...prefix, 'update', '-qq'], 10 * 60_000);
  // Engines missing: every package (the engines need Xvfb and each other's libraries); only the cache: just it.
  run(command, [...prefix, 'install', '-y', '-qq', ...(stillMissing.length > 0 ? DEBIAN_PACKAGES : [CACHE_PACKAGE])], 20 * 60_000);
}

if (process.env[SKIP_VARIABLE]) {
  say(`${SKIP_VARIABLE} is set: not installing engines.`);
} else {
  install();
}
const missing = report();
if (missing > 0) {
  say(`${missing} engine(s) missing: \`npm test\` will fail for them, naming the fix.`);
}
