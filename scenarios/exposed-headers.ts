import { defineScenarios } from '../lib/model/scenario.ts';

const CUSTOM_HEADERS = { 'X-Custom': 'a', 'X-Other': 'b' } as const;

// A cross-origin script reads only the CORS-safelisted response headers, plus those the server exposes.
export default defineScenarios({
  family: 'exposed-headers',
  proves: 'safelisted response headers are always readable; any other header only when Expose-Headers names it',
  cases: [
    { server: 'sends X-Custom unexposed', to: 'cross-site', request: { method: 'GET' }, policy: { allowOrigin: '*', responseHeaders: CUSTOM_HEADERS }, expect: { hidden: ['X-Custom', 'X-Other'] } },
    { server: 'exposes X-Custom', to: 'cross-site', request: { method: 'GET' }, policy: { allowOrigin: '*', responseHeaders: CUSTOM_HEADERS, exposeHeaders: ['X-Custom'] }, expect: { readable: ['X-Custom'], hidden: ['X-Other'] } },
    { server: 'exposes "x-custom" in lower case', to: 'cross-site', request: { method: 'GET' }, policy: { allowOrigin: '*', responseHeaders: CUSTOM_HEADERS, exposeHeaders: ['x-custom'] }, expect: { readable: ['X-Custom'], hidden: ['X-Other'] } },
    { server: 'exposes X-Custom and X-Other', to: 'cross-site', request: { method: 'GET' }, policy: { allowOrigin: '*', responseHeaders: CUSTOM_HEADERS, exposeHeaders: ['X-Custom', 'X-Other'] }, expect: { readable: ['X-Custom', 'X-Other'] } },
    { server: 'exposes every header with "*"', to: 'cross-site', request: { method: 'GET' }, policy: { allowOrigin: '*', responseHeaders: CUSTOM_HEADERS, exposeHeaders: '*' }, expect: { readable: ['X-Custom', 'X-Other'] } },
    { server: 'exposes "*" to a credentialed request', to: 'same-site', request: { method: 'GET', credentials: 'include' }, policy: { allowOrigin: 'reflect', allowCredentials: true, responseHeaders: CUSTOM_HEADERS, exposeHeaders: '*' }, expect: { hidden: ['X-Custom', 'X-Other'], why: 'with credentials, "*" exposes only a header literally named "*"' } },
    { server: 'exposes X-Custom to a credentialed request', to: 'same-site', request: { method: 'GET', credentials: 'include' }, policy: { allowOrigin: 'reflect', allowCredentials: true, responseHeaders: CUSTOM_HEADERS, exposeHeaders: ['X-Custom'] }, expect: { readable: ['X-Custom'], hidden: ['X-Other'] } },
    { server: 'exposes Set-Cookie', to: 'cross-site', request: { method: 'GET' }, policy: { allowOrigin: '*', exposeHeaders: ['Set-Cookie'], setCookies: ['cm_exposed=1; Path=/'] }, expect: { hidden: ['Set-Cookie'], why: 'Set-Cookie is a forbidden response-header name: no script ever reads it' } },
    { server: 'sends its CORS headers unexposed', to: 'cross-site', request: { method: 'GET' }, policy: { allowOrigin: '*', vary: true }, expect: { hidden: ['Access-Control-Allow-Origin', 'Vary'] } },
    { server: 'sends X-Custom unexposed', to: 'same-origin', request: { method: 'GET' }, policy: { allowOrigin: 'none', responseHeaders: CUSTOM_HEADERS }, expect: { readable: ['X-Custom', 'X-Other'], why: 'a same-origin script reads every header' } },

    // The CORS-safelisted response-header names are readable without being exposed.
    { server: 'sends Cache-Control', to: 'cross-site', request: { method: 'GET' }, policy: { allowOrigin: '*', responseHeaders: { 'Cache-Control': 'no-store' } }, expect: { readable: ['Cache-Control'] } },
    { server: 'sends Content-Language', to: 'cross-site', request: { method: 'GET' }, policy: { allowOrigin: '*', responseHeaders: { 'Content-Language': 'en' } }, expect: { readable: ['Content-Language'] } },
    { server: 'sends Content-Length', to: 'cross-site', request: { method: 'GET' }, policy: { allowOrigin: '*' }, expect: { readable: ['Content-Length'] } },
    { server: 'sends Content-Type', to: 'cross-site', request: { method: 'GET' }, policy: { allowOrigin: '*' }, expect: { readable: ['Content-Type'] } },
    { server: 'sends Expires', to: 'cross-site', request: { method: 'GET' }, policy: { allowOrigin: '*', responseHeaders: { Expires: 'Thu, 01 Jan 1970 00:00:00 GMT' } }, expect: { readable: ['Expires'] } },
    { server: 'sends Last-Modified', to: 'cross-site', request: { method: 'GET' }, policy: { allowOrigin: '*', responseHeaders: { 'Last-Modified': 'Thu, 01 Jan 1970 00:00:00 GMT' } }, expect: { readable: ['Last-Modified'] } },
    { server: 'sends Pragma', to: 'cross-site', request: { method: 'GET' }, policy: { allowOrigin: '*', responseHeaders: { Pragma: 'no-cache' } }, expect: { readable: ['Pragma'] } },
    { server: 'sends Date', to: 'cross-site', request: { method: 'GET' }, policy: { allowOrigin: '*' }, expect: { hidden: ['Date'], why: 'Date is not a safelisted response header' } },
  ],
});
