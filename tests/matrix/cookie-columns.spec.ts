import { middlewareTests, scenarioTests } from '../../lib/index.ts';
import { FAMILIES, MIDDLEWARE_SUITES } from '../../scenarios/index.ts';

// The strict columns' file (playwright.config.ts): the scenario families and the middleware suites in one file, so a
// strict column is one group of tests, in one worker with one engine and one set of servers. The config's grep keeps
// only the families about cookies.
scenarioTests(FAMILIES);
middlewareTests(MIDDLEWARE_SUITES);
