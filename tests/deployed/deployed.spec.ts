import { ownServerTests } from '../../lib/index.ts';
import { TARGETS, type TargetName } from './cors-matrix.config.ts';

// One deployed-target config per run, picked by host.spec.ts (CM_DEPLOYED_TARGET): the harness as a user runs it.
const name = (process.env['CM_DEPLOYED_TARGET'] ?? 'hole') as TargetName;
if (!(name in TARGETS)) throw new Error(`CM_DEPLOYED_TARGET: "${name}" is none of ${Object.keys(TARGETS).join(', ')}`);
ownServerTests(TARGETS[name]);
