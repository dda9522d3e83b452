import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import getPort from 'get-port';
import { PORT_PLACEHOLDER, type TargetConfig } from '../model/own-server-config.ts';
import { exitDescription, registerChild } from '../../servers/child-processes.ts';
import { unreachableReason, upstreamOf } from '../../servers/upstream.ts';

export interface RunningTarget {
  readonly url: URL;
  /** Why your server is not answering, when the harness knows (its command ended), in words; else undefined. */
  ended(): string | undefined;
  /**
   * Brings your server back after it stopped answering: its command is started again if it ended, and then (or for a
   * server that restarts itself, or one you run) the harness waits until the URL answers. Throws when it does not.
   */
  revive(): Promise<void>;
  stop(): Promise<void>;
}

const DEFAULT_READY_MS = 20_000;
const PORT_ATTEMPTS = 3;
const RECENT_OUTPUT_MS = 2_000;
const TAIL_LINES = 5;

/**
 * Your server's command did not bring its URL to answer: it ended first, or never answered within the ready timeout.
 * Thrown once per run and environment; the harness reports it on one case and every other case as not measured.
 */
export class TargetStartError extends Error {
  constructor(
    /** The command as run, `{port}` filled in. */
    readonly command: string,
    /** The URL the harness waited for. */
    readonly url: string,
    /** How the command ended (`exited with code 1`), or undefined when it still ran at the deadline. */
    readonly ended: string | undefined,
    readonly readyMs: number,
    /** The last lines your server wrote, stdout and stderr interleaved as they came. */
    readonly lastOutput: readonly string[],
    /** For a deployed target: why the reachability check before the engines failed, naming the host. */
    readonly unreachable?: string,
  ) {
    const what = ended
      ? `your server's command ${ended} before ${url} answered`
      : `your server did not answer at ${url} within ${readyMs} ms (target.readyTimeoutMs)`;
    const said = lastOutput.length > 0 ? `; its last output:\n${lastOutput.join('\n')}` : '; it wrote nothing to stdout or stderr';
    super(unreachable !== undefined ? `your deployed API is not reachable: ${unreachable}` : `${what}; the command: ${command}${said}`);
    this.name = 'TargetStartError';
  }

  /** Its facts as plain data, to hand to another worker of the same run. */
  get fields(): TargetStartFields {
    return { command: this.command, url: this.url, ...(this.ended !== undefined && { ended: this.ended }), readyMs: this.readyMs, lastOutput: this.lastOutput, ...(this.unreachable !== undefined && { unreachable: this.unreachable }) };
  }

  static from(fields: TargetStartFields): TargetStartError {
    return new TargetStartError(fields.command, fields.url, fields.ended, fields.readyMs, fields.lastOutput, fields.unreachable);
  }
}

export interface TargetStartFields {
  readonly command: string;
  readonly url: string;
  readonly ended?: string;
  readonly readyMs: number;
  readonly lastOutput: readonly string[];
  readonly unreachable?: string;
}

/** `{port}` filled in, wherever the config may hold it: target.url, target.command and target.env values. */
export function withPort(text: string, port: string | undefined): string {
  return port === undefined ? text : text.replaceAll(PORT_PLACEHOLDER, port);
}

async function answers(url: URL): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
}

/** Whether anything accepts connections on the URL's port: a listener that speaks no HTTP holds it just the same. */
function portHeld(url: URL): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)) });
    socket.setTimeout(1000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits until the URL answers, or the child (when there is one) ends first; true when it answered. */
async function untilAnswering(url: URL, timeoutMs: number, child?: ChildProcess): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && exitDescription(child)) return false;
    if (await answers(url)) return true;
    await pause(100);
  }
  return false;
}

/** Your server, run by its command: started, watched, and started again on the same port when it ended. */
class CommandTarget implements RunningTarget {
  #child: ChildProcess | undefined;
  /** What your server wrote, both streams, the last few thousand characters; and when it last wrote. */
  #output = '';
  #outputAt = 0;

  constructor(
    readonly url: URL,
    private readonly target: Extract<TargetConfig, { command: string }>,
    private readonly port: string | undefined,
  ) {}

