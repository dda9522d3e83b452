import { ownServerTests } from 'cors-matrix';
import config from '../cors-matrix.config.ts';

// From the app, from the attacker and from a sandboxed (null-origin) frame, in each engine.
ownServerTests(config);
