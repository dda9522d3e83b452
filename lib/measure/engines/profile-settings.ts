// What each profile (lib/model/profiles.ts) sets in each engine, with where the value comes from. Only cookie and
// tracking settings differ between profiles; everything else is launched the same way.
import type { ProfileName } from '../../model/profiles.ts';

/** Chromium: the `Default/Preferences` of a fresh persistent profile the engine is launched with. */
export interface ChromiumProfileSettings {
  readonly preferences: { readonly profile: { readonly cookie_controls_mode: 0 | 1; readonly block_third_party_cookies: boolean } };
  readonly source: string;
}

/** Firefox: user prefs laid over Playwright's own (which win over Firefox's defaults otherwise). */
export interface FirefoxProfileSettings {
  readonly prefs: Readonly<Record<string, string | number | boolean>>;
  readonly source: string;
}

/** WebKitGTK: MiniBrowser's command-line switches. */
export interface WebKitProfileSettings {
  readonly args: readonly string[];
  readonly source: string;
}

export interface ProfileSettings {
  readonly chromium: ChromiumProfileSettings;
  readonly firefox: FirefoxProfileSettings;
  readonly webkit: WebKitProfileSettings;
}

export const PROFILE_SETTINGS: Readonly<Record<ProfileName, ProfileSettings>> = {
  'as-shipped': {
    chromium: {
      // CookieControlsMode (components/content_settings/core/common/cookie_controls_enforcement.h): 0 kOff, 1 kBlockThirdParty, 2 kIncognitoOnly.
      preferences: { profile: { cookie_controls_mode: 0, block_third_party_cookies: false } },
      source:
        "Chrome's regular window: Settings › Privacy and security › Third-party cookies is \"Allow third-party cookies\" outside Incognito. " +
        'Playwright\'s browser contexts are off-the-record (Incognito: third-party cookies blocked), and a fresh Debian Chromium 156 profile blocked them too (measured), ' +
        'so the harness launches a persistent profile whose Preferences say profile.cookie_controls_mode 0',
    },
    firefox: {
      // Playwright's BiDi profile sets privacy.trackingprotection.enabled (and features.standard, which Firefox 153 no longer
      // reads), which makes Firefox file the profile under "custom"; category "standard" makes Firefox clear every
      // Enhanced Tracking Protection pref back to its shipped default at start (ContentBlockingPrefs.setPrefsToCategory).
      prefs: { 'browser.contentblocking.category': 'standard', 'network.cookie.cookieBehavior': 5, 'network.cookie.cookieBehavior.pbmode': 5 },
      source:
        'Firefox 153 ESR as shipped: Enhanced Tracking Protection "standard", network.cookie.cookieBehavior 5 (Total Cookie Protection: ' +
        'third-party cookies partitioned by top-level site), browser/app/profile/firefox.js in /usr/lib/firefox-esr/browser/omni.ja',
    },
    webkit: {
      args: ['--cookies-policy=no-third-party'],
      source:
        "WebKitGTK's default cookie accept policy, no-third-party (WebKitCookieManager's default, MiniBrowser's default and GNOME Web's " +
        'cookies-policy default), with Intelligent Tracking Prevention off (WebKitGTK\'s default; Safari ships it on, which blocks third-party cookies: that is `strict` here)',
    },
  },
  strict: {
    chromium: {
      preferences: { profile: { cookie_controls_mode: 1, block_third_party_cookies: true } },
      source: 'Chrome with Settings › Third-party cookies › "Block third-party cookies" (profile.cookie_controls_mode 1), as in Incognito',
    },
    firefox: {
      prefs: { 'browser.contentblocking.category': 'custom', 'network.cookie.cookieBehavior': 1, 'network.cookie.cookieBehavior.pbmode': 1 },
      source: 'Firefox with Enhanced Tracking Protection "custom", cookies: "All third-party cookies" blocked (network.cookie.cookieBehavior 1)',
    },
    webkit: {
      args: ['--cookies-policy=no-third-party', '--enable-itp'],
      source: 'WebKitGTK with Intelligent Tracking Prevention on (as Safari ships it), which blocks every third-party cookie',
    },
  },
};
