import { ownServerTests } from '../../../lib/index.ts';
import config from './cors-matrix.config.ts';

ownServerTests(config);
