import { test, expect } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSelection } from '../../lib/playwright/run-selection.ts';

const runDir = (selection?: string): string => {
  const dir = mkdtempSync(join(tmpdir(), 'cm-selection-'));
  if (selection !== undefined) writeFileSync(join(dir, 'selection.json'), selection);
  return dir;
};

test('Without a run folder there is no selection: the worker measures what its spec files declare.', () => {
  expect(readSelection(undefined, 'chromium')).toBeUndefined();
});

test("A project's selection is the set of its measurement ids; a project the run did not select has none.", () => {
  const dir = runDir(JSON.stringify({ projects: { chromium: ['a#0', 'b#0'] } }));
  expect([...(readSelection(dir, 'chromium') ?? [])]).toEqual(['a#0', 'b#0']);
  expect(readSelection(dir, 'firefox')?.size).toBe(0);
});

const corrupt: readonly [title: string, selection: string | undefined, words: string][] = [
  ['missing', undefined, 'could not be read'],
  ['cut off mid-write', '{"projects": {"chromium": ["a#0"', 'is not JSON'],
  ['without its projects', '{"cases": []}', 'has no "projects" object'],
  ['with a project that is not a list', '{"projects": {"chromium": "a#0"}}', 'field projects["chromium"]: must be a list of case ids'],
];
for (const [title, selection, words] of corrupt) {
  test(`A selection file that is ${title} is an error naming the file, never "measure everything".`, () => {
    const dir = runDir(selection);
    expect(() => readSelection(dir, 'chromium')).toThrow(words);
    expect(() => readSelection(dir, 'chromium')).toThrow(join(dir, 'selection.json'));
  });
}
