// The stored evidence behind the README's figures: one JSON file per bench or soak run, under evidence/<kind>/, named
// by the run's start and the checkout it measured, with the machine it ran on.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The checkout a run measured. */
export interface CheckoutState {
  /** The full commit id of HEAD. */
  readonly commit: string;
  /** Some tracked file differs from HEAD, or an untracked file is present (`git status --porcelain` says anything). */
  readonly dirty: boolean;
  /** A digest of `git diff HEAD` and the untracked files' names: two states with the same digest had the same changes. */
  readonly changesDigest?: string;
}

/** An engine as a run found it. */
export interface EngineVersion {
  readonly name: string;
  readonly version: string;
}

export interface Machine {
  readonly cores: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly node: string;
  readonly platform: string;
  readonly engines: readonly EngineVersion[];
}

export interface Evidence<Figures> {
  readonly kind: 'bench' | 'soak';
  /** When the run started and ended (ISO 8601, UTC). */
  readonly startedAt: string;
  readonly endedAt: string;
  /** The checkout at the start and at the end of the run; they differ when it changed under the run. */
  readonly checkout: CheckoutState;
  readonly checkoutAtEnd: CheckoutState;
  readonly machine: Machine;
  /** The arguments the run was given (`npm run <kind> -- …`). */
  readonly arguments: readonly string[];
  readonly figures: Figures;
}

/** Runs git in the repository; a git that fails is an error naming the command and what it said, never a guess. */
function git(purpose: string, ...args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const said = error instanceof Error && 'stderr' in error ? String((error as { stderr: unknown }).stderr).trim() : String(error);
    throw new Error(`\`git ${args.join(' ')}\` failed in ${ROOT} (${said || 'no output'}): ${purpose}`);
  }
}

/**
 * The commit and the uncommitted changes of the checkout. Throws when git fails: a run that cannot tell which
 * checkout it measured cannot notice that the checkout changed under it either.
 */
export function checkoutState(purpose = 'the checkout a run measured cannot be known'): CheckoutState {
  const commit = git(purpose, 'rev-parse', 'HEAD').trim();
  const status = git(purpose, 'status', '--porcelain').trim();
  if (status === '') return { commit, dirty: false };
  const changes = git(purpose, 'diff', 'HEAD') + git(purpose, 'ls-files', '--others', '--exclude-standard');
  let digest = 0;
  for (let i = 0; i < changes.length; i++) digest = (digest * 31 + changes.charCodeAt(i)) | 0;
  return { commit, dirty: true, changesDigest: (digest >>> 0).toString(16).padStart(8, '0') };
}

/** A checkout state as one short line: `abc1234`, or `abc1234+changes:1f2e3d4c`. */
export function checkoutLine(state: CheckoutState): string {
  return `${state.commit.slice(0, 7)}${state.dirty ? `+changes:${state.changesDigest}` : ''}`;
}

export function sameCheckout(a: CheckoutState, b: CheckoutState): boolean {
  return a.commit === b.commit && a.dirty === b.dirty && a.changesDigest === b.changesDigest;
}

export function machine(engines: readonly EngineVersion[]): Machine {
  return {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    engines,
  };
}

/** Writes the evidence to evidence/<kind>/<start, UTC>-<commit>.json and gives the path, relative to the repository. */
export function writeEvidence<Figures>(evidence: Evidence<Figures>): string {
  const stamp = evidence.startedAt.replace(/\.\d+Z$/, 'Z').replaceAll(':', '');
  const relative = join('evidence', evidence.kind, `${stamp}-${evidence.checkout.commit.slice(0, 7)}${evidence.checkout.dirty ? '-dirty' : ''}.json`);
  mkdirSync(join(ROOT, 'evidence', evidence.kind), { recursive: true });
  writeFileSync(join(ROOT, relative), `${JSON.stringify(evidence, null, 2)}\n`);
  return relative;
}
