/** The process table, read from /proc: a run's descendants, their start times (so a reused pid is told apart), and the temporary paths they hold. */
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

export interface ProcessSeen {
  readonly pid: number;
  readonly ppid: number;
  /** Clock ticks since boot: with the pid, names one process even after the pid is reused. */
  readonly startTime: string;
  readonly state: string;
  readonly comm: string;
  readonly cmdline: string;
}

export function readProcess(pid: number): ProcessSeen | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm is in parentheses and may hold spaces or parentheses itself: split after the last ')'.
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const rest = stat.slice(close + 2).split(' ');
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    return { pid, ppid: Number(rest[1]), startTime: rest[19] ?? '', state: rest[0] ?? '', comm, cmdline };
  } catch {
    return undefined; // gone
  }
}

export function allProcesses(): ProcessSeen[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProcess(Number(name)))
    .filter((p): p is ProcessSeen => p !== undefined);
}

/** Every process below `root` now (children, their children, …). */
export function descendants(root: number): ProcessSeen[] {
  const all = allProcesses();
  const children = new Map<number, ProcessSeen[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const found: ProcessSeen[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift() as number;
    for (const child of children.get(pid) ?? []) {
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

/** Whether this very process (same pid, same start) still runs; a zombie does not count. */
export function stillRunning(p: ProcessSeen): boolean {
  const now = readProcess(p.pid);
  return now !== undefined && now.startTime === p.startTime && now.state !== 'Z';
}

/** Top-level entries under `tmp` that a process names in its command line or environment, or holds open. */
export function tempPathsOf(pid: number, tmp: string): Set<string> {
  const paths = new Set<string>();
  const under = (text: string): void => {
    for (const match of text.matchAll(new RegExp(`${tmp.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/([^/\\s=,:;'"]+)`, 'g'))) paths.add(`${tmp}/${match[1]}`);
  };
  const p = readProcess(pid);
  if (p) under(p.cmdline);
  try {
    // A run directory handed to workers through the environment (CORS_MATRIX_RUN_DIR) is one of the run's too.
    under(readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter((v) => !/^(TMPDIR|TEMP|TMP)=/.test(v)).join(' '));
  } catch {
    // gone
  }
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        under(readlinkSync(`/proc/${pid}/fd/${fd}`));
      } catch {
        // closed meanwhile
      }
    }
  } catch {
    // gone, or not ours to read
  }
  try {
    under(readlinkSync(`/proc/${pid}/cwd`));
  } catch {
    // gone
  }
  return paths;
}
