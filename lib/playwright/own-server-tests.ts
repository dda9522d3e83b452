import { validateConfig, type OwnServerConfig } from '../model/own-server-config.ts';
import { ownServerCases } from '../model/own-server-cases.ts';
import type { Case } from '../model/scenario.ts';
import { callerOutsidePackage } from './declare-test.ts';
import { test } from './fixture.ts';
import { declareCaseTests } from './matrix-tests.ts';
import { registerOwnServerCases } from './worker-measurements.ts';

/**
 * Generates one test per case per engine for your server: your server (started from the config's command) behind
 * the front proxy, and an engine that goes through it. The config is validated first, before any browser starts.
 */
export function ownServerTests(config: OwnServerConfig): readonly Case[] {
  const location = callerOutsidePackage();
  const valid = validateConfig(config);
  const cases = ownServerCases(valid);
  registerOwnServerCases(valid, cases);
  test.describe('own-server', () => declareCaseTests(cases, location, test, valid.snapshot === true));
  return cases;
}
