// `npm run bench`: the whole matrix per engine, run the harness's way (one open page per requesting origin) and
// the naive way (a fresh browsing context and page per case), in the same run, against the same servers.
import { CaseRunner, type CaseRecord } from '../lib/measure/case-runner.ts';
import { ENGINE_NAMES, type EngineName } from '../lib/measure/engines/engine.ts';
import { launchEngine } from '../lib/measure/engines/launch.ts';
import { ALL_CASES } from '../scenarios/index.ts';
import { startServers } from '../servers/start-servers.ts';

interface Pass {
  readonly seconds: number;
  readonly casesPerSecond: number;
  readonly records: readonly CaseRecord[];
}

async function timedPass(runner: CaseRunner, isolated: boolean): Promise<Pass> {
  const records: CaseRecord[] = [];
  const started = performance.now();
  for (const testCase of ALL_CASES) records.push(await runner.run(testCase, { isolated }));
  const seconds = (performance.now() - started) / 1000;
  return { seconds, casesPerSecond: records.length / seconds, records };
}

function verdictCounts(records: readonly CaseRecord[]): string {
  const counts = new Map<string, number>();
  for (const r of records) counts.set(r.outcome.verdict, (counts.get(r.outcome.verdict) ?? 0) + 1);
  return [...counts].map(([verdict, n]) => `${verdict} ${n}`).join(', ');
}

const requested = (process.argv[2]?.split(',') ?? ENGINE_NAMES) as EngineName[];
const servers = await startServers();
const rows: string[] = [];
try {
  for (const name of requested) {
    const launchStarted = performance.now();
    const session = await launchEngine(name);
    const launchSeconds = (performance.now() - launchStarted) / 1000;
    const runner = new CaseRunner(session, servers);
    const { info } = session;
    console.log(`\n${info.name} ${info.version} (${info.build} build via ${info.protocol}), launched in ${launchSeconds.toFixed(2)} s`);
    const fast = await timedPass(runner, false);
    console.log(`  open page: ${fast.records.length} cases in ${fast.seconds.toFixed(2)} s — ${verdictCounts(fast.records)}`);
    const naive = await timedPass(runner, true);
    console.log(`  naive:     ${naive.records.length} cases in ${naive.seconds.toFixed(2)} s — ${verdictCounts(naive.records)}`);
    const differing = fast.records.filter((r, i) => r.outcome.verdict !== naive.records[i]?.outcome.verdict).length;
    const mismatched = fast.records.filter((r) => r.mismatches.length > 0).length;
    console.log(`  open-page cases off expectation: ${mismatched}; verdicts differing between the two ways: ${differing}`);
    rows.push(
      `${name.padEnd(9)}${fast.casesPerSecond.toFixed(1).padStart(10)}${naive.casesPerSecond.toFixed(1).padStart(10)}${(fast.casesPerSecond / naive.casesPerSecond).toFixed(1).padStart(8)}×` +
        `${((fast.seconds / fast.records.length) * 1000).toFixed(1).padStart(10)}${((naive.seconds / naive.records.length) * 1000).toFixed(1).padStart(10)}`,
    );
    await session.close();
  }
} finally {
  await servers.close();
}
console.log(`\n${ALL_CASES.length} cases per engine; cases per second (higher is better) and ms per case`);
console.log(`engine      open/s   naive/s   ratio   open ms  naive ms`);
for (const row of rows) console.log(row);
