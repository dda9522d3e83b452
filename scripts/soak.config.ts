import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import base from '../playwright.config.ts';
import { matrixReporters } from '../lib/playwright/projects.ts';

// The project's own config for `npm run soak`, with the report written where the soak keeps it: another run of the
// matrix on the same checkout (writing cors-matrix-report/) can then never be read as one of the soak's runs.
const root = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  ...base,
  outputDir: join(root, 'test-results', 'soak'),
  reporter: matrixReporters({ outputFolder: process.env['CORS_MATRIX_SOAK_REPORT'] ?? join(root, 'test-results', 'soak-report') }),
  projects: (base.projects ?? []).map((project) => ({ ...project, ...(project.testDir !== undefined && { testDir: resolve(root, project.testDir) }) })),
});
