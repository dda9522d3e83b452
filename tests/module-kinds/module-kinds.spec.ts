import { test, expect } from '@playwright/test';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// A user's project of either module kind, as npm makes it: cors-matrix packed from this tree and installed as a
// dependency, a cors-matrix.config.ts for a small server of the project's own, a spec that imports the config. In a
// CommonJS project (package.json without "type", as `npm init -y` wrote it for years) tsx and Playwright compile the
// config to CommonJS; before lib/model/load-module.ts, `cors-matrix check` read every config there as { default: … }.
// Each project must: check its valid config (exit 0), refuse a broken one naming the file and the wrong fields (exit
// 2, never "default"), and pass a real run of its server in Chromium.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** A tarball to install instead of packing this tree (e.g. one packed from a clean checkout). */
const GIVEN_TARBALL = process.env['CORS_MATRIX_TARBALL'];

interface Run {
  readonly code: number;
  readonly output: string;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment of a command typed in the user's project: nothing of this run's worker, npm script or colours. */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(TEST_|PW_|PLAYWRIGHT_(?!BROWSERS_PATH))/.test(key)) continue; // this worker's: the nested run would think it is one
    if (/^npm_(package_|lifecycle_|command$|config_local_prefix$)|^INIT_CWD$/.test(key)) continue; // npm's for this repository
    env[key] = value;
  }
  return { ...env, FORCE_COLOR: '0', NO_COLOR: '1' };
}

function run(command: string, args: readonly string[], cwd: string, timeout: number): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, [...args], { cwd, env: userEnv(), timeout, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr, output: `${stdout}\n${stderr}` });
    });
  });
}

/** Every .ts file under `folder`. */
function sources(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'))
    .map((name) => join(folder, name));
}

/** Packs this tree as npm publishes it, from the dist/ that is there; refuses a dist/ older than the sources. */
async function packTree(into: string): Promise<string> {
  if (GIVEN_TARBALL) return GIVEN_TARBALL;
  const built = join(ROOT, 'dist', 'lib', 'index.js');
  expect(existsSync(built), 'dist/ is missing: run `npm run build`').toBe(true);
  const builtAt = statSync(built).mtimeMs;
  const newer = [...sources(join(ROOT, 'lib')), ...sources(join(ROOT, 'servers'))].filter((file) => statSync(file).mtimeMs > builtAt);
  expect(newer, 'dist/ is older than these sources: run `npm run build`').toEqual([]);
  // The build is there already: no `prepare` (it would rebuild dist/ under every other run in this tree).
  const packed = await run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', into], ROOT, 120_000);
  expect(packed.code, packed.output).toBe(0);
  const tarball = readdirSync(into).find((name) => name.endsWith('.tgz'));
  expect(tarball, packed.output).toBeDefined();
  return join(into, tarball ?? '');
}

interface ModuleKind {
  readonly name: string;
  /** package.json's "type": none for CommonJS, as `npm init -y` wrote it before npm 11. */
  readonly type?: 'module';
  /** The project's own server, in the project's module kind: node server.js. */
  readonly server: string;
}

const SERVER_BODY = `
// Lets https://app.example.com read and PUT, and nobody else.
const ALLOWED = 'https://app.example.com';
createServer((req, res) => {
  const allowed = req.headers.origin === ALLOWED;
  res.setHeader('Vary', 'Origin');
  if (allowed) res.setHeader('Access-Control-Allow-Origin', ALLOWED);
  if (req.method === 'OPTIONS') {
    if (allowed) res.setHeader('Access-Control-Allow-Methods', 'GET, PUT');
    res.writeHead(204).end();
    return;
  }
  res.setHeader('Content-Type', 'text/plain');
  res.end('ok');
}).listen(Number(process.env.PORT), '127.0.0.1');
`;

const KINDS: readonly ModuleKind[] = [
  { name: 'a CommonJS project (package.json without "type")', server: `const { createServer } = require('node:http');\n${SERVER_BODY}` },
  { name: 'an ES module project ("type": "module")', type: 'module', server: `import { createServer } from 'node:http';\n${SERVER_BODY}` },
];

