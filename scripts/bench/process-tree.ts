import { readdirSync, readFileSync } from 'node:fs';

/** Who a process in a whole run is: the Playwright runner, a Playwright worker, a browser (or its driver/display), or the launcher. */
export type ProcessRole = 'runner' | 'workers' | 'browsers' | 'launcher';

export const PROCESS_ROLES: readonly ProcessRole[] = ['runner', 'workers', 'browsers', 'launcher'];

/** Memory of a process tree in bytes: the whole, and split by role. */
export interface TreeMemory {
  readonly totalBytes: number;
  readonly byRole: Readonly<Record<ProcessRole, number>>;
}

/** One process's proportional set size: its private memory plus its share of what it shares (browsers share a lot). */
function proportionalBytes(pid: number): number | undefined {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kib = /^Pss:\s+(\d+) kB/m.exec(rollup)?.[1];
    return kib === undefined ? undefined : Number(kib) * 1024;
  } catch {
    return undefined;
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** A worker is forked from Playwright's worker entry; the runner is the node process that forks them. */
const WORKER_ENTRY = 'workerProcessEntry';

/**
 * Memory of a process and all its descendants, read from /proc (Linux): the sum of their proportional set sizes, so
 * pages that a browser's processes share are counted once; resident size where PSS cannot be read. Split by role:
 * Playwright workers (node processes forked from its worker entry), everything below a worker (browsers, drivers,
 * Xvfb), the runner (the process that forked the workers), and the rest (npx and its shell).
 */
export function treeMemory(rootPid: number): TreeMemory {
  const parents = new Map<number, number>();
  const rss = new Map<number, number>();
  const pageSize = 4096;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: fields are counted from the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(entry), Number(fields[1]));
      rss.set(Number(entry), Number(fields[21]) * pageSize);
    } catch {
      // the process ended while we looked
    }
  }
  const inTree = new Set([rootPid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, parent] of parents) {
      if (!inTree.has(pid) && inTree.has(parent)) {
        inTree.add(pid);
        grew = true;
      }
    }
  }
  const workers = new Set([...inTree].filter((pid) => commandLine(pid).includes(WORKER_ENTRY)));
  const runners = new Set([...workers].map((pid) => parents.get(pid)).filter((pid): pid is number => pid !== undefined));
  const belowWorker = (pid: number): boolean => {
    for (let up = parents.get(pid); up !== undefined && up > 1; up = parents.get(up)) if (workers.has(up)) return true;
    return false;
  };
  const byRole: Record<ProcessRole, number> = { runner: 0, workers: 0, browsers: 0, launcher: 0 };
  let totalBytes = 0;
  for (const pid of inTree) {
    const bytes = proportionalBytes(pid) ?? rss.get(pid) ?? 0;
    const role: ProcessRole = workers.has(pid) ? 'workers' : belowWorker(pid) ? 'browsers' : runners.has(pid) ? 'runner' : 'launcher';
    byRole[role] += bytes;
    totalBytes += bytes;
  }
  return { totalBytes, byRole };
}

/** Memory of a process and all its descendants, in bytes (see treeMemory). */
export function treeMemoryBytes(rootPid: number): number {
  return treeMemory(rootPid).totalBytes;
}
