import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import type { LedgerEntry, MatrixResults } from '../../lib/index.ts';
import { sarifProblems } from '../scan/sarif-schema.ts';
import { HOST_DIR, type TargetName } from './cors-matrix.config.ts';

// The deployed API on the namespace host (host.sh, run by run.sh), checked as a user would: `npx playwright test` on a
// deployed-target config (deployed.spec.ts), one child run per target, its report and the upstream app's own log read
// afterwards. Every byte goes to 10.77.0.2, in the namespace run.sh created.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NAMESPACE = 'cm-deployed';
/** Where each child run's output and report go: run.sh points it at evidence/deployed when asked to keep them. */
const OUT = process.env['CM_DEPLOYED_OUTPUT'] ?? join(HOST_DIR, 'runs');
const UPSTREAM_LOG = join(HOST_DIR, 'upstream.log');

interface ChildRun {
  readonly code: number | null;
  readonly output: string;
  readonly results: MatrixResults;
}

/**
 * Runs one target's config under `npx playwright test`. `inNamespace` runs it inside the namespace, whose resolver is
 * the dnsmasq there: names are found by DNS only there, and a missing name is asked of nothing outside.
 */
function runTarget(target: TargetName, { engines = ['chromium'], inNamespace = false }: { engines?: readonly string[]; inNamespace?: boolean } = {}): Promise<ChildRun> {
  const dir = join(OUT, target);
  mkdirSync(dir, { recursive: true });
  const argv = ['npx', 'playwright', 'test', '-c', 'tests/deployed/targets.config.ts'];
  const [command, ...args] = inNamespace ? ['ip', 'netns', 'exec', NAMESPACE, ...argv] : argv;
  const env = { ...process.env, CM_DEPLOYED_TARGET: target, CM_DEPLOYED_ENGINES: engines.join(','), CORS_MATRIX_REPORT_DIR: join(dir, 'report'), CM_DEPLOYED_RESULTS: join(dir, 'test-results'), FORCE_COLOR: '0' };
  return new Promise((resolve, reject) => {
    const child = spawn(command!, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      writeFileSync(join(dir, 'output.txt'), output);
      try {
        resolve({ code, output, results: JSON.parse(readFileSync(join(dir, 'report', 'results.json'), 'utf8')) as MatrixResults });
      } catch (error) {
        reject(new Error(`${target}: no results.json (exit ${code}): ${String(error)}\n${output.slice(-3000)}`));
      }
    });
  });
}

/** The lines the upstream app logged while `run` ran (its own record of what reached it), kept as `upstream.log` in `keep`. */
async function upstreamLines<T>(keep: string, run: () => Promise<T>): Promise<{ value: T; lines: string[] }> {
  const before = readFileSync(UPSTREAM_LOG, 'utf8').length;
  const value = await run();
  const logged = readFileSync(UPSTREAM_LOG, 'utf8').slice(before);
  mkdirSync(join(OUT, keep), { recursive: true });
  writeFileSync(join(OUT, keep, 'upstream.log'), logged);
  return { value, lines: logged.split('\n').filter((l) => l !== '') };
}

const ledgerOf = (results: MatrixResults): LedgerEntry[] => results.records.flatMap((r) => r.case?.ledger ?? []);
const WRITE = /^(PUT|POST|PATCH|DELETE) /;

