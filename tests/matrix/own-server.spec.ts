import config from '../../cors-matrix.config.ts';
import { ownServerTests } from '../../lib/playwright/own-server-tests.ts';

ownServerTests(config);
