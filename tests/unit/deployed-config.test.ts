// A deployed target's bad input is refused by validateConfig, which ownServerTests, `check` and `scan` call before any
// server or browser starts: each problem names the field and the rule (issue 29).
import { test, expect } from '@playwright/test';
import { validateConfig } from '../../lib/model/own-server-config.ts';

const withTarget = (target: Record<string, unknown>) => () => validateConfig({ target, routes: [{ path: '/health' }], intent: { origins: ['https://app.example.com'] } });

test('a target URL that is not http(s) is refused, naming target.url', () => {
  for (const url of ['ftp://api.example.com/health', 'file:///etc/passwd', 'ws://api.example.com/', 'api.example.com/health']) {
    expect(withTarget({ url }), url).toThrow(/field target\.url: must be an http:\/\/ or https:\/\/ URL/);
  }
});

test('allowWrites is refused for a target on this machine and for a command target', () => {
  expect(withTarget({ url: 'http://127.0.0.1:8080/health', allowWrites: true })).toThrow(/field target\.allowWrites: only for a deployed target; http:\/\/127\.0\.0\.1:8080\/health is on this machine/);
  expect(withTarget({ url: 'http://localhost:{port}/health', command: 'node server.mjs', allowWrites: true })).toThrow(/field target\.allowWrites: only for a deployed target \(target\.url without target\.command\)/);
  // allowWrites: false says nothing a command target needs either: the key itself is the deployed shape's.
  expect(withTarget({ url: 'http://localhost:{port}/health', command: 'node server.mjs', allowWrites: false })).toThrow(/field target\.allowWrites: only for a deployed target/);
});

test('resolve and ca on a command target are named as a deployed target\'s fields', () => {
  expect(withTarget({ url: 'http://localhost:{port}/health', command: 'node server.mjs', resolve: { 'api.example.com': '10.0.0.5' } })).toThrow(/field target\.resolve: only for a deployed target/);
  expect(withTarget({ url: 'http://localhost:{port}/health', command: 'node server.mjs', ca: 'ca.pem' })).toThrow(/field target\.ca: only for a deployed target/);
});

test('a resolve entry that is not an IP address is refused, naming the host it is for', () => {
  for (const address of ['edge.example.net', '10.0.0.300', '', 'localhost', '10.0.0.5:443']) {
    expect(withTarget({ url: 'https://api.example.com/health', resolve: { 'api.example.com': address } }), address).toThrow(/field target\.resolve\.api\.example\.com: must be an IP address such as "10\.0\.0\.5"/);
  }
});

test('a deployed target with resolve (IPv4 and IPv6), ca and allowWrites is accepted', () => {
  const config = withTarget({ url: 'https://api.example.com/health', resolve: { 'api.example.com': '10.0.0.5', 'edge.example.com': '2001:db8::1' }, ca: 'ca.pem', allowWrites: true })();
  expect(config.target).toMatchObject({ url: 'https://api.example.com/health', allowWrites: true });
});
