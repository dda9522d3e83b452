import { test, expect } from '@playwright/test';
import {
  EMPTY_PREFLIGHT_CACHE,
  corsSafelistedRequestHeader,
  corsUnsafeRequestHeaderNames,
  forbiddenRequestHeader,
  isCorsSafelistedMethod,
  normalizeMethod,
  parseMaxAge,
  parseMimeEssence,
  parseSerializedOrigin,
  parseSingleRange,
  prepareRequest,
  lookupPreflightCache,
  storePreflightResult,
} from '../../lib/oracle/index.ts';

// The oracle's building blocks, one table each. Sources as in oracle.test.ts.

const methodRows: readonly (readonly [input: string, normalised: string, safelisted: boolean, source: string])[] = [
  ['get', 'GET', true, 'Fetch §2.2.1 Methods'],
  ['Head', 'HEAD', true, 'Fetch §2.2.1 Methods'],
  ['post', 'POST', true, 'Fetch §2.2.1 Methods'],
  ['put', 'PUT', false, 'Fetch §2.2.1 Methods'],
  ['delete', 'DELETE', false, 'Fetch §2.2.1 Methods'],
  ['options', 'OPTIONS', false, 'Fetch §2.2.1 Methods'],
  ['patch', 'patch', false, 'Fetch §2.2.1 Methods'],
  ['Patch', 'Patch', false, 'Fetch §2.2.1 Methods'],
  ['eGg', 'eGg', false, 'Fetch §2.2.1 Methods'],
];
for (const [input, normalised, safelisted, source] of methodRows) {
  test(`method ${input} is sent as ${normalised}, ${safelisted ? '' : 'not '}safelisted [${source}]`, () => {
    expect(normalizeMethod(input)).toBe(normalised);
    expect(isCorsSafelistedMethod(normalizeMethod(input))).toBe(safelisted);
  });
}

const mimeRows: readonly (readonly [input: string, essence: string | null])[] = [
  ['text/plain', 'text/plain'],
  ['TEXT/PLAIN', 'text/plain'],
  [' text/plain ; charset=utf-8', 'text/plain'],
  ['text/plain;', 'text/plain'],
  ['multipart/form-data; boundary=x', 'multipart/form-data'],
  ['text', null],
  ['/plain', null],
  ['text/', null],
  ['text /plain', null],
  ['text/plain,', null],
  ['te(xt/plain', null],
];
for (const [input, essence] of mimeRows) {
  test(`MIME type ${JSON.stringify(input)} has essence ${essence ?? 'failure'} [MIME Sniffing §4.4 Parsing a MIME type]`, () => {
    const result = parseMimeEssence(input);
    expect(result.ok ? result.essence : null).toBe(essence);
  });
}

const rangeRows: readonly (readonly [input: string, start: number | null, end: number | null, ok: boolean])[] = [
  ['bytes=0-', 0, null, true],
  ['bytes=0-499', 0, 499, true],
  ['bytes=-500', null, 500, true],
  ['bytes=5-5', 5, 5, true],
  ['bytes=-', null, null, false],
  ['bytes=5-1', null, null, false],
  ['Bytes=0-1', null, null, false],
  ['bytes=0-1,2-3', null, null, false],
  ['bytes= 0-1', null, null, false],
];
for (const [input, start, end, ok] of rangeRows) {
  test(`Range ${JSON.stringify(input)} ${ok ? 'parses' : 'fails'} as a single range [Fetch §2.2.2 Headers]`, () => {
    const result = parseSingleRange(input);
    expect(result.ok).toBe(ok);
    if (result.ok) expect([result.start, result.end]).toEqual([start, end]);
  });
}

