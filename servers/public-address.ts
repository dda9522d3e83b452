import type { BrowserContext } from 'playwright';
import { ORIGINS } from '../lib/model/origins.ts';
import getPort from 'get-port';

let reserved: Promise<number> | undefined;

/**
 * The port of the `public` origin, chosen once per process: Chromium must be told at launch which address counts as
 * public (`--ip-address-space-overrides`), and the engine may launch before the servers start.
 */
export function publicPort(): Promise<number> {
  reserved ??= getPort({ host: '127.0.0.1' });
  return reserved;
}

/** Chromium's switch that makes 127.0.0.1:<port> a public address, so a page there is a public site (what wptrunner uses). */
export async function chromiumAddressSpaceArgs(): Promise<string[]> {
  return [`--ip-address-space-overrides=127.0.0.1:${await publicPort()}=public`];
}

/**
 * Grants Local Network Access to the `public-granted` origin only (the `public` origin stays ungranted, so the two
 * show both answers), through Playwright's `local-network-access` permission. Playwright maps it for Chromium and
 * Firefox; WebKit has no such permission, so nothing is granted there.
 */
export async function grantLocalNetworkAccess(context: BrowserContext, engine: string): Promise<void> {
  if (engine === 'webkit') return;
  const origin = `${ORIGINS['public-granted'].scheme}://${ORIGINS['public-granted'].host}:${await publicPort()}`;
  await context.grantPermissions(['local-network-access'], { origin });
}

/** Firefox's own switch for the same thing (Firefox 153 ships Local Network Access; `network.lna.address_space.public.override`). */
export async function firefoxAddressSpacePrefs(): Promise<Record<string, string>> {
  return { 'network.lna.address_space.public.override': `127.0.0.1:${await publicPort()}` };
}
