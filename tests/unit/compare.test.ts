import { test, expect } from '@playwright/test';
import { mismatches, type ComparedExpectation } from '../../lib/judge/compare.ts';
import type { CaseOutcome } from '../../lib/judge/outcome.ts';
import type { ExpectedOutcome } from '../../lib/model/scenario.ts';

function outcome(overrides: Partial<CaseOutcome> = {}): CaseOutcome {
  return {
    verdict: 'allowed',
    preflight: { sent: false },
    reachedServer: true,
    handlerRan: true,
    readable: true,
    status: 200,
    responseType: 'cors',
    readableHeaders: { 'content-type': 'text/plain' },
    cookiesReceived: [],
    ...overrides,
  };
}

interface MismatchRow {
  readonly title: string;
  readonly expected: ExpectedOutcome | ComparedExpectation;
  readonly outcome: CaseOutcome;
  /** The field each reported mismatch is about, in the order reported. */
  readonly fields: readonly string[];
  /** Words that must appear somewhere in the mismatch messages. */
  readonly words?: readonly string[];
}

const rows: readonly MismatchRow[] = [
  { title: 'An outcome that matches the verdict alone has no mismatch.', expected: { verdict: 'allowed' }, outcome: outcome(), fields: [] },
  {
    title: 'A different verdict is a mismatch naming both verdicts.',
    expected: { verdict: 'blocked-at-response' },
    outcome: outcome(),
    fields: ['verdict'],
    words: ['expected blocked-at-response', 'got allowed'],
  },
  {
    title: 'A harness error where a CORS block was expected is a verdict mismatch.',
    expected: { verdict: 'blocked-at-preflight' },
    outcome: outcome({ verdict: 'harness-error', readable: false }),
    fields: ['verdict'],
    words: ['blocked-at-preflight', 'harness-error'],
  },
  {
    title: 'A harness error of another kind than the one expected is a harness-problem mismatch: a crashed engine does not pass for a refused connection.',
    expected: { verdict: 'harness-error', harnessProblem: 'no-arrival' },
    outcome: outcome({ verdict: 'harness-error', readable: false, harnessCode: 'engine-crashed', harnessProblem: 'the engine failed: Target closed' }),
    fields: ['harness problem'],
    words: ['expected no-arrival', 'got engine-crashed', 'Target closed'],
  },
  {
    title: 'A harness error of the expected kind matches.',
    expected: { verdict: 'harness-error', harnessProblem: 'unparseable-request' },
    outcome: outcome({ verdict: 'harness-error', readable: false, harnessCode: 'unparseable-request' }),
    fields: [],
  },
  {
    title: 'A missing preflight where one was expected is a preflight mismatch.',
    expected: { verdict: 'allowed', preflight: true },
    outcome: outcome(),
    fields: ['preflight'],
    words: ['expected one', 'none was sent'],
  },
  {
    title: 'A preflight where none was expected is a preflight mismatch.',
    expected: { verdict: 'allowed', preflight: false },
    outcome: outcome({ preflight: { sent: true, accessControlRequestMethod: 'PUT' } }),
    fields: ['preflight'],
    words: ['expected none', 'one was sent'],
  },
  {
    title: 'A preflight that was sent as expected is no mismatch.',
    expected: { verdict: 'allowed', preflight: true },
    outcome: outcome({ preflight: { sent: true } }),
    fields: [],
  },
  {
    title: 'A preflight is not checked when the expectation does not mention one.',
    expected: { verdict: 'allowed' },
    outcome: outcome({ preflight: { sent: true } }),
    fields: [],
  },
  {
    title: 'A header expected readable is found whatever the case of its expected name.',
    expected: { verdict: 'allowed', readable: ['X-Total', 'content-type'] },
    outcome: outcome({ readableHeaders: { 'content-type': 'text/plain', 'x-total': '3' } }),
    fields: [],
  },
  {
    title: 'A header expected readable that the script could not read is a readable mismatch naming it.',
    expected: { verdict: 'allowed', readable: ['X-Total'] },
    outcome: outcome(),
    fields: ['readable'],
    words: ['X-Total'],
  },
  {
    title: 'Each unreadable header expected readable is its own mismatch.',
    expected: { verdict: 'allowed', readable: ['X-Total', 'X-Page', 'Content-Type'] },
    outcome: outcome(),
    fields: ['readable', 'readable'],
    words: ['X-Total', 'X-Page'],
  },
  {
    title: 'A header expected hidden that the script could read is a hidden mismatch naming it.',
    expected: { verdict: 'allowed', hidden: ['X-Secret'] },
    outcome: outcome({ readableHeaders: { 'x-secret': 's' } }),
    fields: ['hidden'],
    words: ['X-Secret'],
  },
  {
    title: 'A header expected hidden that the script could not read is no mismatch.',
    expected: { verdict: 'allowed', hidden: ['X-Secret'] },
    outcome: outcome(),
    fields: [],
  },
  {
    title: 'The expected harness cookies arriving, in another order, is no mismatch.',
    expected: { verdict: 'allowed', cookies: ['cm_lax', 'cm_none'] },
    outcome: outcome({ cookiesReceived: ['cm_none', 'cm_lax'] }),
    fields: [],
  },
  {
    title: 'Cookies that are not the harness’s own (no cm_ prefix) are not counted.',
    expected: { verdict: 'allowed', cookies: ['cm_lax'] },
    outcome: outcome({ cookiesReceived: ['session', 'cm_lax', '_ga'] }),
    fields: [],
  },
  {
    title: 'Expecting no cookies is met when only foreign cookies arrive.',
    expected: { verdict: 'allowed', cookies: [] },
    outcome: outcome({ cookiesReceived: ['session'] }),
    fields: [],
  },
  {
    title: 'A harness cookie arriving twice is the same set as arriving once.',
    expected: { verdict: 'allowed', cookies: ['cm_lax'] },
    outcome: outcome({ cookiesReceived: ['cm_lax', 'cm_lax'] }),
    fields: [],
  },
  {
    title: 'A harness cookie arriving where none was expected is a cookies mismatch.',
    expected: { verdict: 'allowed', cookies: [] },
    outcome: outcome({ cookiesReceived: ['cm_lax'] }),
    fields: ['cookies'],
    words: ['expected []', 'received [cm_lax]'],
  },
  {
    title: 'A missing harness cookie is a cookies mismatch.',
    expected: { verdict: 'allowed', cookies: ['cm_lax', 'cm_none'] },
    outcome: outcome({ cookiesReceived: ['cm_lax', 'session'] }),
    fields: ['cookies'],
    words: ['expected [cm_lax, cm_none]', 'received [cm_lax]'],
  },
  {
    title: 'A different harness cookie of the same count is a cookies mismatch.',
    expected: { verdict: 'allowed', cookies: ['cm_lax'] },
    outcome: outcome({ cookiesReceived: ['cm_none'] }),
    fields: ['cookies'],
  },
  {
    title: 'Cookies are not checked when the expectation does not mention them.',
    expected: { verdict: 'allowed' },
    outcome: outcome({ cookiesReceived: ['cm_lax', 'cm_none'] }),
    fields: [],
  },
  {
    title: 'Every kind of mismatch is reported at once, in a fixed order.',
    expected: { verdict: 'allowed', preflight: false, readable: ['X-Total'], hidden: ['Content-Type'], cookies: ['cm_none'] },
    outcome: outcome({ verdict: 'blocked-at-response', preflight: { sent: true }, cookiesReceived: ['cm_lax'] }),
    fields: ['verdict', 'preflight', 'readable', 'hidden', 'cookies'],
  },
];

for (const row of rows) {
  test(row.title, () => {
    const found = mismatches(row.expected, row.outcome);
    expect(found.map((message) => message.slice(0, message.indexOf(':')))).toEqual(row.fields);
    for (const word of row.words ?? []) expect(found.join('\n')).toContain(word);
  });
}
