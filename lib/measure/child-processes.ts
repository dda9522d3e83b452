/**
 * The processes a run starts outside Playwright (WebKitWebDriver, Xvfb, your server), and what ends them with the
 * run: a registry that kills whatever is still registered when this process exits or is told to stop, and a
 * watchdog that ends a run whose launcher has gone away (SIGTERM to `npx` reaches its `sh -c`, never Playwright).
 */
import type { ChildProcess } from 'node:child_process';

interface Registered {
  readonly child: ChildProcess;
  readonly name: string;
}

const registered = new Set<Registered>();
let hooked = false;

function killAll(signal: NodeJS.Signals): void {
  for (const { child } of registered) {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        child.kill(signal);
      } catch {
        // already gone
      }
    }
  }
}

/** Once per process: on exit, kill what is left; on SIGINT/SIGTERM/SIGHUP, kill it too, then die of that signal. */
function hook(): void {
  if (hooked) return;
  hooked = true;
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
export function registerChild<T extends ChildProcess>(child: T, name: string): T {
  hook();
  const entry: Registered = { child, name };
  registered.add(entry);
  child.once('exit', () => registered.delete(entry));
  return child;
}

/** The children still registered, by name: for tests and for messages. */
export function registeredChildren(): string[] {
  return [...registered].map(({ child, name }) => `${name} (pid ${child.pid ?? '?'})`);
}

/**
 * In Playwright's main process: when the process that started the run exits (its parent changes), stop the run as
 * SIGTERM would, so that engines, drivers and servers are closed rather than left running for nobody. Does nothing in
 * Playwright's workers, whose parent is the main process and which Playwright stops itself.
 */
export function endWithLauncher(pollMs = 500): void {
  if (process.env['TEST_WORKER_INDEX'] !== undefined) return;
  const launcher = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === launcher) return;
    clearInterval(timer);
    process.stderr.write(`cors-matrix: the process that started this run (pid ${launcher}) has gone; stopping the run\n`);
    process.kill(process.pid, 'SIGTERM');
  }, pollMs);
  timer.unref();
}
