import { existsSync } from 'node:fs';
import { chromium, firefox, webkit } from 'playwright';
import type { EngineBuild, EngineName } from './engine.ts';

/** Where the operating system's builds live when Playwright's own are absent (Debian package paths). */
export const SYSTEM_BUILDS = {
  chromium: { executable: '/usr/bin/chromium', package: 'chromium' },
  firefox: { executable: '/usr/bin/firefox-esr', package: 'firefox-esr' },
  webkit: { executable: '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser', package: 'webkit2gtk-driver' },
} as const;
export const WEBKIT_WEBDRIVER = '/usr/bin/WebKitWebDriver';
export const XVFB = '/usr/bin/Xvfb';

export interface FoundBuild {
  readonly name: EngineName;
  readonly build: EngineBuild;
  readonly executable: string;
}

/** Thrown when an engine is not installed: the harness never skips an engine in silence. */
export class MissingEngineError extends Error {
  constructor(name: EngineName, looked: readonly string[]) {
    super(
      `${name} is not installed: looked for ${looked.join(', ')}.\n` +
        `Fix: run \`npm install\` (it installs Playwright's ${name}, or Debian's packages where that cannot download),\n` +
        `or by hand: \`npx playwright install --with-deps ${name}\` or \`apt-get install ${SYSTEM_BUILDS[name].package}${name === 'webkit' ? ' xvfb' : ''}\`.`,
    );
    this.name = 'MissingEngineError';
  }
}

const PLAYWRIGHT_TYPES = { chromium, firefox, webkit } as const;

/**
 * Playwright's own build where it is installed, otherwise the system build. `CORS_MATRIX_BUILD=system|bundled`
 * forces one of them.
 */
export function findBuild(name: EngineName, prefer = process.env['CORS_MATRIX_BUILD']): FoundBuild {
  const bundled = PLAYWRIGHT_TYPES[name].executablePath();
  const system = SYSTEM_BUILDS[name].executable;
  const systemReady = existsSync(system) && (name !== 'webkit' || (existsSync(WEBKIT_WEBDRIVER) && existsSync(XVFB)));
  const candidates: FoundBuild[] = [];
  if (prefer !== 'system' && existsSync(bundled)) candidates.push({ name, build: 'bundled', executable: bundled });
  if (prefer !== 'bundled' && systemReady) candidates.push({ name, build: 'system', executable: system });
  const found = candidates[0];
  if (!found) {
    const looked = [prefer !== 'system' && bundled, prefer !== 'bundled' && system, prefer !== 'bundled' && name === 'webkit' && `${WEBKIT_WEBDRIVER} with ${XVFB}`];
    throw new MissingEngineError(name, looked.filter((l): l is string => typeof l === 'string'));
  }
  return found;
}
