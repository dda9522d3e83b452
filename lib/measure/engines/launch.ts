import type { EngineName, EngineSession, LaunchSettings } from './engine.ts';
import { findBuild } from './find-builds.ts';
import { launchPlaywrightEngine } from './playwright-engine.ts';
import { launchWebKitGtk } from './webkitgtk-engine.ts';

/** Starts the named engine, whichever build and protocol it takes; throws MissingEngineError with the fix if there is none. */
export async function launchEngine(name: EngineName, settings: LaunchSettings = {}): Promise<EngineSession> {
  const found = findBuild(name);
  if (found.name === 'webkit' && found.build === 'system') return launchWebKitGtk(found, settings);
  return launchPlaywrightEngine(found, settings);
}
