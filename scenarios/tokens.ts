import { defineScenarios } from '../lib/model/scenario.ts';

// Header values a script may send that a strict HTTP parser refuses: the Fetch Standard forbids only NUL, CR and LF
// in a header value, so a control byte such as \x01 goes on the wire, and the policy server (llhttp in lenient mode,
// servers/start-servers.ts) measures it rather than faulting. Extension methods (`patcH`, `NEW`) are not here: Node's
// parser knows a fixed list of methods even in lenient mode (see README, Dependencies).
export default defineScenarios({
  family: 'tokens',
  proves: 'a header value with a control byte, which the standard allows, is sent by every engine and measured as CORS decides it',
  cases: [
    {
      server: 'allows X-Token',
      to: 'cross-site',
      request: { method: 'GET', headers: { 'X-Token': 'a\u0001b' } },
      policy: { allowOrigin: '*', allowHeaders: ['X-Token'] },
      expect: { verdict: 'allowed', preflight: true, why: 'X-Token is not safelisted, so a preflight asks for it; the preflight allows it, and the value with its control byte reaches the server' },
    },
    {
      server: 'allows no request headers',
      to: 'cross-site',
      request: { method: 'POST', headers: { 'X-Token': '\u0001\u001f\u007f', 'Content-Type': 'text/plain' }, body: 'x' },
      policy: { allowOrigin: '*' },
      expect: { verdict: 'blocked-at-preflight', preflight: true, why: 'the preflight does not allow X-Token: nothing but the preflight reaches the server' },
    },
    {
      server: 'allows any origin but no headers',
      to: 'cross-site',
      request: { method: 'GET', headers: { 'Content-Type': 'text/plain\u0001' } },
      policy: { allowOrigin: '*' },
      expect: { verdict: 'blocked-at-preflight', preflight: true, why: 'a Content-Type value holding 0x01 (a CORS-unsafe request-header byte) is not safelisted, so the request is preflighted, and the preflight does not allow Content-Type' },
    },
  ],
});
