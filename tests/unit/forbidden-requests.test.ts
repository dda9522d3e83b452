// Forbidden methods and request headers (Fetch Standard §2.2.1, §2.2.2) are refused in intents, own-server configs,
// middleware suites and scenarios: by `check` (the real CLI, exit code 2, naming the file, the field and the rule)
// and at load, before any browser starts.
import { test, expect } from '@playwright/test';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { validateConfig } from '../../lib/model/own-server-config.ts';
import { loadMiddlewareCases } from '../../lib/model/load-middleware-cases.ts';
import { loadCases, ScenarioError } from '../../lib/model/load-cases.ts';
import type { AnyMiddlewareSuite } from '../../lib/model/middleware-suite.ts';
import type { ScenarioFamily } from '../../lib/model/scenario.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const F = 'tests/fixtures/forbidden';
const ROWS = [
  { file: `${F}/configs/intent-connect/cors-matrix.config.ts`, field: 'intent.methods[1]', rule: 'is a forbidden method (Fetch Standard §2.2.1)' },
  { file: `${F}/configs/intent-cookie/cors-matrix.config.ts`, field: 'intent.headers[1]', rule: 'is a forbidden request-header (Fetch Standard §2.2.2): Sec-Fetch-Mode starts with "Sec-"' },
  { file: `${F}/suites/intent-trace.ts`, field: 'intent.methods[0]', rule: 'is a forbidden method (Fetch Standard §2.2.1)' },
  { file: `${F}/suites/intent-proxy-header.ts`, field: 'intent.headers[0]', rule: 'Proxy-Authorization starts with "Proxy-"' },
  { file: `${F}/scenarios/method-override-trace.ts`, field: 'request.headers.X-HTTP-Method-Override', rule: 'names the forbidden method TRACE' },
  { file: `${F}/scenarios/method-track.ts`, field: 'request.method', rule: 'is a forbidden method (Fetch Standard §2.2.1)' },
] as const;

function check(file: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'bin', 'cors-matrix.mjs'), 'check', file], { cwd: ROOT, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, out: stdout + stderr });
    });
  });
}

for (const row of ROWS) {
  test(`check refuses ${row.file}, naming the field and the rule`, async () => {
    const { code, out } = await check(row.file);
    expect(code, out).toBe(2);
    for (const part of [row.file, `field ${row.field}`, row.rule]) expect(out).toContain(part);
    expect(out).not.toMatch(/\n\s+at /);
  });
}

const problems = (load: () => unknown): string => {
  try {
    load();
    return '';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
};

test('at load: configs, suites and scenarios refuse every forbidden method in any case, and forbidden header names', () => {
  const config = (intent: Record<string, unknown>) => () => validateConfig({ target: { url: 'http://127.0.0.1:8080/health' }, routes: [{ path: '/x' }], intent: { origins: ['https://app.example.com'], ...intent } });
  const suite = (intent: Record<string, unknown>) => () => loadMiddlewareCases([{ middleware: 'express-cors', label: 'l', options: () => ({}), optionsText: '{}', intent: { origins: ['page'], ...intent } } as unknown as AnyMiddlewareSuite]);
  const row = (request: Record<string, unknown>) => () => loadCases([{ family: 'forbidden', proves: 'nothing: the loader must refuse these rows', cases: [{ server: 'allows any origin', to: 'cross-site', request, policy: { allowOrigin: '*' } }] } as unknown as ScenarioFamily]);
  for (const method of ['CONNECT', 'connect', 'TRACE', 'Trace', 'TRACK', 'track']) {
    expect(problems(config({ methods: [method] }))).toContain('is a forbidden method');
    expect(problems(suite({ methods: [method] }))).toContain('is a forbidden method');
    expect(problems(row({ method }))).toContain('is a forbidden method');
  }
  const names = ['Accept-Charset', 'Accept-Encoding', 'Access-Control-Request-Headers', 'Access-Control-Request-Method', 'Connection', 'Content-Length', 'Cookie', 'Cookie2', 'Date', 'DNT', 'Expect', 'Host', 'Keep-Alive', 'Origin', 'Referer', 'Set-Cookie', 'TE', 'Trailer', 'Transfer-Encoding', 'Upgrade', 'Via', 'Proxy-Authorization', 'Sec-Fetch-Site'];
  for (const name of names) {
    expect(problems(config({ headers: [name] })), name).toContain('is a forbidden request-header');
    expect(problems(suite({ headers: [name] })), name).toContain('is a forbidden request-header');
    expect(problems(row({ method: 'GET', headers: { [name]: '1' } })), name).toContain('is a forbidden request-header');
  }
  for (const name of ['X-HTTP-Method', 'X-HTTP-Method-Override', 'X-Method-Override']) {
    expect(problems(row({ method: 'POST', headers: { [name]: 'GET, track' } })), name).toContain('names the forbidden method track');
    expect(problems(row({ method: 'POST', headers: { [name]: 'PATCH' } })), name).toBe('');
  }
  // What a script may send stays accepted.
  expect(problems(config({ methods: ['POST', 'PATCH', 'patch'], headers: ['Content-Type', 'Authorization', 'X-Requested-With'] }))).toBe('');
  expect(problems(suite({ methods: ['PUT'], headers: ['X-Custom'] }))).toBe('');
  expect(ScenarioError).toBeDefined();
});
