import { test, expect } from '@playwright/test';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultExportOf, moduleExports } from '../../lib/model/load-module.ts';

// A user's files read alike whichever module system compiles them. In a package without "type": "module" (what
// `npm init -y` writes), or outside any package, tsx compiles `export default X` to CommonJS and Node's import()
// answers { default: { default: X } }; read naively, every config looked like { default: … } ("Unrecognized key:
// "default"") and the field really wrong was never named. Each row writes real files in a real folder of its kind
// and runs the real CLI on them (`node bin/cors-matrix.mjs check`, which runs dist/: `npm test` builds it first) in a
// Node process of its own, from the folder, as a user runs it. (From the source tree through tsx, tsx's own interop
// hides the problem: only the built CLI shows it.)

const CONFIG = {
  target: { url: 'http://127.0.0.1:8080/health' },
  routes: [{ path: '/api/orders', methods: ['GET', 'PUT'] }],
  intent: { origins: ['https://app.example.com'], methods: ['PUT'] },
};
const MISSPELT = { target: CONFIG.target, routes: CONFIG.routes, intnet: CONFIG.intent };
const BAD_ROUTE = { ...CONFIG, routes: [{ path: 'api/orders' }] };
const FAMILY = {
  family: 'module-kinds',
  proves: 'that a family loads alike in CommonJS and ESM',
  cases: [{ server: 'allows any origin', to: 'cross-site', request: { method: 'GET' }, policy: { allowOrigin: '*' } }],
};
const OTHER_FAMILY = { ...FAMILY, family: 'module-kinds-other', cases: [{ ...FAMILY.cases[0], server: 'allows any origin, again' }] };
const SUITE = { middleware: 'express-cors', label: 'kinds', optionsText: '{ origin: page }', intent: { origins: ['page'] } };
const suiteSource = `[{ ...${JSON.stringify(SUITE)}, options: (o: Record<string, string>) => ({ origin: o['page'] }) }]`;
const js = (value: unknown) => JSON.stringify(value, null, 2);

interface Kind {
  readonly name: string;
  /** package.json of the folder; undefined: no package.json in the folder or any folder above. */
  readonly manifest?: Record<string, unknown>;
  readonly commonJs: boolean;
}

const KINDS: readonly Kind[] = [
  { name: 'a CommonJS package without "type" (npm init -y before npm 11)', manifest: { name: 'kinds-cjs', version: '1.0.0' }, commonJs: true },
  { name: 'a CommonJS package with "type": "commonjs" (npm init -y in npm 11)', manifest: { name: 'kinds-commonjs', version: '1.0.0', type: 'commonjs' }, commonJs: true },
  { name: 'an ES module package ("type": "module")', manifest: { name: 'kinds-esm', version: '1.0.0', type: 'module' }, commonJs: false },
  { name: 'files outside any package', commonJs: true },
];

/** The files each folder gets: path → source. `.js` is CommonJS or ESM as the folder is. */
function files(kind: Kind): Record<string, string> {
  const cjsJs = kind.commonJs;
  return {
    'cors-matrix.config.ts': `// export default, as the README writes it.\nexport default ${js(CONFIG)};\n`,
    'misspelt/cors-matrix.config.ts': `export default ${js(MISSPELT)};\n`,
    'bad-route/cors-matrix.config.ts': `export default ${js(BAD_ROUTE)};\n`,
    'mts/cors-matrix.config.mts': `export default ${js(CONFIG)};\n`,
    'cts/cors-matrix.config.cts': `export default ${js(CONFIG)};\n`,
    'cjs/cors-matrix.config.cjs': `module.exports = ${js(CONFIG)};\n`,
    'cjs-bad/cors-matrix.config.cjs': `module.exports = ${js(MISSPELT)};\n`,
    'js/cors-matrix.config.js': cjsJs ? `module.exports = ${js(CONFIG)};\n` : `export default ${js(CONFIG)};\n`,
    'suites.ts': `export default ${suiteSource};\n`,
    'family.ts': `export default ${js(FAMILY)};\n`,
    // Named exports only, like scenarios/index.ts.
    'index.ts': `export const first = ${js(FAMILY)};\nexport const second = ${js(OTHER_FAMILY)};\n`,
    'named.cjs': `exports.first = ${js(FAMILY)};\nexports.second = ${js(OTHER_FAMILY)};\n`,
    'suites.cjs': `module.exports = [{ ...${js(SUITE)}, options: (o) => ({ origin: o.page }) }];\n`,
  };
}

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'bin', 'cors-matrix.mjs');

