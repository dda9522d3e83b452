import { checkCase } from './matrix-tests.ts';
import { test as base } from './fixture.ts';
import { CaseRunner } from '../measure/case-runner.ts';
import type { EngineSession } from '../measure/engines/engine.ts';
import { launchEngine } from '../measure/engines/launch.ts';
import { startFrontProxy, type FrontProxy } from '../../servers/front-proxy.ts';
import { DEFAULT_API_ORIGIN, validateConfig, type OwnServerConfig } from '../model/own-server-config.ts';
import { ownServerCases } from '../model/own-server-cases.ts';
import { startTarget, type RunningTarget } from '../measure/target-process.ts';

export interface OwnServerWorkerFixtures {
  ownTarget: RunningTarget;
  frontProxy: FrontProxy;
  proxiedEngine: EngineSession;
  ownRunner: CaseRunner;
}

/** The fixtures that put your server behind the front proxy and an engine that goes through it. */
export function ownServerTest(config: OwnServerConfig) {
  const pageOrigins = [...(config.intent.origins === '*' ? [] : config.intent.origins), ...(config.attackers ?? [])];
  const pageHosts = [...new Set(pageOrigins.map((o) => new URL(o).hostname))];
  const apiHost = new URL(config.apiOrigin ?? DEFAULT_API_ORIGIN).hostname;
  return base.extend<object, OwnServerWorkerFixtures>({
    ownTarget: [
      async ({}, use) => {
        const target = await startTarget(config.target);
        await use(target);
        await target.stop();
      },
      { scope: 'worker', timeout: 60_000 },
    ],
    frontProxy: [
      async ({ ownTarget, servers }, use) => {
        const proxy = await startFrontProxy({ pageHosts, apiHost, target: ownTarget.url, pages: servers.listener, ledger: servers.ledger, handlerRuns: servers.handlerRuns });
        await use(proxy);
        await proxy.close();
      },
      { scope: 'worker' },
    ],
    proxiedEngine: [
      async ({ engineName, frontProxy }, use) => {
        const session = await launchEngine(engineName, { proxy: frontProxy.url });
        await use(session);
        await session.close();
      },
      { scope: 'worker', timeout: 60_000 },
    ],
    ownRunner: [async ({ proxiedEngine, servers }, use) => use(new CaseRunner(proxiedEngine, servers)), { scope: 'worker' }],
  });
}

/** Generates one test per case per engine for your server; the config is validated first, before any browser starts. */
export function ownServerTests(config: OwnServerConfig): void {
  const valid = validateConfig(config);
  const test = ownServerTest(valid);
  test.describe('own-server', () => {
    for (const testCase of ownServerCases(valid)) {
      test(testCase.title, async ({ ownRunner }, testInfo) => void (await checkCase(ownRunner, testCase, testInfo)));
    }
  });
}
