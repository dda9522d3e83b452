// The fixture's cost on this example: runs tests/cost.spec.ts (the same journey without cors-matrix, with the cors
// fixture recording, and with matchers) in rounds, the variants in a rotating order, in one engine. Prints per variant
// the median test duration (Playwright's own: fixtures, setup and teardown included) and its ratio to the plain run,
// and the fixture's own time (its setup, judging the records for the matchers, its teardown, as it measures itself)
// as a share of the test's duration. The todo journey (12 API requests) also gives its cost per request, from the
// page's own timing of its requests: that leaves out the test's fixed parts (context, page, the fixture's setup and
// teardown), which the whole-test ratio holds. With --json, stdout carries one JSON object with the same figures (the repo's
// `npm run bench` reads it). The shared machine moves whole-test medians by ±20 % from run to run; the
// fixture's own time is the steadier figure (it leaves out the proxy hop, which only the whole-test ratio holds). Usage: node bench.mjs [--project chromium] [--rounds 12] [--grep REGEXP] [--json] (--grep: only the variants whose
// title matches, e.g. 'todos: (plain playwright, https|cors fixture)': more rounds in the same time)
import { spawnSync } from 'node:child_process';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const project = arg('project', 'chromium');
const rounds = arg('rounds', '12');
const json = process.argv.includes('--json');
const grep = arg('grep', undefined);
const run = spawnSync('npx', ['playwright', 'test', 'tests/cost.spec.ts', `--project=${project}`, '--workers=1', '--reporter=json', ...(grep ? [`--grep=${grep}`] : [])], {
  encoding: 'utf8',
  env: { ...process.env, CORS_E2E_BENCH: '1', CORS_E2E_BENCH_ROUNDS: rounds },
  maxBuffer: 64 * 1024 * 1024,
});
if (run.status !== 0) {
  console.error(run.stderr || run.stdout.slice(0, 4000));
  process.exit(run.status ?? 1);
}
const report = JSON.parse(run.stdout);
/** Per variant: [test duration, the fixture's own ms] of each passed run, in run order. */
const runs = new Map();
// The fixture's own time, as it measures itself (setup, judging the records, teardown; annotation 'cors-matrix cost').
const NO_COST = { setupMs: 0, judgingMs: 0, teardownMs: 0 };
const costOf = (annotations) => {
  const cost = annotations.find((a) => a.type === 'cors-matrix cost');
  return cost ? JSON.parse(cost.description) : NO_COST;
};
const walk = (suite) => {
  for (const spec of suite.specs ?? []) {
    for (const t of spec.tests) for (const r of t.results) if (r.status === 'passed') {
      const annotations = r.annotations ?? t.annotations ?? [];
      const cost = costOf(annotations);
      // The todo journey's requests as the page timed them (tests/cost.spec.ts), from the first call to the last answer.
      const requestsMs = Number(annotations.find((a) => a.type === 'journey requests ms')?.description ?? NaN);
      runs.set(spec.title, [...(runs.get(spec.title) ?? []), [r.duration, cost.setupMs + cost.judgingMs + cost.teardownMs, cost, requestsMs]]);
    }
  }
  for (const child of suite.suites ?? []) walk(child);
};
for (const suite of report.suites) walk(suite);
// The first run of each pays the worker's start (browser, proxy): left out. The median, as the machine is shared.
const median = (list) => {
  const kept = [...list].sort((a, b) => a - b);
  const mid = Math.floor(kept.length / 2);
  return kept.length % 2 ? kept[mid] : (kept[mid - 1] + kept[mid]) / 2;
};
// Two journeys: the shop (titles without a prefix; 3 API requests) and the todos ("todos: …"; 12 API requests, 6
// preflights), each against its own plain run. The todo journey's added ms per request: (fixture − plain) / 12.
// The todo journey's plain run calls the API over https too (as the fixture's https API origin is), directly.
const PLAIN_OF = { '': 'plain playwright, API called directly', todos: 'todos: plain playwright, https API called directly' };
const REQUESTS = { todos: 12 };
const journeyOf = (title) => (title.includes(': ') ? title.split(': ')[0] : '');
// How sure the paired median is: the 2.5th and 97.5th percentiles of the medians of 2,000 resamples of the pairs
// (a bootstrap; the generator is seeded, so one run's figures print the same twice).
const interval = (ratios) => {
  if (ratios.length < 5) return undefined;
  let seed = 20261206;
  const random = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const medians = Array.from({ length: 2000 }, () => median(ratios.map(() => ratios[Math.floor(random() * ratios.length)])));
  medians.sort((a, b) => a - b);
  return [medians[49], medians[1949]];
};
/**
 * The todo journey per request, from the page's own timing of its requests (no browser context, page or fixture
 * setup in it: those are the test's, not its requests'): ms per request with and without the fixture, the paired ratio
 * (each run against the plain run of its round) with its interval, and the ms added per request.
 */
