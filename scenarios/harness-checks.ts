import { defineScenarios } from '../lib/model/scenario.ts';

// The harness's own honesty, checked in real engines: a server that does not answer, or a request the server
// cannot parse, is a harness error — never a CORS block.
export default defineScenarios({
  family: 'harness-checks',
  proves: 'a dead server or an unparseable request is reported as a harness error, not as a CORS result',
  cases: [
    { server: 'does not listen at all', to: 'unreachable', request: { method: 'GET' }, policy: { allowOrigin: '*' }, expect: { verdict: 'harness-error', harnessProblem: 'no-arrival', preflight: false, why: 'the fetch fails with nothing arriving at any server' } },
    { server: 'does not listen at all', to: 'unreachable', request: { method: 'PUT' }, policy: { allowOrigin: '*', allowMethods: ['PUT'] }, expect: { verdict: 'harness-error', harnessProblem: 'no-arrival', preflight: false } },
    {
      server: 'allows "patch" in lower case',
      to: 'cross-site',
      request: { method: 'patch' },
      policy: { allowOrigin: '*', allowMethods: ['patch'] },
      expect: { verdict: 'harness-error', harnessProblem: 'unparseable-request', preflight: true, why: "the preflight passes, then Node's HTTP parser rejects the lower-case method: a server fault, not a CORS block" },
    },
  ],
});
