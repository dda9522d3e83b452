/**
 * The processes a run starts outside Playwright (WebKitWebDriver, Xvfb, your server), and what ends them with the
 * run: a registry that kills whatever is still registered when this process exits or is told to stop; and, in
 * Playwright's main process, SIGTERM, SIGHUP or a launcher gone away turned into the interruption Ctrl-C makes.
 */
import type { ChildProcess } from 'node:child_process';

interface Registered {
  readonly child: ChildProcess;
  readonly name: string;
  /** Started detached as the leader of its own process group: the whole group is ended with it. */
  readonly group: boolean;
}

const registered = new Set<Registered>();
let hooked = false;

function killAll(signal: NodeJS.Signals): void {
  for (const { child, group } of registered) {
    if (!exitDescription(child)) {
      try {
        if (group && child.pid !== undefined) process.kill(-child.pid, signal);
        else child.kill(signal);
      } catch {
        // already gone
      }
    }
  }
}

let hangupIgnored = false;

/** Whether this process is one of Playwright's test workers (which Playwright's main process starts and stops). */
function inPlaywrightWorker(): boolean {
  return process.env['TEST_WORKER_INDEX'] !== undefined;
}

/**
 * In a Playwright worker: SIGHUP is ignored, as Playwright ignores SIGINT and SIGTERM there. The main process stops its
 * workers on each of these (interruptGracefully below), and a worker stopped that way runs its 'exit' handlers, which
 * remove its temporary directories (an engine profile, varnishd's work directory). A worker that died of a SIGHUP sent
 * to the whole process group would leave them behind; Playwright's own SIGHUP handler, which kept it alive, exists only
 * while a browser it launched runs, so a hangup during a worker's setup killed it (tests/interrupt, seen once in CI).
 * Call before creating anything that only an 'exit' handler removes.
 */
export function surviveHangupInWorker(): void {
  if (hangupIgnored || !inPlaywrightWorker()) return;
  hangupIgnored = true;
  process.on('SIGHUP', () => undefined);
}

/** Once per process: on exit, kill what is left; on SIGINT/SIGTERM/SIGHUP, kill it too, then die of that signal. */
function hook(): void {
  if (hooked) return;
  hooked = true;
  surviveHangupInWorker();
  // 'exit' handlers run synchronously: a kill is all there is time for, and all it takes.
  process.on('exit', () => killAll('SIGKILL'));
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      killAll('SIGTERM');
      // Someone else listens too (Playwright's own handlers): let them decide when this process ends.
      if (process.listenerCount(signal) > 1) return;
      process.off(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

/**
 * Registers a child to be killed if this process ends before the child does. Returns it for chaining; it leaves the
 * registry by itself when it exits.
 */
export function registerChild<T extends ChildProcess>(child: T, name: string, options: { readonly group?: boolean } = {}): T {
  hook();
  const entry: Registered = { child, name, group: options.group ?? false };
  registered.add(entry);
  child.once('exit', () => registered.delete(entry));
  return child;
}

/** How a child ended (`exited with code 1`, `was killed by SIGKILL`), or undefined while it runs. */
export function exitDescription(child: ChildProcess): string | undefined {
  if (child.signalCode !== null) return `was killed by ${child.signalCode}`;
  if (child.exitCode !== null) return `exited with code ${child.exitCode}`;
  return undefined;
}

/** The children still registered, by name: for tests and for messages. */
export function registeredChildren(): string[] {
  return [...registered].map(({ child, name }) => `${name} (pid ${child.pid ?? '?'})`);
}

/**
 * In Playwright's main process: SIGTERM and SIGHUP stop the run the way Ctrl-C does, and so does the launcher going
 * away (SIGTERM to `npx` ends its `sh -c`, never Playwright). Playwright's main process has no SIGTERM handler of its
 * own: it would die at once, leaving its reporters unfinished and its run directory behind, while its workers close
 * their engines unobserved. On SIGINT it stops the workers, closes the engines and servers, and finishes the report.
 * Does nothing in Playwright's workers, which ignore these signals and are stopped by the main process.
 */
export function interruptGracefully(pollMs = 500): void {
  if (inPlaywrightWorker()) return;
  const interrupt = (why: string): void => {
    process.stderr.write(`cors-matrix: ${why}; stopping the run as Ctrl-C would\n`);
    process.kill(process.pid, 'SIGINT');
  };
  for (const signal of ['SIGTERM', 'SIGHUP'] as const) process.on(signal, () => interrupt(signal));
  const launcher = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === launcher) return;
    clearInterval(timer);
    interrupt(`the process that started this run (pid ${launcher}) has gone`);
  }, pollMs);
  timer.unref();
}
