import { test, expect } from '@playwright/test';
import { EngineMessageLog } from '../../lib/measure/engines/engine-messages.ts';

// What engines say arrives over another channel than the page's answer: the log files it by case key and lets the
// batch wait, bounded, for the words of exactly the cases that failed.

test('a message is filed by the keys its URL field names when the engine gave one, else by those in its text', () => {
  const log = new EngineMessageLog();
  log.add('console', 'Failed to load resource: Preflight response is not successful. Status code: 500', 'http://b.localhost:1/api/case-a-1');
  log.add('console', 'Fetch API cannot load http://b.localhost:1/api/case-b-2 due to access control checks.');
  log.add('console', 'Origin http://a.localhost:1 is not allowed by Access-Control-Allow-Origin. Status code: 200');
  expect(log.forCase('case-a-1', 0).map((m) => [m.text, m.url])).toEqual([
    ['Failed to load resource: Preflight response is not successful. Status code: 500', 'http://b.localhost:1/api/case-a-1'],
  ]);
  expect(log.forCase('case-b-2', 0)).toHaveLength(1);
});

test('waitFor resolves at once with nothing missing when every case was already heard', async () => {
  const log = new EngineMessageLog();
  log.add('console', 'blocked http://b.localhost/api/k-1');
  const started = Date.now();
  expect(await log.waitFor([{ key: 'k-1' }], 5_000)).toEqual([]);
  expect(Date.now() - started).toBeLessThan(1_000);
});

test('waitFor resolves as soon as the last awaited case is heard, long before its deadline', async () => {
  const log = new EngineMessageLog();
  const waiting = log.waitFor([{ key: 'k-1' }, { key: 'k-2' }], 10_000);
  setTimeout(() => log.add('console', 'blocked http://b.localhost/api/k-1'), 20);
  setTimeout(() => log.add('console', 'blocked http://b.localhost/api/k-2'), 60);
  const started = Date.now();
  expect(await waiting).toEqual([]);
  expect(Date.now() - started).toBeLessThan(5_000);
});

test('waitFor gives up at its deadline and names the cases never heard', async () => {
  const log = new EngineMessageLog();
  const waiting = log.waitFor([{ key: 'k-1' }, { key: 'k-2' }], 100);
  log.add('console', 'blocked http://b.localhost/api/k-1');
  expect(await waiting).toEqual(['k-2']);
});

test('waitFor counts only messages from a case\'s `since` on, and only those `accept` takes', async () => {
  const log = new EngineMessageLog();
  log.add('console', 'step 1 blocked http://b.localhost/api/k-1');
  const since = Date.now() + 1;
  await new Promise((r) => setTimeout(r, 5));
  expect(await log.waitFor([{ key: 'k-1', since }], 50)).toEqual(['k-1']);
  const waiting = log.waitFor([{ key: 'k-1', since }], 5_000, (m) => m.text.includes('CORS'));
  log.add('console', 'a warning about http://b.localhost/api/k-1');
  log.add('console', 'CORS blocked http://b.localhost/api/k-1');
  expect(await waiting).toEqual([]);
  expect(await log.waitFor([{ key: 'k-1', since: Date.now() + 10 }], 30, (m) => m.text.includes('CORS'))).toEqual(['k-1']);
});

test('waitFor counts each case\'s wait from when it failed: a case that failed long ago holds nothing', async () => {
  const log = new EngineMessageLog();
  const started = Date.now();
  // Failed 5 s ago with a 2 s bound: its wait is over before it starts, and it is named as never heard.
  expect(await log.waitFor([{ key: 'k-1', failedAt: started - 5_000 }], 2_000)).toEqual(['k-1']);
  expect(Date.now() - started).toBeLessThan(500);
});

test('waitFor lasts until the latest deadline of the cases not yet heard, and ends earlier once they are', async () => {
  const log = new EngineMessageLog();
  const now = Date.now();
  const waiting = log.waitFor([{ key: 'k-1', failedAt: now - 1_900 }, { key: 'k-2', failedAt: now }], 2_000);
  setTimeout(() => log.add('console', 'blocked http://b.localhost/api/k-2'), 30);
  // k-2 heard at ~30 ms; k-1's own deadline (~100 ms from now) then ends the wait, long before k-2's would have.
  expect(await waiting).toEqual(['k-1']);
  expect(Date.now() - now).toBeLessThan(1_000);
});
