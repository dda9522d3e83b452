import type { EngineName, EngineSession, LaunchSettings } from './engine.ts';
import { findBuild } from './find-builds.ts';
import { connectPlaywrightEngine, launchPlaywrightEngine } from './playwright-engine.ts';
import { connectWebDriver, launchWebKitGtk } from './webkitgtk-engine.ts';

/**
 * Starts the named engine, whichever build and protocol it takes, or connects to it where `settings.remote` says it
 * runs elsewhere; throws MissingEngineError with the fix if there is none.
 */
export async function launchEngine(name: EngineName, settings: LaunchSettings = {}): Promise<EngineSession> {
  const { remote } = settings;
  if (remote && 'wsEndpoint' in remote) return connectPlaywrightEngine(name, remote, settings);
  if (remote && 'webdriverUrl' in remote) {
    if (name !== 'webkit') throw new Error(`a WebDriver endpoint drives WebKit here; ${name} connects through a Playwright server (wsEndpoint)`);
    return connectWebDriver(remote, settings);
  }
  const found = findBuild(name);
  if (found.name === 'webkit' && found.build === 'system') return launchWebKitGtk(found, settings);
  return launchPlaywrightEngine(found, settings);
}
