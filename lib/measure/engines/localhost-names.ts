import dns from 'node:dns';

const LOCALHOST_NAME = /(^|\.)localhost\.?$/i;
let installed = false;

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/**
 * Makes this process resolve every `*.localhost` name to 127.0.0.1, as RFC 6761 asks and as the engines do, while
 * Node asks the system resolver, which here knows only `localhost`. Needed where this process opens connections for
 * an engine: a remote Playwright engine's requests to `exposeNetwork` hosts are dialled from here.
 */
export function resolveLocalhostNamesHere(): void {
  if (installed) return;
  installed = true;
  const original = dns.lookup;
  const patched = function (hostname: string, options: unknown, callback?: unknown): void {
    const done = (typeof options === 'function' ? options : callback) as LookupCallback;
    if (LOCALHOST_NAME.test(hostname)) {
      const all = typeof options === 'object' && options !== null && (options as dns.LookupOptions).all === true;
      if (all) process.nextTick(done, null, [{ address: '127.0.0.1', family: 4 }]);
      else process.nextTick(done, null, '127.0.0.1', 4);
      return;
    }
    (original as (...args: unknown[]) => void).call(dns, hostname, options, callback);
  };
  (dns as { lookup: unknown }).lookup = patched;
  const originalPromise = dns.promises.lookup;
  const patchedPromise = async (hostname: string, options?: dns.LookupOptions): Promise<unknown> => {
    if (!LOCALHOST_NAME.test(hostname)) return (originalPromise as (h: string, o?: dns.LookupOptions) => Promise<unknown>).call(dns.promises, hostname, options);
    if (options?.family === 6) return options.all ? [] : Promise.reject(Object.assign(new Error(`no IPv6 address for ${hostname}`), { code: 'ENOTFOUND' }));
    return options?.all ? [{ address: '127.0.0.1', family: 4 }] : { address: '127.0.0.1', family: 4 };
  };
  (dns.promises as { lookup: unknown }).lookup = patchedPromise;
}