function runCheck(cwd: string, targets: readonly string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, 'check', ...targets], { cwd, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

function folderOf(kind: Kind): string {
  const folder = mkdtempSync(join(tmpdir(), 'cors-matrix-kinds-'));
  if (kind.manifest) writeFileSync(join(folder, 'package.json'), `${js(kind.manifest)}\n`);
  for (const [path, source] of Object.entries(files(kind))) {
    mkdirSync(dirname(join(folder, path)), { recursive: true });
    writeFileSync(join(folder, path), source);
  }
  return folder;
}

/** The folders above `folder` that hold a package.json: none, for "outside any package" to mean anything. */
const manifestsAbove = (folder: string): string[] => {
  const found: string[] = [];
  for (let up = dirname(folder); dirname(up) !== up; up = dirname(up)) if (existsSync(join(up, 'package.json'))) found.push(up);
  return found;
};

const VALID = ['cors-matrix.config.ts', 'mts/cors-matrix.config.mts', 'cts/cors-matrix.config.cts', 'cjs/cors-matrix.config.cjs', 'js/cors-matrix.config.js', 'suites.ts', 'family.ts', 'index.ts', 'named.cjs', 'suites.cjs'];
const INVALID = ['misspelt/cors-matrix.config.ts', 'bad-route/cors-matrix.config.ts', 'cjs-bad/cors-matrix.config.cjs'];
const QUERIES = { valid: VALID, none: [], invalid: INVALID } as const;
type Query = keyof typeof QUERIES;

const folders = new Map<Kind, string>();
const runs = new Map<string, Run>();
const runOf = (kind: Kind, query: Query): Run => {
  const run = runs.get(`${kind.name}|${query}`);
  if (!run) throw new Error(`no run for ${kind.name} ${query}`);
  return run;
};

// Every CLI run once, three at a time: each is a Node start plus a TypeScript load per file.
test.beforeAll(async () => {
  test.setTimeout(180_000);
  expect(existsSync(join(ROOT, 'dist', 'lib', 'model', 'load-module.js')), 'dist/ is missing or predates lib/model/load-module.ts: run `npm run build`').toBe(true);
  const jobs: (() => Promise<void>)[] = [];
  for (const kind of KINDS) {
    const folder = folderOf(kind);
    folders.set(kind, folder);
    for (const query of Object.keys(QUERIES) as Query[]) jobs.push(async () => void runs.set(`${kind.name}|${query}`, await runCheck(folder, QUERIES[query])));
  }
  const lane = async (): Promise<void> => {
    for (let job = jobs.shift(); job; job = jobs.shift()) await job();
  };
  await Promise.all([lane(), lane(), lane()]);
});
test.afterAll(() => {
  for (const folder of folders.values()) rmSync(folder, { recursive: true, force: true });
});

for (const kind of KINDS) {
  test.describe(kind.name, () => {
    if (!kind.manifest) {
      test('the folder really is outside any package', () => {
        expect(manifestsAbove(folders.get(kind) ?? '')).toEqual([]);
      });
    }

    test('every valid config, suite and family file checks ok, default and named exports alike', () => {
      const run = runOf(kind, 'valid');
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      for (const file of VALID) expect(run.stdout).toContain(`${file}: ok`);
      expect(run.stdout).toContain('cors-matrix.config.ts: ok (default export: cors-matrix config)');
      expect(run.stdout).toContain('suites.ts: ok (default export: 1 middleware suite, ');
      expect(run.stdout).toContain('suites.cjs: ok (default export: 1 middleware suite, ');
      expect(run.stdout).toContain('index.ts: ok (export first: 1 scenario family, 1 cases; export second: 1 scenario family, 1 cases)');
      expect(run.stdout).toContain('named.cjs: ok (export first: 1 scenario family, 1 cases; export second: 1 scenario family, 1 cases)');
    });

    test('with no FILE, ./cors-matrix.config.ts is found and checks ok', () => {
      expect(runOf(kind, 'none')).toEqual({ code: 0, stdout: 'cors-matrix.config.ts: ok (default export: cors-matrix config)\n', stderr: '' });
    });

    test('a wrong field is named with its file, never "default"', () => {
      const run = runOf(kind, 'invalid');
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain('misspelt/cors-matrix.config.ts: field (the config): Unrecognized key: "intnet"');
      expect(run.stderr).toContain('misspelt/cors-matrix.config.ts: field intent: ');
      expect(run.stderr).toContain('bad-route/cors-matrix.config.ts: field routes[0].path: must be a path starting with "/"');
      expect(run.stderr).toContain('cjs-bad/cors-matrix.config.cjs: field (the config): Unrecognized key: "intnet"');
      expect(run.stderr).not.toContain('"default"');
    });
  });
}

// The namespace shapes themselves, as Node, tsx, esbuild, tsc, Babel and Playwright hand them over.
test.describe('moduleExports', () => {
  const X = { target: 1 };
  const cjsFromEsm = (exports: Record<string, unknown>) => Object.defineProperty({ ...exports }, '__esModule', { value: true });

  test('an ES module namespace is the module', () => {
    expect(moduleExports({ default: X, a: 1 })).toEqual({ default: { value: X }, named: { a: 1 }, defaultIsExportsObject: false });
    expect(moduleExports({ a: 1 })).toEqual({ named: { a: 1 }, defaultIsExportsObject: false });
  });

  test('CommonJS compiled from `export default X` gives X, not { default: X }', () => {
    expect(moduleExports({ default: cjsFromEsm({ default: X }) })).toEqual({ default: { value: X }, named: {}, defaultIsExportsObject: false });
    // Node's lexer may also lift the names it finds onto the namespace; the same answer.
    expect(moduleExports({ default: cjsFromEsm({ default: X, a: 1 }), a: 1 })).toEqual({ default: { value: X }, named: { a: 1 }, defaultIsExportsObject: false });
  });

  test('CommonJS compiled from named exports only has no default export', () => {
    expect(moduleExports({ default: cjsFromEsm({ a: 1, b: 2 }), a: 1, b: 2 })).toEqual({ named: { a: 1, b: 2 }, defaultIsExportsObject: false });
  });

  test('`module.exports = X` gives X; `exports.a = …` gives the named exports, and says its default is their object', () => {
    expect(moduleExports({ default: X })).toEqual({ default: { value: X }, named: {}, defaultIsExportsObject: false });
    expect(moduleExports({ default: [X] })).toEqual({ default: { value: [X] }, named: {}, defaultIsExportsObject: false });
    expect(moduleExports({ default: { a: X }, a: X })).toEqual({ default: { value: { a: X } }, named: { a: X }, defaultIsExportsObject: true });
    // Node 22+ names module.exports on the namespace as well: it is no named export.
    expect(moduleExports({ default: X, 'module.exports': X })).toEqual({ default: { value: X }, named: {}, defaultIsExportsObject: false });
  });

  test('defaultExportOf is what `import x from` means, for generated code', () => {
    expect(defaultExportOf({ default: cjsFromEsm({ default: [X] }) })).toEqual([X]);
    expect(defaultExportOf({ default: [X] })).toEqual([X]);
    expect(defaultExportOf({ a: 1 })).toBeUndefined();
  });
});
