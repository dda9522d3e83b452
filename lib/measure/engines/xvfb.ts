import { spawn, type ChildProcess } from 'node:child_process';
import { XVFB } from './find-builds.ts';
import { exitDescription, registerChild } from '../../../servers/child-processes.ts';

export interface VirtualDisplay {
  /** The DISPLAY value, for example `:99`. */
  readonly display: string;
  /** How the display ended, in words, or undefined while it runs. */
  ended(): string | undefined;
  stop(): Promise<void>;
}

/** Starts an Xvfb on a display number it picks itself (`-displayfd`), so parallel workers never collide. */
export function startXvfb(timeoutMs = 10_000): Promise<VirtualDisplay> {
  const child: ChildProcess = registerChild(
    spawn(XVFB, ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] }),
    'Xvfb',
  );
  return new Promise((resolve, reject) => {
    let stderr = '';
    const timer = setTimeout(() => fail(new Error(`Xvfb did not report a display within ${timeoutMs} ms: ${stderr}`)), timeoutMs);
    function fail(error: Error): void {
      clearTimeout(timer);
      child.kill();
      reject(error);
    }
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', (error) => fail(new Error(`Xvfb could not start (${XVFB}): ${error.message}. Fix: apt-get install xvfb`)));
    child.once('exit', (code) => fail(new Error(`Xvfb exited with code ${code}: ${stderr}`)));
    child.stdio[3]?.on('data', (chunk: Buffer) => {
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({
        display: `:${chunk.toString().trim()}`,
        ended: () => exitDescription(child),
        stop: () =>
          new Promise<void>((done) => {
            // A display killed by a signal has no exit code, only a signal code: either way it is gone.
            if (exitDescription(child)) return done();
            child.once('exit', () => done());
            child.kill();
          }),
      });
    });
  });
}
