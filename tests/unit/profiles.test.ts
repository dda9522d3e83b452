// Profiles (the cookie and tracking settings an engine runs with): what each engine is held to under each profile, the
// projects matrixProjects makes of them, and bad input named with its field and rule.
import { test, expect } from '@playwright/test';
import { loadCases } from '../../lib/model/load-cases.ts';
import { expectationFor } from '../../lib/judge/judge-case.ts';
import type { Expectation } from '../../lib/model/scenario.ts';
import { matrixProjects } from '../../lib/playwright/projects.ts';
import { PROFILE_SETTINGS } from '../../lib/measure/engines/profile-settings.ts';
import { PROFILE_NAMES } from '../../lib/model/profiles.ts';

const crossSite: Expectation = {
  verdict: 'allowed',
  cookies: ['cm_none'],
  engines: { firefox: { cookies: [], because: 'Total Cookie Protection partitions cm_none' } },
  profiles: { strict: { chromium: { cookies: [], because: 'third-party cookies blocked' }, firefox: { cookies: [], because: 'cookieBehavior 1 blocks them' } } },
};

test('Under as-shipped an engine is held to the default and its engine deviation; the strict profile’s entries do not apply.', () => {
  expect(expectationFor(crossSite, 'chromium', 'as-shipped')).toStrictEqual({ verdict: 'allowed', cookies: ['cm_none'] });
  expect(expectationFor(crossSite, 'chromium')).toStrictEqual({ verdict: 'allowed', cookies: ['cm_none'] });
  expect(expectationFor(crossSite, 'firefox', 'as-shipped')).toStrictEqual({ verdict: 'allowed', cookies: [], because: 'Total Cookie Protection partitions cm_none' });
});

test('Under strict the profile’s deviation is laid over the engine’s, and an engine without one keeps the default.', () => {
  expect(expectationFor(crossSite, 'chromium', 'strict')).toStrictEqual({ verdict: 'allowed', cookies: [], because: 'third-party cookies blocked' });
  expect(expectationFor(crossSite, 'firefox', 'strict')).toStrictEqual({ verdict: 'allowed', cookies: [], because: 'cookieBehavior 1 blocks them' });
  expect(expectationFor(crossSite, 'webkit', 'strict')).toStrictEqual({ verdict: 'allowed', cookies: ['cm_none'] });
});

test('An unmanaged (remote) engine is held to the as-shipped expectation: the harness set none of its settings.', () => {
  expect(expectationFor(crossSite, 'chromium', 'unmanaged')).toStrictEqual(expectationFor(crossSite, 'chromium', 'as-shipped'));
});

test('matrixProjects names one project per engine and profile: the engine’s name under as-shipped, <engine>-<profile> otherwise.', () => {
  const projects = matrixProjects({ profiles: ['as-shipped', { profile: 'strict', grep: /credentials/ }] });
  expect(projects.map((p) => p.name)).toEqual(['chromium', 'firefox', 'webkit', 'chromium-strict', 'firefox-strict', 'webkit-strict']);
  expect(projects[4]?.use).toEqual({ engineName: 'firefox', profile: 'strict' });
  expect(projects[4]?.grep).toEqual(/credentials/);
  expect(projects[0]?.grep).toBeUndefined();
  expect(matrixProjects().map((p) => [p.name, p.use?.profile])).toEqual([['chromium', 'as-shipped'], ['firefox', 'as-shipped'], ['webkit', 'as-shipped']]);
});

test('matrixProjects refuses an unknown profile, a profile named twice, none at all, and a profile it cannot apply to a remote engine.', () => {
  expect(() => matrixProjects({ profiles: ['incognito' as never] })).toThrow('matrixProjects: profiles: "incognito" is not a profile; use one of: as-shipped, strict');
  expect(() => matrixProjects({ profiles: ['strict', { profile: 'strict' }] })).toThrow('"strict" is named twice');
  expect(() => matrixProjects({ profiles: [] })).toThrow('must name at least one profile');
  expect(() => matrixProjects({ profiles: ['strict'], remote: { chromium: { wsEndpoint: 'ws://127.0.0.1:1/' } } })).toThrow(
    '"strict" cannot be applied to the remote chromium: a remote engine runs with the settings its server launched it with',
  );
});

test('A scenario row’s per-profile deviation is checked: an unknown profile and a deviation without a reason are named with their field.', () => {
  const row = (profiles: unknown) => ({ family: 'bad-profiles', proves: 'bad profile input is named', cases: [{ server: 'allows any origin', to: 'cross-site', request: { method: 'GET' }, policy: { allowOrigin: '*' }, expect: { profiles } }] });
  expect(() => loadCases([row({ incognito: { chromium: { cookies: [], because: 'a made-up profile' } } }) as never])).toThrow(`field expect.profiles.incognito: "incognito" is not a profile: must be one of as-shipped, strict`);
  expect(() => loadCases([row({ strict: { chromium: { cookies: [] } } }) as never])).toThrow(/expect\.profiles\.strict\.chromium\.because/);
});

test('Every profile names its settings in every engine, each with the source it comes from.', () => {
  for (const profile of PROFILE_NAMES) {
    for (const engine of ['chromium', 'firefox', 'webkit'] as const) expect(PROFILE_SETTINGS[profile][engine].source.length, `${profile} ${engine}`).toBeGreaterThan(20);
  }
  expect(PROFILE_SETTINGS['as-shipped'].chromium.preferences.profile.cookie_controls_mode).toBe(0);
  expect(PROFILE_SETTINGS.strict.firefox.prefs['network.cookie.cookieBehavior']).toBe(1);
});
