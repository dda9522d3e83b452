import { ownServerTests } from 'cors-matrix';
import { admin, errors, legacy, orders } from '../cors-matrix.config.ts';

// One set of cases per location: from the app, from each attacker and from a sandboxed (null-origin) frame.
ownServerTests(orders);
ownServerTests(errors);
ownServerTests(legacy);
ownServerTests(admin);
