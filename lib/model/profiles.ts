/**
 * The cookie and tracking settings an engine runs with. What an engine does with third-party cookies is a setting of
 * the browser, not of the engine: the same Chromium sends a cross-site cookie in a regular window and withholds it in
 * an Incognito one. A profile says which settings a column measures.
 *
 * - `as-shipped`: each engine as its browser ships to users (Chrome's regular window, Firefox's Enhanced Tracking
 *   Protection "standard", WebKitGTK's default cookie policy).
 * - `strict`: third-party cookies blocked in every engine.
 */
export const PROFILE_NAMES = ['as-shipped', 'strict'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

/** The profile a project runs when none is named. */
export const DEFAULT_PROFILE: ProfileName = 'as-shipped';

/**
 * The profile a record was measured under. `unmanaged` is an engine the harness reached but did not launch (a remote
 * Playwright server or WebDriver endpoint): its cookie settings are whatever that endpoint launched it with.
 */
export type MeasuredProfile = ProfileName | 'unmanaged';

export const PROFILE_MEANINGS: Readonly<Record<MeasuredProfile, string>> = {
  'as-shipped': "each engine's cookie and tracking settings as its browser ships to users",
  strict: 'third-party cookies blocked in every engine',
  unmanaged: 'a remote engine: its cookie settings are whatever its endpoint launched it with',
};

export function isProfileName(value: string): value is ProfileName {
  return (PROFILE_NAMES as readonly string[]).includes(value);
}

/**
 * The name of the matrix column (Playwright project, snapshot cell) of an engine under a profile: the engine's own
 * name for `as-shipped` (and for an unmanaged remote engine), `<engine>-<profile>` otherwise (`chromium-strict`).
 */
export function columnName(engine: string, profile: MeasuredProfile = DEFAULT_PROFILE): string {
  return profile === 'as-shipped' || profile === 'unmanaged' ? engine : `${engine}-${profile}`;
}
