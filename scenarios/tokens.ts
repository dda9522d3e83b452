import { defineScenarios } from '../lib/model/scenario.ts';

// Header values a script may send that a strict HTTP parser refuses: the Fetch Standard forbids only NUL, CR and LF
// in a header value, so a control byte such as \x01 goes on the wire, and the policy server (llhttp in lenient mode,
// servers/start-servers.ts) measures it rather than faulting. Extension methods (`patcH`, `NEW`), which Node's parser
// refuses, reach the policy server through a raw front that records them exactly as sent (servers/raw-method-front.ts).
export default defineScenarios({
  family: 'tokens',
  proves: 'a header value with a control byte and an extension method, which the standard allows, are sent by every engine and measured as CORS decides them',
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
    // fetch() upper-cases only DELETE, GET, HEAD, OPTIONS, POST and PUT: any other token goes on the wire as written and
    // Access-Control-Allow-Methods must name it byte for byte.
    { server: 'allows "patcH"', to: 'cross-site', request: { method: 'patcH' }, policy: { allowOrigin: '*', allowMethods: ['patcH'] }, expect: { why: 'patcH is sent as written and listed exactly' } },
    { server: 'allows PATCH', to: 'cross-site', request: { method: 'patcH' }, policy: { allowOrigin: '*', allowMethods: ['PATCH'] }, expect: { why: 'methods in Allow-Methods are compared case-sensitively: "patcH" is not "PATCH"' } },
    { server: 'allows "patch" in lower case', to: 'cross-site', request: { method: 'patch' }, policy: { allowOrigin: '*', allowMethods: ['patch'] }, expect: { why: 'patch is sent in lower case and listed exactly; Node\'s parser alone would refuse it' } },
    { server: 'allows "patcH"', to: 'https', request: { method: 'patcH' }, policy: { allowOrigin: '*', allowMethods: ['patcH'] }, expect: { why: 'the https server is behind the same front' } },
    { server: 'allows NEW', to: 'cross-site', request: { method: 'NEW' }, policy: { allowOrigin: '*', allowMethods: ['NEW'] }, expect: { why: 'NEW is an extension method, listed exactly' } },
    { server: 'allows "new" in lower case', to: 'cross-site', request: { method: 'NEW' }, policy: { allowOrigin: '*', allowMethods: ['new'] }, expect: { why: 'NEW is not normalised, and "new" is not "NEW"' } },
    { server: 'allows any method', to: 'cross-site', request: { method: 'chicken' }, policy: { allowOrigin: '*', allowMethods: '*' }, expect: { why: 'without credentials "*" in Allow-Methods allows any method' } },
    { server: 'echoes the origin with credentials, allows any method', to: 'same-site', request: { method: 'chicken', credentials: 'include' }, policy: { allowOrigin: 'reflect', allowCredentials: true, allowMethods: '*' }, expect: { why: 'with credentials, "*" in Allow-Methods is a method literally named "*"' } },
  ],
});