  get #readyMs(): number {
    return this.target.readyTimeoutMs ?? DEFAULT_READY_MS;
  }

  /** Whether your server said its port was taken (Node, Go, Python and nginx all say one of these). */
  get portWasTaken(): boolean {
    return /EADDRINUSE|address already in use/i.test(this.#output);
  }

  /** The last lines your server wrote, to stdout or stderr (dev servers often say why they failed on stdout). */
  get outputTail(): string[] {
    return this.#output
      .split('\n')
      .map((line) => line.trimEnd())
      .filter((line) => line !== '')
      .slice(-TAIL_LINES);
  }

  /** The command as run: `{port}` filled in. */
  get command(): string {
    return withPort(this.target.command, this.port);
  }

  /** Starts the command and waits until the URL answers; the error says why it did not. */
  async start(): Promise<void> {
    this.#output = '';
    const env = Object.fromEntries(Object.entries(this.target.env ?? {}).map(([name, value]) => [name, withPort(value, this.port)]));
    // Its own process group, so that whatever the command starts (a shell, npx, a supervisor) ends with it.
    const child = registerChild(
      spawn(this.command, {
        shell: true,
        cwd: this.target.cwd,
        env: { ...process.env, ...env, ...(this.port && { PORT: this.port }) },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      }),
      'your server',
      { group: true },
    );
    this.#child = child;
    const keep = (chunk: Buffer): void => {
      this.#output = (this.#output + chunk.toString()).slice(-4000);
      this.#outputAt = Date.now();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    if (await untilAnswering(this.url, this.#readyMs, child)) return;
    const ended = exitDescription(child);
    await this.stop();
    throw new TargetStartError(this.command, this.url.href, ended, this.#readyMs, this.outputTail);
  }

  ended(): string | undefined {
    const ended = this.#child && exitDescription(this.#child);
    const lastWords = this.outputTail.at(-1);
    if (ended) return `your server's command ${ended}${lastWords ? `; its last words: ${lastWords}` : ''}`;
    // A command that keeps running (a supervisor, a watcher) may have lost the server inside it: what it just said helps.
    if (lastWords && Date.now() - this.#outputAt < RECENT_OUTPUT_MS) return `your server's command still runs; it just wrote: ${lastWords}`;
    return undefined;
  }

  async revive(): Promise<void> {
    if (this.#child && exitDescription(this.#child)) return this.start();
    if (await untilAnswering(this.url, this.#readyMs, this.#child)) return;
    if (this.#child && exitDescription(this.#child)) return this.start();
    throw new Error(`your server stopped answering at ${this.url} and did not answer again within ${this.#readyMs} ms`);
  }

  async stop(): Promise<void> {
    const child = this.#child;
    if (!child || exitDescription(child) || child.pid === undefined) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    await exited;
  }
}

/** A server you run yourself: the harness can only wait for it, and only if it ever answered. */
function runningElsewhere(url: URL, answeredAtStart: boolean): RunningTarget {
  return {
    url,
    ended: () => (answeredAtStart ? undefined : `nothing answered at ${url} when the run started`),
    revive: async () => {
      if (!answeredAtStart) throw new Error(`your server did not answer at ${url} when the run started (start it first, or give target.command)`);
      if (!(await untilAnswering(url, DEFAULT_READY_MS))) throw new Error(`your server stopped answering at ${url} and did not answer again within ${DEFAULT_READY_MS} ms`);
    },
    stop: async () => {},
  };
}

/**
 * Starts your server when the config gives a command, and waits until its URL answers; a URL alone is used as is. A port another process holds is never taken for yours: with a fixed port the run is refused (else the
 * other process would be measured), and with `{port}` another free port is tried.
 */
export async function startTarget(target: TargetConfig, freePort: () => Promise<number> = () => getPort({ host: '127.0.0.1' })): Promise<RunningTarget> {
  if (!('command' in target)) {
    const url = new URL(target.url);
    const upstream = upstreamOf(target);
    if (upstream.deployed) {
      // A deployed API is asked once, as the proxy will ask it, before any engine starts: DNS, refusal, TLS, a login
      // redirect or a WAF page is one named error, not one per case.
      const reason = await unreachableReason(url, upstream);
      if (reason !== undefined) throw new TargetStartError(`(deployed) ${url.href}`, url.href, undefined, 0, [], reason);
      return runningElsewhere(url, true);
    }
    // One that does not answer is not refused here: each case then says so as a harness error.
    return runningElsewhere(url, await answers(url));
  }
  const picksPort = target.url.includes(PORT_PLACEHOLDER);
  for (let attempt = 1; ; attempt++) {
    const port = picksPort ? String(await freePort()) : undefined;
    const url = new URL(withPort(target.url, port));
    if (!picksPort && (await portHeld(url))) {
      throw new Error(
        `another process already listens on ${url.host} (target.url) before your server's command started: the run would measure it instead of yours. Stop it, or write {port} in target.url so the harness picks a free port`,
      );
    }
    const running = new CommandTarget(url, target, port);
    try {
      await running.start();
      return running;
    } catch (error) {
      // The port was free when picked, and taken before your server bound it: pick another.
      if (!picksPort || attempt >= PORT_ATTEMPTS || !running.portWasTaken) throw error;
    }
  }
}
