/** The `cors-matrix` command line: subcommands, options, usage, exit codes (0 ok, 1 internal error or findings, 2 usage or input error, 3 scan: target unreachable). */
import { parseArgs } from 'node:util';
import type { ExplainIO } from './explain.ts';
import { defaultExplainIO, explain } from './explain.ts';
import { EXIT_INTERNAL, EXIT_OK, EXIT_USAGE_OR_INPUT } from './exit-codes.ts';
import { check } from './check.ts';
import { sweepMain } from './sweep.ts';
import { bisectMain } from './bisect.ts';
import { scanMain } from './scan.ts';

export const USAGE = `Usage: cors-matrix explain FILE.json [--json]
       cors-matrix check [FILE…]
       cors-matrix sweep <package> <version>… [--suite FILE] [--from DIR] [--engines LIST] [--keep]
       cors-matrix bisect <package> <good> <bad> [--suite FILE] [--headers] [--prereleases] [--from DIR] [--engines LIST] [--keep]
       cors-matrix scan <url> --origin ORIGIN… [--credentials] [--method M]… [--header H]… [--attacker ORIGIN]… [--engines LIST]
                        [--json] [--sarif FILE] [--allow-writes] [--budget N] [--rate R] [--command CMD]

Commands:
  explain FILE.json   Predict from the Fetch Standard what a browser does with one CORS request, and say why.
                      FILE.json holds:
                        { "request":   { "origin", "url", "method", "headers", "credentials", "mode", "bodyKind", "redirect" },
                          "redirects": [ { "preflight"?, "response": 3xx with Location }, … ],   (optional, in order)
                          "preflight": { "status", "headers" },
                          "response":  { "status", "headers" } }
                      or a sequence over time: { "steps": [ { "at": seconds, "request", "preflight"?, "response"? } ],
                        "server"?: { "preflight", "response" }, "cache"?: [entries], "engine"?: "chromium"|"firefox"|"webkit" }
                      headers: an object of name → value, or a list of [name, value] pairs (to repeat a header).
                      Defaults: method GET, no headers, credentials "same-origin", mode "cors", bodyKind "none", redirect "follow".
                      Leave out "preflight" when none is sent; the oracle says when one is needed.
  check [FILE…]       Validate a cors-matrix.config.ts, scenario family files, middleware suite files and explain
                      inputs without starting a server or an engine (default: ./cors-matrix.config.ts and
                      ./scenarios/*.ts). Exit code 2 with every problem named by file, field and rule.
  sweep …             Run the suites against several versions of a package your project depends on and print which
                      version changed which cells (cors-matrix sweep --help).
  bisect …            Find the first version between a good and a bad one whose matrix differs from the good one's,
                      in ⌈log₂(n)⌉ + 2 runs or fewer (cors-matrix bisect --help).
  scan <url> …        Audit one URL of your API (deployed, or started by --command) in real engines from flags alone,
                      writing nothing into the project; print the per-engine summary and the diagnosis, --sarif FILE
                      for code scanning. Exit 0 clean, 1 findings, 2 bad input, 3 unreachable (cors-matrix scan --help).

Options:
  --json              Print { "preflightSent", "verdict", "readableHeaders", "reasons" } as JSON (with "hops" for redirects,
                      { "steps": [...] } for a sequence).
  -h, --help          Show this help.
`;

function usageError(message: string, io: ExplainIO): number {
  io.stderr(`cors-matrix: ${message}\n\n${USAGE}`);
  return EXIT_USAGE_OR_INPUT;
}

const OPTIONS = { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } as const;

function parse(argv: readonly string[]) {
  return parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
}

export async function main(argv: readonly string[], io: ExplainIO = defaultExplainIO): Promise<number> {
  // sweep and bisect have options of their own (lib/cli/sweep.ts, lib/cli/bisect.ts; `--help` after the command).
  if (argv[0] === 'sweep') return sweepMain(argv.slice(1), { stdout: io.stdout, stderr: io.stderr, cwd: process.cwd() });
  if (argv[0] === 'bisect') return bisectMain(argv.slice(1), { stdout: io.stdout, stderr: io.stderr, cwd: process.cwd() });
  if (argv[0] === 'scan') return scanMain(argv.slice(1), { stdout: io.stdout, stderr: io.stderr, cwd: process.cwd() });
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    return usageError(error instanceof Error ? error.message : String(error), io);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(USAGE);
    return EXIT_OK;
  }
  const [command, ...rest] = positionals;
  if (command === undefined) return usageError('no command given', io);
  if (command === 'check') {
    if (values.json === true) return usageError('check takes no --json', io);
    return check(rest, { stdout: io.stdout, stderr: io.stderr, cwd: process.cwd() }).catch((error: unknown) => {
      io.stderr(`cors-matrix: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      return EXIT_INTERNAL;
    });
  }
  if (command !== 'explain') return usageError(`unknown command "${command}"`, io);
  if (rest.length !== 1 || rest[0] === undefined) return usageError(`explain takes exactly one FILE.json, got ${rest.length}`, io);
  try {
    return await explain(rest[0], { json: values.json === true }, io);
  } catch (error) {
    io.stderr(`cors-matrix: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT_INTERNAL;
  }
}