const headerRows: readonly (readonly [name: string, value: string, safelisted: boolean])[] = [
  ['Accept', 'application/json, text/*;q=0.9', true],
  ['accept', '{', false],
  ['Accept-Language', 'en-GB, fr;q=0.8', true],
  ['Accept-Language', 'en_GB', false],
  ['Content-Language', 'de-DE', true],
  ['Content-Type', 'application/x-www-form-urlencoded; charset=utf-8', true],
  ['Content-Type', 'application/json', false],
  ['Range', 'bytes=10-', true],
  ['Range', 'bytes=-10', false],
  ['DPR', '2', false],
  ['X-Requested-With', 'XMLHttpRequest', false],
];
for (const [name, value, safelisted] of headerRows) {
  test(`${name}: ${value} is ${safelisted ? '' : 'not '}a CORS-safelisted request-header [Fetch §2.2.2 Headers]`, () => {
    expect(corsSafelistedRequestHeader(name, value).safelisted).toBe(safelisted);
  });
}

test('CORS-unsafe request-header names are sorted, lower-cased and deduplicated [Fetch §2.2.2 Headers]', () => {
  expect(corsUnsafeRequestHeaderNames([['X-Z', '1'], ['Accept', '*/*'], ['x-a', '1'], ['X-Z', '2']]).names).toEqual(['x-a', 'x-z']);
});

const forbiddenRows: readonly (readonly [name: string, value: string, forbidden: boolean])[] = [
  ['Origin', 'https://evil.example', true],
  ['Content-Length', '1', true],
  ['Proxy-Authorization', 'x', true],
  ['sec-fetch-mode', 'cors', true],
  ['X-Method-Override', 'connect', true],
  ['X-Method-Override', 'PATCH', false],
  ['Authorization', 'x', false],
  ['User-Agent', 'x', false],
];
for (const [name, value, forbidden] of forbiddenRows) {
  test(`${name}: ${value} is ${forbidden ? '' : 'not '}a forbidden request-header [Fetch §2.2.2 Headers]`, () => {
    expect(forbiddenRequestHeader(name, value) !== undefined).toBe(forbidden);
  });
}

const originRows: readonly (readonly [input: string, ok: boolean])[] = [
  ['https://app.example', true],
  ['http://localhost:8080', true],
  ['null', true],
  ['https://app.example/', false],
  ['https://APP.example', false],
  ['https://app.example:443', false],
  ['app.example', false],
  ['Null', false],
];
for (const [input, ok] of originRows) {
  test(`${JSON.stringify(input)} is ${ok ? '' : 'not '}a serialised origin [HTML Standard, Origins]`, () => {
    expect(parseSerializedOrigin(input).ok).toBe(ok);
  });
}

const maxAgeRows: readonly (readonly [lines: readonly string[], seconds: number, cap?: number])[] = [
  [[], 5],
  [['600'], 600],
  [['0'], 0],
  [['-1'], 0],
  [['1.5'], 5],
  [['600', '600'], 5],
  [['86400'], 7200, 7200],
];
for (const [lines, seconds, cap] of maxAgeRows) {
  test(`Access-Control-Max-Age ${JSON.stringify(lines)}${cap === undefined ? '' : ` capped at ${cap}`} caches for ${seconds} s [Fetch §4.8 CORS-preflight fetch]`, () => {
    expect(parseMaxAge(lines.map((v): [string, string] => ['Access-Control-Max-Age', v]), cap).seconds).toBe(seconds);
  });
}

test('a cache entry lives exactly max-age seconds [Fetch §4.9 CORS-preflight cache]', () => {
  const { request } = prepareRequest({ origin: 'https://app.example', url: 'https://api.example/', method: 'PUT', headers: [], credentials: 'omit', mode: 'cors' });
  const cache = storePreflightResult(EMPTY_PREFLIGHT_CACHE, request, { methods: ['PUT'], headerNames: [] }, 10, 100);
  expect(lookupPreflightCache(cache, request, [], 109.9).preflightNeeded).toBe(false);
  expect(lookupPreflightCache(cache, request, [], 110).preflightNeeded).toBe(true);
});
