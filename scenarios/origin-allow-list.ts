import { defineScenarios } from '../lib/model/scenario.ts';

// Access-Control-Allow-Origin must be `*` or exactly the request's serialised origin: byte for byte, one value,
// nothing added. Leading and trailing whitespace is not part of a header value, so it passes.
export default defineScenarios({
  family: 'origin-allow-list',
  proves: 'Allow-Origin passes only as `*` or the exact serialised origin; near misses fail in every engine',
  cases: [
    { server: 'lists the page origin', to: 'cross-site', request: { method: 'GET' }, policy: { allowOrigin: { list: ['page'] } } },
    { server: 'lists only another origin', to: 'cross-site', request: { method: 'GET' }, policy: { allowOrigin: { list: ['cross-site'] } } },
    { server: 'lists the page origin among others', to: 'cross-site', request: { method: 'GET' }, policy: { allowOrigin: { list: ['https', 'other-port', 'page'] } } },
    { server: 'reflects any origin', to: 'cross-site', request: { method: 'GET' }, policy: { allowOrigin: 'reflect' } },
    { server: 'reflects any origin', from: 'null', to: 'cross-site', request: { method: 'GET' }, policy: { allowOrigin: 'reflect' }, expect: { why: 'the opaque origin serialises as "null", which is echoed back' } },
    { server: 'allows "null"', to: 'cross-site', request: { method: 'GET' }, policy: { allowOrigin: 'null' }, expect: { why: '"null" matches only an opaque origin' } },
    { server: 'allows "null"', from: 'null', to: 'cross-site', request: { method: 'GET' }, policy: { allowOrigin: 'null' } },
    { server: 'lists the page origin', from: 'null', to: 'cross-site', request: { method: 'GET' }, policy: { allowOrigin: { list: ['page'] } }, expect: { why: 'a sandboxed frame of an allowed page is not that page' } },

    // Near misses of the exact origin.
    { server: 'sends the origin with a trailing slash', to: 'cross-site', request: { method: 'GET' }, policy: { allowOrigin: { raw: ['{origin}/'] } } },
    { server: 'sends the origin upper-cased', to: 'cross-site', request: { method: 'GET' }, policy: { allowOrigin: { raw: ['{ORIGIN}'] } }, expect: { why: 'the comparison is byte for byte, not case-insensitive' } },
    { server: 'sends the origin in two header lines', to: 'cross-site', request: { method: 'GET' }, policy: { allowOrigin: { raw: ['{origin}', '{origin}'] } }, expect: { why: 'two lines combine into "o, o", which is not one origin' } },
    { server: 'sends the origin twice in one line', to: 'cross-site', request: { method: 'GET' }, policy: { allowOrigin: { raw: ['{origin}, {origin}'] } } },
    { server: 'sends the origin padded with spaces', to: 'cross-site', request: { method: 'GET' }, policy: { allowOrigin: { raw: ['  {origin}  '] } }, expect: { why: 'surrounding whitespace is not part of a header value' } },
    { server: 'sends "*, origin"', to: 'cross-site', request: { method: 'GET' }, policy: { allowOrigin: { raw: ['*, {origin}'] } } },
    { server: 'sends "**"', to: 'cross-site', request: { method: 'GET' }, policy: { allowOrigin: { raw: ['**'] } } },
    { server: 'sends "*" and the origin in two lines', to: 'cross-site', request: { method: 'GET' }, policy: { allowOrigin: { raw: ['*', '{origin}'] } } },
    { server: 'sends the page host without its port', to: 'cross-site', request: { method: 'GET' }, policy: { allowOrigin: { raw: ['http://a.localhost'] } } },
    { server: 'sends the page origin over https', to: 'cross-site', request: { method: 'GET' }, policy: { allowOrigin: { raw: ['{origin:https}'] } }, expect: { why: 'another scheme and port: another origin' } },

    // Patterns, tested the way middleware tests them (RegExp.test, anchored or not).
    { server: 'matches an anchored pattern of the page origin', to: 'cross-site', request: { method: 'GET' }, policy: { allowOrigin: { pattern: '^http://a\\.localhost:\\d+$' } } },
    { server: 'matches an unanchored "localhost" pattern', to: 'cross-site', request: { method: 'GET' }, policy: { allowOrigin: { pattern: 'localhost' } }, expect: { why: 'an unanchored pattern echoes any origin that contains it: a misconfiguration the harness makes visible' } },
    { server: 'matches a pattern of another site only', to: 'cross-site', request: { method: 'GET' }, policy: { allowOrigin: { pattern: '^http://b\\.localhost:\\d+$' } } },

    // The allow-list holds for every target, and only for the exact requesting origin.
    { server: 'lists the page origin', to: 'same-site', request: { method: 'GET' }, policy: { allowOrigin: { list: ['page'] } } },
    { server: 'lists the page origin', to: 'other-port', request: { method: 'GET' }, policy: { allowOrigin: { list: ['page'] } } },
    { server: 'lists the page origin', to: 'https', request: { method: 'GET' }, policy: { allowOrigin: { list: ['page'] } } },
    { server: 'lists the page origin', from: 'other-port', to: 'cross-site', request: { method: 'GET' }, policy: { allowOrigin: { list: ['page'] } }, expect: { why: 'same host, other port: another origin' } },
    { server: 'lists the page origin', from: 'same-site', to: 'cross-site', request: { method: 'GET' }, policy: { allowOrigin: { list: ['page'] } }, expect: { why: 'a subdomain of an allowed origin is not allowed' } },
    { server: 'lists the page origin', from: 'https', to: 'https-cross-site', request: { method: 'GET' }, policy: { allowOrigin: { list: ['page'] } }, expect: { why: 'the https page is another origin than the http one' } },
    // An https page and an http localhost API (a dev server): the standard sends it (localhost is potentially
    // trustworthy); WebKit's own mixed-content rule refuses it before sending, declared in lib/model/engine-deviations.ts.
    { server: 'lists the https page origin', from: 'https', to: 'cross-site', request: { method: 'GET' }, policy: { allowOrigin: { list: ['https'] } } },
  ],
});
