import { middlewareTests } from '../../lib/index.ts';
import { MIDDLEWARE_SUITES } from '../../scenarios/index.ts';

middlewareTests(MIDDLEWARE_SUITES);
