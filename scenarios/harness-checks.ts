import { defineScenarios } from '../lib/model/scenario.ts';

// The harness's own honesty, checked in real engines: a server that does not answer is a harness error — never a CORS
// block. (Lower-case `patch`, once unparseable here, is measured in the tokens family through the raw method front.)
export default defineScenarios({
  family: 'harness-checks',
  proves: 'a dead server is reported as a harness error, not as a CORS result',
  cases: [
    { server: 'does not listen at all', to: 'unreachable', request: { method: 'GET' }, policy: { allowOrigin: '*' }, expect: { verdict: 'harness-error', harnessProblem: 'no-arrival', preflight: false, why: 'the fetch fails with nothing arriving at any server' } },
    { server: 'does not listen at all', to: 'unreachable', request: { method: 'PUT' }, policy: { allowOrigin: '*', allowMethods: ['PUT'] }, expect: { verdict: 'harness-error', harnessProblem: 'no-arrival', preflight: false } },
  ],
});
