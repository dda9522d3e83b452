// The package's public API (lib/index.ts): what it exports, and the Playwright projects and reporters it hands a
// config. The built package (dist/) is checked by the example project in examples/express-cors.
import { test, expect } from '@playwright/test';
import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import * as api from '../../lib/index.ts';

test('The public API exports the fixture, the definers, the test generators and the config helpers.', () => {
  for (const name of ['test', 'expect', 'defineScenarios', 'defineMiddlewareSuites', 'scenarioTests', 'middlewareTests', 'matrixProjects', 'matrixReporters'] as const) {
    expect(typeof api[name], name).toBe('function');
  }
  expect(api.ENGINE_NAMES).toEqual(['chromium', 'firefox', 'webkit']);
});

test('matrixProjects gives one project per engine, each choosing its engine for the worker fixture.', () => {
  expect(api.matrixProjects()).toEqual([
    { name: 'chromium', use: { engineName: 'chromium' } },
    { name: 'firefox', use: { engineName: 'firefox' } },
    { name: 'webkit', use: { engineName: 'webkit' } },
  ]);
});

test('matrixProjects passes testDir, testMatch and testIgnore on, and can leave engines out.', () => {
  const projects = api.matrixProjects({ testDir: './tests/cors', testMatch: ['**/*.cors.ts'], testIgnore: /skip/, engines: ['firefox'] });
  expect(projects).toEqual([{ name: 'firefox', testDir: './tests/cors', testMatch: ['**/*.cors.ts'], testIgnore: /skip/, use: { engineName: 'firefox' } }]);
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
