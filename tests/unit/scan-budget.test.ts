import { test, expect } from '@playwright/test';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Ledger } from '../../lib/model/ledger.ts';
import { validateConfig } from '../../lib/model/own-server-config.ts';
import { upstreamOf } from '../../servers/upstream.ts';
import { DEFAULT_UPSTREAM_LIMITS, gateFor, UpstreamGate, withinBudget } from '../../servers/upstream-budget.ts';

// The request budget and rate of a deployed target (issue 29, point 2): what the front proxy forwards upstream is
// counted and paced; past the budget a request is answered here and the budget is named once, not once per case.

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, method: path.startsWith('/write') ? 'PUT' : 'GET' }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

test('past the budget a request is not forwarded, and the budget is named in full once', async () => {
  const ledger = new Ledger();
  let forwarded = 0;
  const gate = new UpstreamGate('api.example.com', { budget: 2, rate: 1000 });
  // A held-back write (here: any PUT) is answered by the proxy itself, so it does not count.
  const server: Server = createServer((req, res) =>
    withinBudget(gate, ledger, new URL(req.url ?? '/', 'http://x').pathname, (r) => r.method !== 'PUT', (_req, answer) => {
      forwarded++;
      answer.end('upstream');
    })(req, res),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const answers = [];
    for (const path of ['/a', '/write', '/b', '/c', '/d']) answers.push(await get(port, path));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 502, 502]);
    expect(forwarded).toBe(3);
    const faults = [...ledger.faultsFor('/c'), ...ledger.faultsFor('/d')].map((f) => f.message);
    expect(faults[0]).toContain('the request budget for api.example.com is spent: 2 requests forwarded');
    expect(faults[1]).toBe('not measured, because the request budget for api.example.com (2) was spent');
  } finally {
    server.close();
  }
});

test('requests leave no faster than the rate: the gate hands out turns 1/rate seconds apart', () => {
  // A clock the test moves: four requests at once, then one a second later, when the queue has drained.
  let clock = 1_000_000;
  const gate = new UpstreamGate('api.example.com', { budget: 10, rate: 4 }, () => clock);
  const wait = (): number => {
    const turn = gate.take();
    if (turn.refused !== undefined) throw new Error(turn.refused);
    return turn.waitMs;
  };
  expect([wait(), wait(), wait(), wait()]).toEqual([0, 250, 500, 750]);
  clock += 1000;
  expect(wait()).toBe(0);
});

test('a deployed target gets the defaults, or target.budget and target.rate; a local one gets no gate', () => {
  const deployed = upstreamOf({ url: 'https://api.example.com/health' });
  expect(deployed.limits).toEqual(DEFAULT_UPSTREAM_LIMITS);
  expect(upstreamOf({ url: 'https://api.example.com/health', budget: 50, rate: 2 }).limits).toEqual({ budget: 50, rate: 2 });
  expect(gateFor(new URL('http://127.0.0.1:3000'), upstreamOf({ url: 'http://127.0.0.1:3000/' }))).toBeUndefined();
});

test('budget and rate are refused where they mean nothing or are not numbers, naming the field', () => {
  const base = { routes: [{ path: '/' }], intent: { origins: ['https://app.example.com'] } };
  expect(() => validateConfig({ ...base, target: { url: 'http://localhost:3000/', budget: 10 } })).toThrow(/field target\.budget: only for a deployed target/);
  expect(() => validateConfig({ ...base, target: { url: 'https://api.example.com/', budget: 0 } })).toThrow(/field target\.budget: must be at least 1/);
  expect(() => validateConfig({ ...base, target: { url: 'https://api.example.com/', rate: -1 } })).toThrow(/field target\.rate: must be more than 0/);
  expect(() => validateConfig({ ...base, target: { url: 'https://api.example.com/', budget: 10, rate: 0.5 } })).not.toThrow();
});
