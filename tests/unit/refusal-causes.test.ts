import { test, expect } from '@playwright/test';
import { causeOfRecord } from '../../lib/diagnose/index.ts';
import { judgeCase } from '../../lib/judge/judge-case.ts';
import type { EngineInfo } from '../../lib/measure/engines/engine.ts';
import type { Measurement } from '../../lib/measure/measurement.ts';
import { ownServerCases } from '../../lib/model/own-server-cases.ts';
import { defineConfig } from '../../lib/model/own-server-config.ts';
import type { EngineName } from '../../lib/oracle/vocabulary.ts';

// An engine's refusal to send at all, for traffic the intent allows, is a cause of its own with the engine's words and
// no header fix: nothing reached the server, so no response header can change it.
const engine = (name: EngineName): EngineInfo => ({ name, version: '1', build: 'system', executable: '/bin/x', protocol: 'playwright', profile: 'as-shipped' });

function intendedRead(apiOrigin: string, page: string) {
  const cases = ownServerCases(defineConfig({ target: { command: 'node api.mjs --port {port}', url: 'http://127.0.0.1:{port}/health' }, apiOrigin, routes: [{ path: '/api/data' }], intent: { origins: [page] }, attackers: ['https://evil.test'] }));
  const read = cases.find((c) => c.probe === 'simple-read' && c.target.kind === 'external' && c.target.pageOrigin === page);
  if (!read || read.target.kind !== 'external') throw new Error('no simple-read case');
  return { read, url: `${read.target.url}?cm_case=k-1` };
}

function refused(apiOrigin: string, page: string, name: EngineName, said: string) {
  const { read, url } = intendedRead(apiOrigin, page);
  const m: Measurement = { caseId: read.id, key: 'k-1', url, pageUrl: `${page}/__cm/page`, requestOrigin: page, engine: engine(name), report: { kind: 'rejected', name: 'TypeError', message: 'Failed to fetch' }, ledger: [], faults: [], engineReasons: [said], startedAt: 0, durationMs: 5 };
  return judgeCase(read, m);
}

test('a bad port is its own cause: every engine refuses it, serve the API on another port', () => {
  const record = refused('https://api.example.com:6000', 'https://app.example.com', 'chromium', 'console: Failed to load resource: net::ERR_UNSAFE_PORT');
  expect(record.outcome.verdict).toBe('blocked-before-sending');
  const cause = causeOfRecord(record);
  expect(cause).toMatchObject({ kind: 'blocked-as-bad-port', severity: 'intended-blocked' });
  expect(cause?.summary).toContain('port 6000');
  expect(cause?.headerFix).toBeUndefined();
});

test("Local Network Access denied is its own cause, with the engine's words", () => {
  const said = "console: Access to fetch at 'http://127.0.0.1:5173/api/data' from origin 'http://app.example.com' has been blocked by CORS policy: Permission was denied for this request to access the `loopback` address space.";
  const record = refused('http://127.0.0.1:5173', 'http://app.example.com', 'chromium', said);
  expect(record.outcome.verdict).toBe('blocked-before-sending');
  const cause = causeOfRecord(record);
  expect(cause).toMatchObject({ kind: 'blocked-by-local-network-access', severity: 'intended-blocked' });
  expect(cause?.summary).toContain('http://127.0.0.1:5173');
  expect(cause?.detail).toContain('Permission was denied');
  expect(cause?.headerFix).toBeUndefined();
});
