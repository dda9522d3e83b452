// The package's public API (lib/index.ts): what it exports, and the Playwright projects and reporters it hands a
// config. The built package (dist/) is checked by the example project in examples/express-cors.
import { test, expect } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isAbsolute } from 'node:path';
import * as api from '../../lib/index.ts';

test('The public API exports the fixture, the definers, the test generators and the config helpers.', () => {
  for (const name of ['test', 'expect', 'defineScenarios', 'defineMiddlewareSuites', 'scenarioTests', 'middlewareTests', 'matrixProjects', 'matrixReporters'] as const) {
    expect(typeof api[name], name).toBe('function');
  }
  expect(api.ENGINE_NAMES).toEqual(['chromium', 'firefox', 'webkit']);
});

test('matrixProjects gives one project per engine, each choosing its engine and the as-shipped profile for the worker fixture.', () => {
  expect(api.matrixProjects()).toEqual([
    { name: 'chromium', use: { engineName: 'chromium', profile: 'as-shipped' } },
    { name: 'firefox', use: { engineName: 'firefox', profile: 'as-shipped' } },
    { name: 'webkit', use: { engineName: 'webkit', profile: 'as-shipped' } },
  ]);
  expect(api.PROFILE_NAMES).toEqual(['as-shipped', 'strict']);
});

test('matrixProjects passes testDir, testMatch and testIgnore on, and can leave engines out.', () => {
  const projects = api.matrixProjects({ testDir: './tests/cors', testMatch: ['**/*.cors.ts'], testIgnore: /skip/, engines: ['firefox'] });
  expect(projects).toEqual([{ name: 'firefox', testDir: './tests/cors', testMatch: ['**/*.cors.ts'], testIgnore: /skip/, use: { engineName: 'firefox', profile: 'as-shipped' } }]);
});

test('matrixReporters gives list, JUnit into the report folder, and the matrix reporter by an absolute path that exists.', () => {
  const [list, junit, matrix] = api.matrixReporters();
  expect(list).toEqual(['list']);
  expect(junit).toEqual(['junit', { outputFile: 'cors-matrix-report/junit.xml' }]);
  expect(matrix?.[0]).toBe(api.MATRIX_REPORTER_PATH);
  expect(isAbsolute(api.MATRIX_REPORTER_PATH)).toBe(true);
  expect(existsSync(api.MATRIX_REPORTER_PATH)).toBe(true);
  expect(matrix?.[1]).toEqual({ outputFolder: 'cors-matrix-report' });
  expect(api.matrixReporters({ outputFolder: 'out/cors' })[1]).toEqual(['junit', { outputFile: 'out/cors/junit.xml' }]);
});

test('Importing the public API loads none of the middleware frameworks under test: they are optional peer dependencies.', () => {
  // A resolve hook that refuses the optional peers: the import must succeed without touching any of them.
  const hooks = `export async function resolve(specifier, context, next) { if (/^(cors|fastify|koa|hono|@hono\\/node-server|@fastify\\/cors|@koa\\/cors)(\\/|$)/.test(specifier)) throw new Error('optional peer loaded: ' + specifier); return next(specifier, context); }`;
  const register = `import { register } from 'node:module'; register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hooks)}));`;
  const run = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(register)}`, '--import', 'tsx', '--input-type=module', '-e', "const api = await import('./lib/index.ts'); console.log(typeof api.ownServerTests);"], {
    cwd: fileURLToPath(new URL('../../', import.meta.url)),
    encoding: 'utf8',
  });
  expect(run.stderr).not.toContain('optional peer loaded');
  expect(run.stdout.trim()).toBe('function');
});

test('package.json: @playwright/test is a peer dependency; the middleware frameworks are optional peers; the bin runs dist/.', () => {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    dependencies: Record<string, string>;
    peerDependencies: Record<string, string>;
    peerDependenciesMeta: Record<string, { optional?: boolean }>;
    devDependencies: Record<string, string>;
    bin: Record<string, string>;
  };
  expect(manifest.peerDependencies['@playwright/test']).toBe(manifest.devDependencies['@playwright/test']);
  expect(manifest.dependencies['@playwright/test']).toBeUndefined();
  for (const name of ['cors', 'fastify', '@fastify/cors', 'koa', '@koa/cors', 'hono', '@hono/node-server']) {
    expect(manifest.dependencies[name], name).toBeUndefined();
    expect(manifest.peerDependenciesMeta[name]?.optional, name).toBe(true);
    expect(manifest.devDependencies[name], name).toBeDefined();
  }
  const bin = readFileSync(new URL(`../../${manifest.bin['cors-matrix']}`, import.meta.url), 'utf8');
  expect(bin).toContain('dist/lib/cli/main.js');
  expect(bin).not.toContain('tsx');
});
