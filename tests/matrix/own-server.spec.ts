import config from '../../cors-matrix.config.ts';
import { ownServerTests } from '../../lib/own-server/tests.ts';

ownServerTests(config);
