// The fixture's cost on this example: runs tests/cost.spec.ts (the same journey without cors-matrix, with the cors
// fixture recording, and with matchers) repeatedly in one engine, and prints the mean test duration of each (Playwright's
// own durations: fixtures, setup and teardown included) and the ratio to the plain run.
// Usage: node bench.mjs [--project chromium] [--repeat 8]
import { spawnSync } from 'node:child_process';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const project = arg('project', 'chromium');
const repeat = arg('repeat', '8');
const run = spawnSync('npx', ['playwright', 'test', 'tests/cost.spec.ts', `--project=${project}`, `--repeat-each=${repeat}`, '--workers=1', '--reporter=json'], {
  encoding: 'utf8',
  env: { ...process.env, CORS_E2E_BENCH: '1' },
  maxBuffer: 64 * 1024 * 1024,
});
if (run.status !== 0) {
  console.error(run.stderr || run.stdout.slice(0, 4000));
  process.exit(run.status ?? 1);
}
const report = JSON.parse(run.stdout);
const durations = new Map();
const walk = (suite) => {
  for (const spec of suite.specs ?? []) {
    for (const t of spec.tests) for (const r of t.results) if (r.status === 'passed') durations.set(spec.title, [...(durations.get(spec.title) ?? []), r.duration]);
  }
  for (const child of suite.suites ?? []) walk(child);
};
for (const suite of report.suites) walk(suite);
// The first run of each pays the worker's start (browser, proxy): left out. The median, as the machine is shared.
const mean = (list) => {
  const kept = list.slice(1).sort((a, b) => a - b);
  const mid = Math.floor(kept.length / 2);
  return kept.length % 2 ? kept[mid] : (kept[mid - 1] + kept[mid]) / 2;
};
const plainTitle = 'plain playwright, API called directly';
const base = mean(durations.get(plainTitle) ?? []);
console.log(`${project}, ${repeat} runs each (first left out), median test duration:`);
for (const [title, list] of durations) {
  const m = mean(list);
  console.log(`  ${title.padEnd(40)} ${m.toFixed(0).padStart(6)} ms${title === plainTitle ? '' : `   ×${(m / base).toFixed(3)} (${((m / base - 1) * 100).toFixed(1)} %)`}`);
}
