import { test as base } from '@playwright/test';
import { startServers, type RunningServers } from '../../servers/start-servers.ts';
import { AppCatalog } from '../measure/app-catalog.ts';
import { CaseRunner } from '../measure/case-runner.ts';
import type { AnyMiddlewareSuite } from '../model/middleware-suite.ts';
import type { EngineName, EngineSession } from '../measure/engines/engine.ts';
import { launchEngine } from '../measure/engines/launch.ts';

export interface MatrixWorkerFixtures {
  /** Set per project in playwright.config.ts. */
  engineName: EngineName;
  servers: RunningServers;
  engine: EngineSession;
  /** The middleware suites whose apps this worker may serve; a spec that runs them overrides this. */
  middlewareSuites: readonly AnyMiddlewareSuite[];
  apps: AppCatalog;
  caseRunner: CaseRunner;
}

/**
 * The one fixture every matrix test uses. Servers and the engine start once per worker; which build and protocol
 * drive the engine stays hidden behind EngineSession.
 */
export const test = base.extend<object, MatrixWorkerFixtures>({
  engineName: ['chromium', { scope: 'worker', option: true }],
  servers: [
    async ({}, use) => {
      const servers = await startServers();
      await use(servers);
      await servers.close();
    },
    { scope: 'worker' },
  ],
  engine: [
    async ({ engineName }, use) => {
      const session = await launchEngine(engineName);
      const { info } = session;
      console.log(`cors-matrix: ${info.name} ${info.version} (${info.build} build via ${info.protocol}: ${info.executable})`);
      await use(session);
      await session.close();
    },
    { scope: 'worker', timeout: 60_000 },
  ],
  middlewareSuites: [async ({}, use) => use([]), { scope: 'worker' }],
  apps: [
    async ({ middlewareSuites, servers }, use) => {
      const apps = new AppCatalog(middlewareSuites, servers);
      await use(apps);
      await apps.close();
    },
    { scope: 'worker' },
  ],
  caseRunner: [async ({ engine, servers, apps }, use) => use(new CaseRunner(engine, servers, apps)), { scope: 'worker' }],
});

export { expect } from '@playwright/test';
