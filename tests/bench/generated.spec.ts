import { scenarioTests } from '../../lib/playwright/matrix-tests.ts';
import { generatedFamily } from './generated-family.ts';

// Sized by the benchmark (scripts/bench.ts) through the environment.
scenarioTests([generatedFamily(Number(process.env['CORS_MATRIX_GENERATED'] ?? 250), process.env['CORS_MATRIX_FAIL_HALF'] === '1')]);
