import { test, expect } from '@playwright/test';
import { DEFAULT_ATTACKER, parseScanArgs, type ScanRequest } from '../../lib/cli/scan-args.ts';
import { scanMain } from '../../lib/cli/scan.ts';
import { EXIT_USAGE_OR_INPUT } from '../../lib/cli/exit-codes.ts';

// `cors-matrix scan` flags: read into the own-server config that ownServerTests takes, and bad input refused before
// any browser starts, naming the argument.

function parsed(...argv: string[]): ScanRequest {
  const request = parseScanArgs(argv, '/project');
  if (request === 'help') throw new Error('help');
  return request;
}

test('a deployed URL becomes a deployed target whose path is the route, with the intent from the flags', () => {
  const { config, engines } = parsed('https://api.example.com/v1/me', '--origin', 'https://app.example.com', '--credentials', '--method', 'put', '--header', 'X-Token', '--budget', '50', '--rate', '2.5', '--resolve', 'api.example.com=10.0.0.5');
  expect(config.target).toEqual({ url: 'https://api.example.com/v1/me', resolve: { 'api.example.com': '10.0.0.5' }, budget: 50, rate: 2.5 });
  expect(config.routes).toEqual([{ path: '/v1/me', methods: ['GET', 'PUT'] }]);
  expect(config.intent).toEqual({ origins: ['https://app.example.com'], methods: ['PUT'], headers: ['X-Token'], credentials: true });
  expect(config.attackers).toEqual([DEFAULT_ATTACKER]);
  expect(engines).toEqual(['chromium', 'firefox', 'webkit']);
});

test('--command makes a command target on this machine, started in the current folder, with {port} kept', () => {
  const { config, engines } = parsed('http://127.0.0.1:{port}/api', '--command', 'node server.js --port {port}', '--origin', 'https://app.example.com', '--attacker', 'https://app.example.com.evil.test', '--engines', 'chromium,webkit');
  expect(config.target).toEqual({ command: 'node server.js --port {port}', url: 'http://127.0.0.1:{port}/api', cwd: '/project' });
  expect(config.attackers).toEqual(['https://app.example.com.evil.test']);
  expect(engines).toEqual(['chromium', 'webkit']);
});

const refusals: readonly [string, readonly string[], RegExp][] = [
  ['a URL that is not http(s)', ['ftp://api.example.com/x', '--origin', 'https://app.example.com'], /^<url>: "ftp:\/\/api\.example\.com\/x" is a ftp: URL/],
  ['no URL at all', ['--origin', 'https://app.example.com'], /^<url>: scan takes exactly one URL, got 0/],
  ['an --origin with a path', ['https://api.example.com/', '--origin', 'https://app.example.com/'], /^--origin: "https:\/\/app\.example\.com\/" is not an origin/],
  ['an --origin that is a host name', ['https://api.example.com/', '--origin', 'app.example.com'], /^--origin: "app\.example\.com" is not an origin/],
  ['no --origin', ['https://api.example.com/'], /^--origin: name at least one origin/],
  ['an --attacker that is not an origin', ['https://api.example.com/', '--origin', 'https://app.example.com', '--attacker', 'evil'], /^--attacker: "evil" is not an origin/],
  ['--allow-writes for a server on this machine', ['http://localhost:3000/', '--origin', 'https://app.example.com', '--allow-writes'], /^--allow-writes: only for a deployed target/],
  ['--allow-writes with --command', ['http://127.0.0.1:{port}/', '--command', 'node s.js', '--origin', 'https://app.example.com', '--allow-writes'], /^--allow-writes: only for a deployed target/],
  ['a forbidden method', ['https://api.example.com/', '--origin', 'https://app.example.com', '--method', 'TRACE'], /^--method: "TRACE" is a forbidden method/],
  ['a method that is no token', ['https://api.example.com/', '--origin', 'https://app.example.com', '--method', 'GET PUT'], /^--method: "GET PUT" must be an HTTP token/],
  ['a forbidden header', ['https://api.example.com/', '--origin', 'https://app.example.com', '--header', 'Cookie'], /^--header: "Cookie" is a forbidden request-header/],
  ['a header that is no token', ['https://api.example.com/', '--origin', 'https://app.example.com', '--header', 'X Token'], /^--header: "X Token" must be an HTTP token/],
  ['an unknown engine', ['https://api.example.com/', '--origin', 'https://app.example.com', '--engines', 'chromium,safari'], /^--engines: "safari" is not an engine/],
  ['a budget of 0', ['https://api.example.com/', '--origin', 'https://app.example.com', '--budget', '0'], /^--budget: "0" must be a whole number greater than 0/],
  ['a --resolve that is no address', ['https://api.example.com/', '--origin', 'https://app.example.com', '--resolve', 'api.example.com=staging'], /^--resolve: "api\.example\.com=staging" must be HOST=ADDRESS/],
  ['--command with a URL off this machine', ['https://api.example.com/', '--command', 'node s.js', '--origin', 'https://app.example.com'], /^--command: <url> https:\/\/api\.example\.com\/ must be on this machine/],
  ['an unknown flag', ['https://api.example.com/', '--origin', 'https://app.example.com', '--orgin', 'x'], /Unknown option '--orgin'/],
];

for (const [what, argv, message] of refusals) {
  test(`refused before any browser starts: ${what}`, async () => {
    expect(() => parseScanArgs(argv, '/project')).toThrow(message);
    // The command says the same and exits 2 with the usage, without starting anything (it would take seconds).
    const errors: string[] = [];
    const code = await scanMain(argv, { stdout: () => {}, stderr: (t) => errors.push(t), cwd: '/project' });
    expect(code).toBe(EXIT_USAGE_OR_INPUT);
    expect(errors.join('')).toMatch(/^cors-matrix scan: /);
    expect(errors.join('')).toContain('Usage: cors-matrix scan <url>');
  });
}

test('an allowed origin that is the API origin itself is refused as the config would be, naming the field', () => {
  expect(() => parsed('https://api.example.com/x', '--origin', 'https://api.example.com')).toThrow(/cors-matrix scan: field apiOrigin: "https:\/\/api\.example\.com" is also a page origin/);
});

test('--help prints the usage and exits 0', async () => {
  const out: string[] = [];
  expect(await scanMain(['--help'], { stdout: (t) => out.push(t), stderr: () => {}, cwd: '/project' })).toBe(0);
  expect(out.join('')).toContain('Exit codes: 0 clean, 1 findings, 2 bad input, 3 target unreachable.');
});