/** The project's files: path → text. */
function projectFiles(kind: ModuleKind, tarball: string): Record<string, string> {
  const manifest = {
    name: `cors-matrix-kinds-${kind.type ?? 'commonjs'}`,
    version: '1.0.0',
    private: true,
    ...(kind.type && { type: kind.type }),
    devDependencies: { '@playwright/test': '1.64.1', 'cors-matrix': `file:${tarball}` },
  };
  return {
    'package.json': `${JSON.stringify(manifest, null, 2)}\n`,
    'server.js': kind.server,
    'cors-matrix.config.ts': [
      `import { defineConfig } from 'cors-matrix';`,
      ``,
      `export default defineConfig({`,
      `  target: { command: 'node server.js', url: 'http://127.0.0.1:{port}/health' },`,
      `  apiOrigin: 'https://api.example.com',`,
      `  routes: [{ path: '/api/data', methods: ['GET', 'PUT'] }],`,
      `  intent: { origins: ['https://app.example.com'], methods: ['PUT'] },`,
      `  attackers: ['https://evil.test'],`,
      `});`,
      ``,
    ].join('\n'),
    // Two wrong fields: a misspelt key, and a route path without its slash.
    'broken/cors-matrix.config.ts': [
      `export default {`,
      `  target: { command: 'node server.js', url: 'http://127.0.0.1:{port}/health' },`,
      `  routes: [{ path: 'api/data', methods: ['GET', 'PUT'] }],`,
      `  intnet: { origins: ['https://app.example.com'] },`,
      `};`,
      ``,
    ].join('\n'),
    'tests/own-server.spec.ts': [`import { ownServerTests } from 'cors-matrix';`, `import config from '../cors-matrix.config.ts';`, ``, `ownServerTests(config);`, ``].join('\n'),
    'playwright.config.ts': [
      `import { defineConfig } from '@playwright/test';`,
      `import { matrixProjects, matrixReporters } from 'cors-matrix';`,
      ``,
      `export default defineConfig({`,
      `  testDir: './tests',`,
      `  timeout: 60_000,`,
      `  projects: matrixProjects({ engines: ['chromium'] }),`,
      `  reporter: matrixReporters(),`,
      `});`,
      ``,
    ].join('\n'),
  };
}

for (const kind of KINDS) {
  test(`${kind.name}: npx cors-matrix check and npx playwright test read its config`, async () => {
    const folder = mkdtempSync(join(tmpdir(), 'cors-matrix-kind-'));
    try {
      const tarball = await packTree(folder);
      const project = join(folder, 'project');
      for (const [path, text] of Object.entries(projectFiles(kind, tarball))) {
        mkdirSync(dirname(join(project, path)), { recursive: true });
        writeFileSync(join(project, path), text);
      }

      await test.step('npm install', async () => {
        // No lockfile: the tarball's dependencies as its package.json names them. Install scripts are npm 11's to gate.
        const installed = await run('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', '--prefer-offline', '--loglevel=error'], project, 300_000);
        expect(installed.code, installed.output).toBe(0);
        expect(existsSync(join(project, 'node_modules', 'cors-matrix', 'dist', 'lib', 'model', 'load-module.js'))).toBe(true);
      });

      await test.step('npx cors-matrix check: the valid config passes', async () => {
        // --no: the project's own cors-matrix, never one fetched from the registry.
        const checked = await run('npx', ['--no', 'cors-matrix', 'check'], project, 60_000);
        expect({ code: checked.code, stdout: checked.stdout, stderr: checked.stderr }).toEqual({
          code: 0,
          stdout: 'cors-matrix.config.ts: ok (default export: cors-matrix config)\n',
          stderr: '',
        });
      });

      await test.step('npx cors-matrix check: the broken config is refused, naming the file and the wrong fields', async () => {
        const checked = await run('npx', ['--no', 'cors-matrix', 'check', 'broken/cors-matrix.config.ts'], project, 60_000);
        expect(checked.code, checked.output).toBe(2);
        expect(checked.stderr).toContain('broken/cors-matrix.config.ts: field routes[0].path: must be a path starting with "/"');
        expect(checked.stderr).toContain('broken/cors-matrix.config.ts: field (the config): Unrecognized key: "intnet"');
        expect(checked.stderr).not.toContain('"default"');
      });

      await test.step('npx playwright test: the config reaches the run, and the run passes in Chromium', async () => {
        const ran = await run('npx', ['--no', 'playwright', 'test'], project, 240_000);
        expect(ran.code, ran.output).toBe(0);
        const tally = /^cors-matrix: (\d+) passed, (\d+) failed, (\d+) skipped$/m.exec(ran.stdout);
        expect(tally, ran.output).not.toBeNull();
        expect(Number(tally?.[1])).toBeGreaterThan(0);
        expect([tally?.[2], tally?.[3]]).toEqual(['0', '0']);
        // The config's own route, API origin and attacker arrived: titles are built from them.
        expect(ran.stdout).toContain('from https://app.example.com to https://api.example.com/api/data, your server → allowed');
        expect(ran.stdout).toContain('from https://evil.test to https://api.example.com/api/data, your server → blocked');
      });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
}