test('the reflected-origin hole is found in chromium, firefox and webkit; writes are held back and never reach the upstream', async () => {
  const { value: run, lines } = await upstreamLines('hole', () => runTarget('hole', { engines: ['chromium', 'firefox', 'webkit'] }));
  // The hole is real and undeclared: the run fails, and its diagnosis names it once, seen in every engine.
  expect(run.code, run.output.slice(-3000)).toBe(1);
  expect(run.output).toMatch(/diagnosis: \d+ root causes?/);
  expect(run.output).toMatch(/^1\. the origin check reflects any origin/m);
  // The PUT was sent by the browser and held back here: the impact says so, and that the upstream did not run it.
  expect(run.output).toMatch(/https:\/\/evil\.test reads \/health and PUTs \/health \(sent by the browser; held back here, so your server did not run it\) with the user's session/);
  const hole = (run.results.diagnosis ?? []).filter((c) => c.kind === 'origin-accepted');
  expect(hole).toHaveLength(1);
  expect(hole[0]!.severity).toBe('outsider-reads-with-credentials');
  expect(hole[0]!.engines).toEqual(['chromium', 'firefox', 'webkit']);
  // The ledger is on the wire, through the proxy, for the deployed origin: preflights answered by the upstream (varnish
  // in the path), actual writes answered by the proxy and marked held back.
  const ledger = ledgerOf(run.results);
  expect(ledger.filter((e) => e.kind === 'preflight' && e.target === 'https://api.deployed.test' && e.responseHeaders.some((h) => h.name === 'via' && /varnish/i.test(h.value))).length).toBeGreaterThan(0);
  const heldBack = ledger.filter((e) => e.kind === 'actual' && WRITE.test(`${e.method} `));
  expect(heldBack.length).toBeGreaterThan(0);
  for (const entry of heldBack) expect(entry.responseHeaders.find((h) => h.name.toLowerCase() === 'x-cors-matrix-held-back')?.value).toMatch(/^held back: (PUT|DELETE) not forwarded to api\.deployed\.test/);
  // The upstream's own log: the preflights and reads arrived, no write did.
  expect(lines.filter((l) => l.startsWith('OPTIONS /health?cm_case=')).length).toBeGreaterThan(0);
  expect(lines.filter((l) => WRITE.test(l))).toEqual([]);
});

test('with allowWrites, the writes the engines sent reach the upstream', async () => {
  const { value: run, lines } = await upstreamLines('writes', () => runTarget('writes'));
  expect(run.code, run.output.slice(-3000)).toBe(1);
  const sent = ledgerOf(run.results).filter((e) => e.kind === 'actual' && e.method === 'PUT');
  expect(sent.length).toBeGreaterThan(0);
  for (const entry of sent) expect(entry.responseHeaders.some((h) => h.name.toLowerCase() === 'x-cors-matrix-held-back')).toBe(false);
  expect(lines.filter((l) => l.startsWith('PUT /health?cm_case=')).sort()).toEqual(sent.map((e) => `PUT ${e.path}`).sort());
});

test('without resolve, the name is found by the DNS server in the namespace', async () => {
  const run = await runTarget('dns', { inNamespace: true });
  const errors = run.results.records.filter((r) => r.case?.outcome.verdict === 'harness-error');
  expect(errors.map((r) => r.case?.outcome.verdict), run.output.slice(-3000)).toEqual([]);
  expect(ledgerOf(run.results).filter((e) => e.kind === 'preflight' && e.status === 204).length).toBeGreaterThan(0);
  expect(run.output).toMatch(/^1\. the origin check reflects any origin/m);
});

/** Each failure of a deployed API, provoked for real, and the words the run must name it with. */
const FAILURES: readonly [TargetName, RegExp, boolean?][] = [
  ['dns-failure', /^missing\.deployed\.test: DNS finds no address for missing\.deployed\.test \(ENOTFOUND\); pin one with target\.resolve$/, true],
  ['refused', /^api\.deployed\.test:444 \(pinned to 10\.77\.0\.2 by target\.resolve\): connection refused \(nothing listens on port 444\)$/],
  ['unknown-ca', /^api\.deployed\.test \(pinned to 10\.77\.0\.2 by target\.resolve\): TLS verification failed: its TLS certificate is signed by a CA this machine does not trust \(\w+\); if a private CA signed it, give its PEM file as target\.ca \(--ca\)$/],
  ['wrong-name', /^api\.deployed\.test:8443 \(pinned to 10\.77\.0\.2 by target\.resolve\): TLS verification failed: its TLS certificate is for another name \(ERR_TLS_CERT_ALTNAME_INVALID\)$/],
  ['expired', /^api\.deployed\.test:8444 \(pinned to 10\.77\.0\.2 by target\.resolve\): TLS verification failed: its TLS certificate has expired \(CERT_HAS_EXPIRED\)$/],
  ['login-redirect', /^api\.deployed\.test: GET \/login-wall answers 302, a redirect to https:\/\/api\.deployed\.test\/login\?next=\/login-wall, which looks like a login page: the API is not reached without signing in$/],
  ['block-page', /^api\.deployed\.test: GET \/blocked answers 403 with an HTML page \(Server: Varnish\): a block page from a WAF or CDN, not the API$/],
];

test('each failure of a deployed API is named once, before any engine starts; every other case is not measured because of it', async () => {
  // No engine is launched in these runs, so they run side by side.
  const { value: runs, lines } = await upstreamLines('failures', () => Promise.all(FAILURES.map(([target, , inNamespace]) => runTarget(target, { inNamespace }))));
  for (const [index, [target, reason]] of FAILURES.entries()) {
    const run = runs[index]!;
    expect(run.code, `${target}: ${run.output.slice(-2000)}`).toBe(1);
    const outcomes = run.results.records.flatMap((r) => (r.case ? [r.case] : []));
    expect(outcomes.length, target).toBeGreaterThan(1);
    expect(outcomes.map((c) => c.outcome.harnessCode ?? c.outcome.verdict), target).toEqual(outcomes.map(() => 'target-unreachable'));
    // One case carries the whole error, naming the host and the reason; no engine was launched.
    const [whole, ...more] = outcomes.filter((c) => c.outcome.harnessProblem?.startsWith('your deployed API is not reachable: '));
    expect(more, target).toEqual([]);
    expect(whole!.outcome.harnessProblem!.replace(/^your deployed API is not reachable: /, ''), target).toMatch(reason);
    expect(outcomes.every((c) => c.engine.version === 'not launched'), target).toBe(true);
    // Every other case points at that one: "not measured, because …".
    for (const other of outcomes.filter((c) => c !== whole)) expect(other.outcome.harnessProblem, target).toMatch(/^not measured, because .* \(the case ".*" gives the whole error\)$/);
    expect(run.output.split('your deployed API is not reachable:').length - 1, target).toBe(1);
  }
  // The checks asked the upstream app with a GET only (the TLS failures and the block page never reach it).
  expect(lines.filter((l) => !l.startsWith('GET '))).toEqual([]);
});

test('scan, from flags alone, finds the hole on the namespace host and writes valid SARIF; its writes are held back', async () => {
  const sarif = join(OUT, 'scan', 'cors.sarif');
  mkdirSync(join(OUT, 'scan'), { recursive: true });
  const argv = ['bin/cors-matrix.mjs', 'scan', 'https://api.deployed.test/health', '--origin', 'https://app.deployed.test', '--credentials', '--method', 'PUT', '--ca', join(HOST_DIR, 'ca.crt'), '--resolve', 'api.deployed.test=10.77.0.2', '--engines', 'chromium', '--sarif', sarif];
  const { value: run, lines } = await upstreamLines('scan', () =>
    new Promise<{ code: number | null; output: string }>((resolve, reject) => {
      const child = spawn(process.execPath, argv, { cwd: ROOT, env: { ...process.env, FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (c: Buffer) => (output += c.toString()));
      child.stderr.on('data', (c: Buffer) => (output += c.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, output }));
    }),
  );
  writeFileSync(join(OUT, 'scan', 'output.txt'), run.output);
  expect(run.code, run.output.slice(-3000)).toBe(1);
  expect(run.output).toMatch(/^1\. the origin check reflects any origin/m);
  const log = JSON.parse(readFileSync(sarif, 'utf8')) as { runs: { results: { level: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
  expect(sarifProblems(log)).toBe('');
  const [first] = log.runs[0]!.results;
  expect(first?.level).toBe('error');
  expect(first?.locations[0]?.physicalLocation.artifactLocation.uri).toBe('https://api.deployed.test/health');
  expect(lines.filter((l) => WRITE.test(l))).toEqual([]);
});
