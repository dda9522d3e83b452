import { defineConfig, type OwnServerConfig } from '../../lib/index.ts';
import type { DeployedTargetConfig } from '../../lib/model/own-server-config.ts';

/** Where host.sh keeps the private CA and the upstream's log. */
export const HOST_DIR = process.env['CM_DEPLOYED_DIR'] ?? '/tmp/cm-deployed';

const API = 'https://api.deployed.test';
const PINNED = { 'api.deployed.test': '10.77.0.2' };
const CA = `${HOST_DIR}/ca.crt`;

/** The deployed API's config with another target: same routes, intent and attackers everywhere. */
const against = (target: DeployedTargetConfig, path = new URL(target.url).pathname): OwnServerConfig =>
  defineConfig({
    target,
    routes: [{ path, methods: ['GET', 'PUT'] }],
    intent: { origins: ['https://app.deployed.test'], methods: ['PUT'], credentials: true },
    attackers: ['https://evil.deployed.test', 'https://evil.test'],
  });

/**
 * The deployed API in the cm-deployed namespace (host.sh), through its TLS edge and varnish, by its real name. No
 * apiOrigin: the target's own. It reflects any Origin with credentials, undeclared: the run fails and its diagnosis
 * must name the hole. `CM_DEPLOYED_TARGET` (deployed.spec.ts) picks one; host.spec.ts runs each.
 */
export const TARGETS = {
  // Pinned to 10.77.0.2 with `resolve`, the certificate checked against the test's private CA; writes held back.
  hole: against({ url: `${API}/health`, resolve: PINNED, ca: CA }),
  // The same, writes forwarded: the upstream's log must show them.
  writes: against({ url: `${API}/health`, resolve: PINNED, ca: CA, allowWrites: true }),
  // No resolve: the name is found by the namespace's dnsmasq (run inside the namespace).
  dns: against({ url: `${API}/health`, ca: CA }),
  // Each failure of a deployed API, named once before any engine starts.
  'dns-failure': against({ url: 'https://missing.deployed.test/health', ca: CA }),
  refused: against({ url: `${API}:444/health`, resolve: PINNED, ca: CA }),
  'unknown-ca': against({ url: `${API}/health`, resolve: PINNED }),
  'wrong-name': against({ url: `${API}:8443/health`, resolve: PINNED, ca: CA }),
  expired: against({ url: `${API}:8444/health`, resolve: PINNED, ca: CA }),
  'login-redirect': against({ url: `${API}/login-wall`, resolve: PINNED, ca: CA }),
  'block-page': against({ url: `${API}/blocked`, resolve: PINNED, ca: CA }),
} as const satisfies Record<string, OwnServerConfig>;

export type TargetName = keyof typeof TARGETS;
