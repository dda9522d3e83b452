// The victim's session as data: which cookie specs are refused (with field and rule), the Set-Cookie lines a spec
// plants, and the path the measure stage visits to plant it.
import { test, expect } from '@playwright/test';
import { ScenarioError } from '../../lib/model/load-cases.ts';
import {
  DEFAULT_SESSION_COOKIES,
  isSessionCookiePath,
  sessionCookiePath,
  sessionCookiesFromPath,
  setCookieLine,
  validateSessionCookies,
  type SessionCookie,
} from '../../lib/model/session-cookies.ts';
import { validateConfig } from '../../lib/model/own-server-config.ts';

const refused: readonly (readonly [string, unknown, string])[] = [
  ['an empty list', [], 'field sessionCookies: must name at least one cookie'],
  ['a name with a space', [{ name: 'my sid', sameSite: 'Lax' }], 'field sessionCookies[0].name: must be a cookie-name token'],
  ['a value with a semicolon', [{ name: 'sid', value: 'a;b', sameSite: 'Lax' }], 'field sessionCookies[0].value: must be cookie-octets'],
  ['SameSite=None without Secure', [{ name: 'sid', sameSite: 'None', secure: false }], 'field sessionCookies[0].secure: must not be false with sameSite "None"'],
  ['an unknown SameSite', [{ name: 'sid', sameSite: 'lax' }], 'field sessionCookies[0].sameSite: must be "None", "Lax" or "Strict"'],
  ['a __Host- cookie under a sub-path', [{ name: '__Host-sid', sameSite: 'Lax', secure: true, path: '/api' }], 'field sessionCookies[0].path: must be "/" for a __Host- cookie'],
  ['a __Secure- cookie without Secure', [{ name: '__Secure-sid', sameSite: 'Lax' }], 'field sessionCookies[0].secure: must not be false'],
  ['a partitioned cookie without Secure', [{ name: 'sid', sameSite: 'Lax', partitioned: true, secure: false }], 'field sessionCookies[0].secure: must not be false for a partitioned cookie'],
  ['a name used twice', [{ name: 'sid', sameSite: 'Lax' }, { name: 'sid', sameSite: 'None' }], 'field sessionCookies[1].name: must be unique'],
  ['an unknown attribute', [{ name: 'sid', sameSite: 'Lax', domain: 'example.com' }], 'field sessionCookies[0]'],
];

for (const [title, cookies, message] of refused) {
  test(`Session cookies: ${title} is refused, naming the field and the rule.`, () => {
    expect(() => validateSessionCookies(cookies, 'middleware suite "koa-cors/credentials"')).toThrow(ScenarioError);
    expect(() => validateSessionCookies(cookies, 'middleware suite "koa-cors/credentials"')).toThrow(`middleware suite "koa-cors/credentials": ${message}`);
  });
}

test('The default session is cm_lax (SameSite=Lax) and cm_none (SameSite=None; Secure), as the scenarios expect.', () => {
  expect(DEFAULT_SESSION_COOKIES.map(setCookieLine)).toEqual(['cm_lax=1; Path=/; SameSite=Lax', 'cm_none=1; Path=/; SameSite=None; Secure']);
});

test('Set-Cookie lines carry every attribute the spec names; SameSite=None and Partitioned imply Secure.', () => {
  const cookies: SessionCookie[] = [
    { name: 'sid', value: 'abc', sameSite: 'None', httpOnly: true },
    { name: 'chips', sameSite: 'Lax', partitioned: true },
    { name: 'pref', sameSite: 'Strict', path: '/api' },
  ];
  expect(cookies.map(setCookieLine)).toEqual(['sid=abc; Path=/; SameSite=None; Secure; HttpOnly', 'chips=1; Path=/; SameSite=Lax; Secure; Partitioned', 'pref=1; Path=/api; SameSite=Strict']);
});

test('sessionCookiePath() round-trips through the route: the server reads back exactly the cookies asked for.', () => {
  const cookies: SessionCookie[] = [{ name: 'session', value: 's3cr3t', sameSite: 'None', httpOnly: true }];
  const path = sessionCookiePath(cookies);
  expect(path).toMatch(/^\/__cm\/set-cookies\?c=[A-Za-z0-9_-]+$/);
  expect(isSessionCookiePath(path)).toBe(true);
  expect(sessionCookiesFromPath(path)).toEqual(cookies);
  expect(sessionCookiesFromPath('/__cm/set-cookies')).toEqual(DEFAULT_SESSION_COOKIES);
  expect(isSessionCookiePath('/__cm/set-cookies-and-more')).toBe(false);
  expect(() => sessionCookiePath([{ name: 'bad name', sameSite: 'Lax' }])).toThrow('session cookies: field sessionCookies[0].name');
});

test('cors-matrix.config.ts: a bad sessionCookies field is refused with the file, the field and the rule.', () => {
  const config = { target: { url: 'http://127.0.0.1:4010/' }, routes: [{ path: '/api/x' }], intent: { origins: ['https://app.example.com'] }, sessionCookies: [{ name: 'sid', sameSite: 'None', secure: false }] };
  expect(() => validateConfig(config)).toThrow('cors-matrix.config.ts: field sessionCookies[0].secure: must not be false with sameSite "None"');
  expect(validateConfig({ ...config, sessionCookies: [{ name: 'sid', sameSite: 'None' }] }).sessionCookies).toEqual([{ name: 'sid', sameSite: 'None' }]);
});
