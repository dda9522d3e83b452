/**
 * `cors-matrix scan <url> …`: the flags read into an own-server config, every problem named by its argument before any
 * browser or server starts.
 */
import { isIP } from 'node:net';
import { parseArgs } from 'node:util';
import { isHttpOrigin, isLoopbackUrl, PORT_PLACEHOLDER, validateConfig, type OwnServerConfig, type TargetConfig } from '../model/own-server-config.ts';
import { requestHeaderName, requestMethodName } from '../model/scenario-schema.ts';
import { ScenarioError } from '../model/load-cases.ts';
import type { EngineName } from '../oracle/vocabulary.ts';
import { parseEngines, UsageError } from './sweep-run.ts';

export const SCAN_USAGE = `Usage: cors-matrix scan <url> --origin ORIGIN… [--credentials] [--method M]… [--header H]… [--attacker ORIGIN]…
                        [--engines chromium,firefox,webkit] [--json] [--sarif FILE] [--allow-writes] [--budget N] [--rate R]
                        [--ca FILE] [--resolve HOST=ADDRESS]… [--command 'CMD {port}']

  Runs the own-server audit of <url> (the route is its path) in real engines, through the harness's recording proxy,
  and prints the per-engine summary and the diagnosis. Nothing is written into your project.
  <url> on another machine is a deployed target: reached with real DNS and TLS, writes held back unless --allow-writes,
  at most --budget requests (default 400) per engine at --rate per second (default 10), both printed first.
  With --command, <url> is on this machine (write {port} for a port the harness picks) and the command starts your server.

  --origin ORIGIN       an origin your server is meant to allow (repeat; '*' for any)
  --credentials         the allowed origins send cookies
  --method M            a method the allowed origins use besides GET (repeat)
  --header H            a request header the allowed origins send (repeat)
  --attacker ORIGIN     an origin that must read nothing (repeat; default https://evil.test; null is always tried)
  --engines LIST        comma-separated engines (default: all three)
  --json                print { exitCode, engines, diagnosis } as JSON
  --sarif FILE          write the diagnosis as SARIF 2.1.0 (one result per root cause)

Exit codes: 0 clean, 1 findings, 2 bad input, 3 target unreachable.
`;

/** What one scan runs: the config the own-server audit takes, and how to run and report it. */
export interface ScanRequest {
  readonly config: OwnServerConfig;
  readonly engines: readonly EngineName[];
  readonly json: boolean;
  readonly sarif?: string;
  /** The URL as given (with {port} for a command target): the SARIF location. */
  readonly url: string;
}

/** The outside origin tried when no --attacker is given (besides the null origin, which is always tried). */
export const DEFAULT_ATTACKER = 'https://evil.test';

const OPTIONS = {
  origin: { type: 'string', multiple: true },
  credentials: { type: 'boolean' },
  method: { type: 'string', multiple: true },
  header: { type: 'string', multiple: true },
  attacker: { type: 'string', multiple: true },
  engines: { type: 'string' },
  json: { type: 'boolean' },
  sarif: { type: 'string' },
  'allow-writes': { type: 'boolean' },
  budget: { type: 'string' },
  rate: { type: 'string' },
  ca: { type: 'string' },
  resolve: { type: 'string', multiple: true },
  command: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function origins(flag: string, values: readonly string[]): string[] {
  for (const value of values) {
    if (!isHttpOrigin(value)) throw new UsageError(`${flag}: "${value}" is not an origin: write a serialised http(s) origin such as "https://app.example.com" (no path, no trailing slash)`);
  }
  return [...values];
}

/** A flag's values checked by the schema the config itself uses, so the rule is the same words; the flag is named. */
function checked(flag: string, values: readonly string[], schema: typeof requestMethodName): string[] {
  for (const value of values) {
    const result = schema.safeParse(value);
    if (!result.success) throw new UsageError(`${flag}: "${value}" ${result.error.issues[0]?.message ?? 'is not accepted'}`);
  }
  return [...values];
}

function positive(flag: string, value: string | undefined, whole: boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (whole && !Number.isInteger(n))) throw new UsageError(`${flag}: "${value}" must be a ${whole ? 'whole number' : 'number'} greater than 0`);
  return n;
}

function httpUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value.replace(PORT_PLACEHOLDER, '1'));
  } catch {
    throw new UsageError(`<url>: "${value}" is not a URL: write an http:// or https:// URL such as https://api.example.com/health`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`<url>: "${value}" is a ${url.protocol} URL: only http:// and https:// URLs can be scanned`);
  return url;
}

function resolveEntries(values: readonly string[]): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const value of values) {
    const [host, address, ...more] = value.split('=');
    if (!host || address === undefined || more.length > 0 || isIP(address) === 0) throw new UsageError(`--resolve: "${value}" must be HOST=ADDRESS with an IP address, such as api.example.com=10.0.0.5`);
    entries[host] = address;
  }
  return entries;
}

/** Reads the flags ('help' for --help); throws UsageError naming the argument and the rule. */
export function parseScanArgs(argv: readonly string[], cwd: string): ScanRequest | 'help' {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help === true) return 'help';
  if (positionals.length !== 1 || positionals[0] === undefined) throw new UsageError(`<url>: scan takes exactly one URL, got ${positionals.length}`);
  const given = positionals[0];
  const url = httpUrl(given);
  const command = values.command;
  if (command !== undefined && !isLoopbackUrl(given)) throw new UsageError(`--command: <url> ${given} must be on this machine (http://127.0.0.1:{port}/…) when the command starts your server`);
  if (command === undefined && given.includes(PORT_PLACEHOLDER)) throw new UsageError(`<url>: ${PORT_PLACEHOLDER} is filled in only for a server started by --command`);
  const deployed = command === undefined && !isLoopbackUrl(given);
  for (const flag of ['allow-writes', 'budget', 'rate', 'ca', 'resolve'] as const) {
    if (values[flag] !== undefined && !deployed) throw new UsageError(`--${flag}: only for a deployed target; ${given} is on this machine, where the harness forwards everything and limits nothing`);
  }
  const wanted = values.origin ?? [];
  if (wanted.length === 0) throw new UsageError('--origin: name at least one origin your server is meant to allow (or --origin "*")');
  const intentOrigins = wanted.includes('*') ? ('*' as const) : origins('--origin', wanted);
  if (intentOrigins === '*' && wanted.length > 1) throw new UsageError('--origin: "*" means any origin; give it alone');
  const methods = checked('--method', values.method ?? [], requestMethodName).map((m) => m.toUpperCase());
  const headers = checked('--header', values.header ?? [], requestHeaderName);
  // Without --attacker, one origin unrelated to any allowed one is tried besides null: it tells a reflection of any
  // origin from a loose pattern, which the null origin alone cannot.
  const attackers = origins('--attacker', values.attacker ?? (intentOrigins !== '*' && intentOrigins.includes(DEFAULT_ATTACKER) ? [] : [DEFAULT_ATTACKER]));
  const engines = parseEngines(values.engines);
  const budget = positive('--budget', values.budget, true);
  const rate = positive('--rate', values.rate, false);
  const resolve = resolveEntries(values.resolve ?? []);
  const target: TargetConfig = command !== undefined
    ? { command, url: given, cwd }
    : {
        url: given,
        ...(values.ca !== undefined && { ca: values.ca }),
        ...(Object.keys(resolve).length > 0 && { resolve }),
        ...(values['allow-writes'] === true && { allowWrites: true }),
        ...(budget !== undefined && { budget }),
        ...(rate !== undefined && { rate }),
      };
  const config: OwnServerConfig = {
    target,
    // The route is the URL's path; the methods it answers are GET and the intended ones.
    routes: [{ path: url.pathname, methods: [...new Set(['GET', ...methods])] }],
    intent: {
      origins: intentOrigins,
      ...(methods.length > 0 && { methods }),
      ...(headers.length > 0 && { headers }),
      ...(values.credentials === true && { credentials: true }),
    },
    ...(attackers.length > 0 && { attackers }),
  };
  try {
    validateConfig(config, 'cors-matrix scan');
  } catch (error) {
    if (error instanceof ScenarioError) throw new UsageError(error.problems.join('\n'));
    throw error;
  }
  return { config, engines, json: values.json === true, ...(values.sarif !== undefined && { sarif: values.sarif }), url: given };
}
