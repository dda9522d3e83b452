import { test, expect } from '@playwright/test';
import type { EngineName } from '../../lib/measure/engines/engine.ts';
import type { Expectation, ExpectedOutcome } from '../../lib/model/scenario.ts';
import { expectationFor } from '../../lib/judge/judge-case.ts';

const withDeviations: Expectation = {
  verdict: 'allowed',
  preflight: true,
  readable: ['X-Total'],
  cookies: ['cm_lax'],
  why: 'the server allows the page origin',
  engines: {
    webkit: { verdict: 'blocked-at-response', because: 'WebKit rejects the wildcard here' },
    firefox: { cookies: [], because: 'Firefox partitions the cookie' },
  },
};

interface ExpectationRow {
  readonly title: string;
  readonly expect: Expectation;
  readonly engine: EngineName;
  readonly expected: ExpectedOutcome & { readonly because?: string };
}

const rows: readonly ExpectationRow[] = [
  {
    title: 'Without deviations an engine is held to the default, without the why.',
    expect: { verdict: 'blocked-at-preflight', preflight: true, why: 'the method is not allowed' },
    engine: 'chromium',
    expected: { verdict: 'blocked-at-preflight', preflight: true },
  },
  {
    title: 'An engine without a deviation of its own is held to the default, even when other engines deviate.',
    expect: withDeviations,
    engine: 'chromium',
    expected: { verdict: 'allowed', preflight: true, readable: ['X-Total'], cookies: ['cm_lax'] },
  },
  {
    title: 'An engine’s deviation replaces the verdict and keeps every field it does not mention, with its reason.',
    expect: withDeviations,
    engine: 'webkit',
    expected: { verdict: 'blocked-at-response', preflight: true, readable: ['X-Total'], cookies: ['cm_lax'], because: 'WebKit rejects the wildcard here' },
  },
  {
    title: 'An engine’s deviation that does not mention the verdict keeps the default verdict and replaces only what it mentions.',
    expect: withDeviations,
    engine: 'firefox',
    expected: { verdict: 'allowed', preflight: true, readable: ['X-Total'], cookies: [], because: 'Firefox partitions the cookie' },
  },
  {
    title: 'An empty set of deviations holds every engine to the default.',
    expect: { verdict: 'allowed', engines: {} },
    engine: 'webkit',
    expected: { verdict: 'allowed' },
  },
];

for (const row of rows) {
  test(row.title, () => {
    expect(expectationFor(row.expect, row.engine)).toStrictEqual(row.expected);
  });
}

test('Laying a deviation over the default leaves the scenario’s expectation unchanged.', () => {
  const before = structuredClone(withDeviations);
  expectationFor(withDeviations, 'webkit');
  expectationFor(withDeviations, 'firefox');
  expect(withDeviations).toStrictEqual(before);
});
