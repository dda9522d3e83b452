import { spawn, type ChildProcess } from 'node:child_process';
import getPort from 'get-port';
import { PORT_PLACEHOLDER, type TargetConfig } from '../model/own-server-config.ts';

export interface RunningTarget {
  readonly url: URL;
  stop(): Promise<void>;
}

async function answers(url: URL): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
}

/** Starts your server when the config gives a command, and waits until its URL answers; a URL alone is used as is. */
export async function startTarget(target: TargetConfig): Promise<RunningTarget> {
  // `{port}` asks for a free port, passed to the command as PORT: each worker then runs its own server.
  const port = target.url.includes(PORT_PLACEHOLDER) ? String(await getPort({ host: '127.0.0.1' })) : undefined;
  const url = new URL(port ? target.url.replace(PORT_PLACEHOLDER, port) : target.url);
  if (!('command' in target)) return { url, stop: async () => {} };
  const child: ChildProcess = spawn(target.command, {
    shell: true,
    cwd: target.cwd,
    env: { ...process.env, ...target.env, ...(port && { PORT: port }) },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    process.kill(-child.pid, 'SIGTERM');
    await exited;
  };
  const deadline = Date.now() + (target.readyTimeoutMs ?? 20_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`your server's command exited with code ${child.exitCode} before ${url} answered: ${target.command}\n${stderr}`);
    if (await answers(url)) return { url, stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`your server did not answer at ${url} within ${target.readyTimeoutMs ?? 20_000} ms after: ${target.command}\n${stderr}`);
}