const perRequest = (kept, plainRuns, requests) => {
  const pairs = kept.map(([, , , ms], i) => [ms, plainRuns[i]?.[3] ?? NaN]).filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b));
  const ratios = pairs.map(([a, b]) => a / b);
  return {
    requests,
    msPerRequest: median(pairs.map(([a]) => a)) / requests,
    plainMsPerRequest: median(pairs.map(([, b]) => b)) / requests,
    perRequestOverPlain: median(ratios),
    perRequestInterval: interval(ratios),
    msAddedPerRequest: median(pairs.map(([a, b]) => (a - b) / requests)),
  };
};
const base = runs.has(PLAIN_OF['']) ? median(runs.get(PLAIN_OF['']).slice(1).map(([d]) => d)) : undefined;
const variants = [...runs].map(([title, list]) => {
  const kept = list.slice(1);
  const journey = journeyOf(title);
  const plainOf = PLAIN_OF[journey];
  const plainRuns = (runs.get(plainOf) ?? []).slice(1);
  const med = median(kept.map(([d]) => d));
  // Paired: each run against the plain run of the same round (the rounds interleave the variants).
  const paired = kept.map(([d], i) => d / (plainRuns[i]?.[0] ?? NaN)).filter((r) => Number.isFinite(r));
  return {
    title,
    medianMs: med,
    runs: kept.length,
    ...(title !== plainOf && {
      overPlain: med / median(plainRuns.map(([d]) => d)),
      pairedOverPlain: median(paired),
      pairedInterval: interval(paired),
      fixtureOwnMs: median(kept.map(([, o]) => o)),
      fixtureShare: median(kept.map(([d, o]) => o / d)),
      // Where the fixture's own time goes: setting up the recorder, judging for the matchers, the teardown's judging and attachments.
      fixtureParts: Object.fromEntries(Object.keys(NO_COST).map((part) => [part, median(kept.map(([, , cost]) => cost[part]))])),
      ...(REQUESTS[journey] && perRequest(kept, plainRuns, REQUESTS[journey])),
    }),
  };
});
if (json) {
  console.log(JSON.stringify({ project, rounds: Number(rounds), plainMedianMs: base, variants }));
} else {
  console.log(`${project}, ${rounds} runs each in rotating order (the first left out), median:`);
  for (const v of variants) {
    console.log(
      `  ${v.title.padEnd(40)} ${v.medianMs.toFixed(0).padStart(6)} ms` +
        (v.overPlain === undefined ? '' : `   ×${v.overPlain.toFixed(2)} of plain (paired ×${v.pairedOverPlain.toFixed(2)}${v.pairedInterval ? `, 95 % ×${v.pairedInterval[0].toFixed(2)}–×${v.pairedInterval[1].toFixed(2)}` : ''}); the fixture's own time ${v.fixtureOwnMs.toFixed(0)} ms = ${(v.fixtureShare * 100).toFixed(1)} % of the test (setup ${v.fixtureParts.setupMs}, judging ${v.fixtureParts.judgingMs}, teardown ${v.fixtureParts.teardownMs})`) +
        (v.msAddedPerRequest === undefined
          ? ''
          : `\n      per request, timed by the page: ${v.msPerRequest.toFixed(1)} ms against ${v.plainMsPerRequest.toFixed(1)} plain, paired ×${v.perRequestOverPlain.toFixed(2)}${v.perRequestInterval ? ` (95 % ×${v.perRequestInterval[0].toFixed(2)}–×${v.perRequestInterval[1].toFixed(2)})` : ''}, ${v.msAddedPerRequest.toFixed(1)} ms added per request (${v.requests} requests)`),
    );
  }
}
