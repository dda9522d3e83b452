import { test, expect } from '@playwright/test';
import { sessionChunks } from '../../lib/playwright/worker-measurements.ts';
import { checkoutLine, sameCheckout } from '../../scripts/bench/evidence.ts';

// Items as [unit, name]: a unit is a case, or every step of a sequence.
const unitOf = ([unit]: readonly [string, string]) => unit;

test('a batch is cut into sessions of at most the limit, in order', () => {
  const items = ['a', 'b', 'c', 'd', 'e'].map((u) => [u, u] as const);
  expect(sessionChunks(items, 2, unitOf).map((c) => c.map(([, n]) => n))).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
});

test('the steps of a sequence are never split between sessions, even when the sequence alone is over the limit', () => {
  const items = [['a', 'a'], ['s', 's1'], ['s', 's2'], ['s', 's3'], ['b', 'b']] as const;
  expect(sessionChunks(items, 2, unitOf).map((c) => c.map(([, n]) => n))).toEqual([['a'], ['s1', 's2', 's3'], ['b']]);
});

test('without a limit the whole batch is one session', () => {
  const items = Array.from({ length: 50 }, (_, i) => [`u${i}`, `n${i}`] as const);
  expect(sessionChunks(items, Number.POSITIVE_INFINITY, unitOf)).toHaveLength(1);
});

test('a checkout with changes reads as its commit and their digest, and differs from the clean one', () => {
  const clean = { commit: '0123456789abcdef', dirty: false };
  const changed = { commit: '0123456789abcdef', dirty: true, changesDigest: '00c0ffee' };
  expect(checkoutLine(clean)).toBe('0123456');
  expect(checkoutLine(changed)).toBe('0123456+changes:00c0ffee');
  expect(sameCheckout(clean, changed)).toBe(false);
});
