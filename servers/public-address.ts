import type { BrowserContext } from 'playwright';
import { ORIGINS, type HostedOriginName } from '../lib/model/origins.ts';
import getPort from 'get-port';

let reserved: Promise<number> | undefined;

/**
 * The port of the `public` origin, chosen once per process: Chromium must be told at launch which address counts as
 * public (`--ip-address-space-overrides`), and the engine may launch before the servers start.
 */
export function publicPort(): Promise<number> {
  reserved ??= getPort({ host: '127.0.0.1', port: belowEphemeral() });
  return reserved;
}

/**
 * Random candidates below Linux's ephemeral range (32768–60999): the port is chosen at start and bound later, and a
 * port from the ephemeral range could meanwhile be handed to one of this machine's outgoing connections (a CI run's
 * faults suite met EADDRINUSE so, 2026-12-05). Random, so that workers starting together do not pick the same one.
 */
function belowEphemeral(): number[] {
  return Array.from({ length: 64 }, () => 20_000 + Math.floor(Math.random() * 12_768));
}

async function publicOrigin(name: Extract<HostedOriginName, 'public' | 'public-granted'>): Promise<string> {
  return `${ORIGINS[name].scheme}://${ORIGINS[name].host}:${await publicPort()}`;
}

/** Chromium's switch that makes 127.0.0.1:<port> a public address, so a page there is a public site (what wptrunner uses). */
export async function chromiumAddressSpaceArgs(): Promise<string[]> {
  return [`--ip-address-space-overrides=127.0.0.1:${await publicPort()}=public`];
}

/**
 * Local Network Access, both ways: granted to the `public-granted` origin, denied to the `public` origin, so that a
 * public site's request into the loopback address space shows both answers in one engine.
 *
 * - Granted through Playwright's `local-network-access` permission (Chromium: localNetworkAccess, localNetwork,
 *   loopbackNetwork; Firefox: local-network, loopback-network).
 * - Denied in Chromium by granting nothing: Chromium 156 under automation shows no prompt and denies an ungranted
 *   request at once (measured: DevTools' corsErrorStatus LocalNetworkAccessPermissionDenied, nothing sent), which is
 *   what a user's "Block" gives. Firefox would leave the request waiting on a prompt no one answers, so it is denied
 *   through its default permission prefs instead ({@link firefoxAddressSpacePrefs}).
 * - WebKitGTK has no Local Network Access: nothing to grant or deny.
 */
export async function grantLocalNetworkAccess(context: BrowserContext, engine: string): Promise<void> {
  if (engine === 'webkit') return;
  await context.grantPermissions(['local-network-access'], { origin: await publicOrigin('public-granted') });
}

/**
 * Firefox's own switches for the same thing (Firefox 153 ships Local Network Access): the `public` port counts as a
 * public address (`network.lna.address_space.public.override`), and requests into the local and loopback address
 * spaces are denied unless granted (`permissions.default.local-network` / `loopback-network` 2, Firefox's
 * "Block new requests asking to access local network devices"), so the ungranted `public` origin is denied rather than
 * left waiting on a prompt no one answers; `public-granted` keeps its grant.
 */
export async function firefoxAddressSpacePrefs(): Promise<Record<string, string | number>> {
  return {
    'network.lna.address_space.public.override': `127.0.0.1:${await publicPort()}`,
    'permissions.default.local-network': 2,
    'permissions.default.loopback-network': 2,
  };
}
