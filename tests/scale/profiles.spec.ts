// What the engine really uses under each profile, read back from the profile the engine itself wrote: Firefox's prefs.js
// (Playwright sets prefs of its own, and Firefox's Enhanced Tracking Protection resets or files them by category at
// start), and Chromium's Default/Preferences (which Chromium rewrites on exit).
import { test, expect } from '@playwright/test';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, firefox } from 'playwright';
import { findBuild } from '../../lib/measure/engines/find-builds.ts';
import { launchOptions } from '../../lib/measure/engines/playwright-engine.ts';
import { PROFILE_SETTINGS } from '../../lib/measure/engines/profile-settings.ts';
import { PROFILE_NAMES } from '../../lib/model/profiles.ts';

/** The user prefs Firefox saved on exit, by name (a pref at its shipped default is not written). */
function savedPrefs(dir: string): Map<string, string> {
  const prefs = new Map<string, string>();
  for (const match of readFileSync(join(dir, 'prefs.js'), 'utf8').matchAll(/^user_pref\("([^"]+)", (.*)\);$/gm)) prefs.set(match[1] ?? '', match[2] ?? '');
  return prefs;
}

const FIREFOX_EXPECTED = {
  // Category "standard" clears every tracking-protection pref to its shipped default: cookieBehavior 5 is not written.
  'as-shipped': { category: '"standard"', cookieBehavior: undefined },
  strict: { category: '"custom"', cookieBehavior: '1' },
} as const;

for (const profile of PROFILE_NAMES) {
  test(`Firefox under ${profile} runs with Enhanced Tracking Protection ${FIREFOX_EXPECTED[profile].category} and network.cookie.cookieBehavior ${FIREFOX_EXPECTED[profile].cookieBehavior ?? '5 (shipped default)'}`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cors-matrix-firefox-profile-'));
    try {
      const context = await firefox.launchPersistentContext(dir, launchOptions(findBuild('firefox'), [], PROFILE_SETTINGS[profile].firefox.prefs));
      await context.close();
      const prefs = savedPrefs(dir);
      expect(prefs.get('browser.contentblocking.category')).toBe(FIREFOX_EXPECTED[profile].category);
      expect(prefs.get('network.cookie.cookieBehavior')).toBe(FIREFOX_EXPECTED[profile].cookieBehavior);
      // Playwright's own tracking-protection pref is cleared under as-shipped (the category resets it), kept under strict.
      expect(prefs.has('privacy.trackingprotection.pbmode.enabled')).toBe(profile === 'strict');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test(`Chromium under ${profile} keeps profile.cookie_controls_mode ${PROFILE_SETTINGS[profile].chromium.preferences.profile.cookie_controls_mode} in the Preferences it writes back`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cors-matrix-chromium-profile-'));
    try {
      mkdirSync(join(dir, 'Default'));
      writeFileSync(join(dir, 'Default', 'Preferences'), JSON.stringify(PROFILE_SETTINGS[profile].chromium.preferences));
      const context = await chromium.launchPersistentContext(dir, launchOptions(findBuild('chromium')));
      await context.close();
      const written = JSON.parse(readFileSync(join(dir, 'Default', 'Preferences'), 'utf8')) as { profile?: { cookie_controls_mode?: number } };
      expect(written.profile?.cookie_controls_mode).toBe(PROFILE_SETTINGS[profile].chromium.preferences.profile.cookie_controls_mode);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
