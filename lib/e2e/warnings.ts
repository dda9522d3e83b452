/**
 * What a test's own setup changes about CORS, said once per test: settings under which the browser does not do what
 * it does for your users. Each warning has a name a test can turn it off with (`test.use({ corsQuiet: [name] })`).
 */
import type { BrowserContext, LaunchOptions, Page, Request, Route } from '@playwright/test';
import { corsSafelistedRequestHeader } from '../oracle/index.ts';
import type { CorsWarningName } from './options.ts';

export interface CorsWarning {
  readonly name: CorsWarningName;
  /** The setting, as the test wrote it. */
  readonly setting: string;
  /** What it changes. */
  readonly change: string;
}

export interface SetupFacts {
  readonly extraHTTPHeaders: Readonly<Record<string, string>> | undefined;
  readonly bypassCSP: boolean;
  readonly launchOptions: LaunchOptions;
  /** The test's own ignoreHTTPSErrors (not the one the fixture sets for its proxy's certificate). */
  readonly ignoreHTTPSErrors: boolean;
  /** The https API origins (of corsOptions.apiOrigins, or of the page's requests). */
  readonly httpsApiOrigins: readonly string[];
  /** The engine the test runs in: what a setting changes differs between engines. */
  readonly browserName: string;
}

// Switches under which an engine no longer enforces what it enforces for your users.
const CHROMIUM_SWITCHES: Readonly<Record<string, string>> = {
  '--disable-web-security': 'turns the same-origin policy off: Chromium makes no CORS check, so no request is ever blocked',
  '--ignore-certificate-errors': 'accepts any certificate: a request your users’ browsers would refuse before CORS is ever checked succeeds',
  '--allow-running-insecure-content': 'lets an https page load http resources that browsers block as mixed content',
  '--allow-file-access-from-files': 'lets file:// pages read other files, which browsers refuse',
  '--disable-features=BlockInsecurePrivateNetworkRequests': 'turns off private-network checks on requests to local addresses',
};
const FIREFOX_PREFS: Readonly<Record<string, { readonly value: unknown; readonly change: string }>> = {
  'content.cors.disable': { value: true, change: 'makes Firefox refuse every CORS request (Reason: CORS disabled, measured): requests that work for your users fail here' },
  'security.fileuri.strict_origin_policy': { value: false, change: 'lets file:// pages read other files' },
};

/** Warnings the test's options and launch settings give, before the test runs. */
export function setupWarnings(facts: SetupFacts): CorsWarning[] {
  const warnings: CorsWarning[] = [];
  const unsafe = Object.entries(facts.extraHTTPHeaders ?? {}).filter(([name, value]) => !corsSafelistedRequestHeader(name, value).safelisted);
  if (unsafe.length > 0) {
    const names = unsafe.map(([name]) => name).join(', ');
    const they = unsafe.length === 1 ? 'it' : 'they';
    warnings.push({
      name: 'extra-http-headers',
      setting: `extraHTTPHeaders { ${names} }`,
      change:
        facts.browserName === 'firefox'
          ? `${unsafe.length === 1 ? 'this header is' : 'these headers are'} not CORS-safelisted and ${they} go on every request, your API's included; Firefox adds ${they === 'it' ? 'it' : 'them'} after its CORS check (measured: no preflight), while Chromium makes every cross-origin request preflighted for ${they === 'it' ? 'it' : 'them'} (microsoft/playwright#21811)`
          : `${unsafe.length === 1 ? 'this header is' : 'these headers are'} not CORS-safelisted and ${they} go on every request, so every cross-origin request now needs a preflight your users' requests do not (and fails where the API does not allow ${names}) (microsoft/playwright#21811)`,
    });
  }
  if (facts.bypassCSP) {
    warnings.push({ name: 'bypass-csp', setting: 'bypassCSP: true', change: 'the page’s Content-Security-Policy is not enforced: a request its connect-src (or script-src, img-src) refuses for your users is made here' });
  }
  for (const arg of facts.launchOptions.args ?? []) {
    const key = Object.keys(CHROMIUM_SWITCHES).find((s) => arg === s || arg.startsWith(`${s}=`) || (s.includes('=') && arg.startsWith(s.split('=')[0]!) && arg.includes(s.split('=')[1]!)));
    if (key) warnings.push({ name: 'disable-web-security', setting: `launchOptions.args ${arg}`, change: CHROMIUM_SWITCHES[key]! });
  }
  for (const [pref, value] of Object.entries(facts.launchOptions.firefoxUserPrefs ?? {})) {
    const known = FIREFOX_PREFS[pref];
    if (known && known.value === value) warnings.push({ name: 'disable-web-security', setting: `launchOptions.firefoxUserPrefs ${pref}: ${JSON.stringify(value)}`, change: known.change });
  }
  if (facts.ignoreHTTPSErrors && facts.httpsApiOrigins.length > 0) {
    warnings.push({
      name: 'ignore-https-errors',
      setting: 'ignoreHTTPSErrors: true',
      change: `a certificate your users’ browsers refuse from ${facts.httpsApiOrigins.join(', ')} is accepted, so a request that fails before any CORS check for them succeeds here`,
    });
  }
  return warnings;
}

type RouteHandler = (route: Route, request: Request) => unknown;
type Routable = Pick<Page, 'route' | 'unroute'> | Pick<BrowserContext, 'route' | 'unroute'>;

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}

function requesterOf(request: Request): string {
  try {
    return originOf(request.frame().url());
  } catch {
    return request.headers()['origin'] ?? '';
  }
}

/**
 * Watches a page's or context's `route` calls, changing nothing they do: registering a route, and fulfilling or
 * continuing a cross-origin request inside one, each give a warning.
 */
export function watchRoutes(target: Routable, where: string, warn: (warning: CorsWarning) => void): () => void {
  const wrapped = new WeakMap<RouteHandler, RouteHandler>();
  const route = target.route.bind(target) as unknown as (url: unknown, handler: RouteHandler, options?: unknown) => Promise<void>;
  const unroute = target.unroute.bind(target) as unknown as (url: unknown, handler?: RouteHandler) => Promise<void>;
  const patched = target as unknown as { route: typeof route; unroute: typeof unroute };
  patched.route = (url, handler, options) => {
    warn({
      name: 'route',
      setting: `${where}.route(${url instanceof RegExp ? String(url) : JSON.stringify(typeof url === 'function' ? '<function>' : url)})`,
      change: 'while any route is registered, Playwright answers every CORS preflight itself (204 reflecting the Origin, method and headers asked for), in Chromium and Firefox alike, so your API’s preflight answers go untested',
    });
    const own: RouteHandler = (r, request) => {
      const url2 = request.url();
      if (originOf(url2) !== requesterOf(request)) {
        const fulfill = r.fulfill.bind(r);
        const proceed = r.continue.bind(r);
        Object.assign(r, {
          fulfill: (...args: Parameters<Route['fulfill']>) => {
            warn({ name: 'route-fulfill', setting: `route.fulfill on ${request.method()} ${url2}`, change: 'the test answers a cross-origin request itself: your API is never asked, and Playwright adds Access-Control-Allow-Origin to the answer (microsoft/playwright#27339), so a CORS error your users get cannot happen here' });
            return fulfill(...args);
          },
          continue: (...args: Parameters<Route['continue']>) => {
            warn({ name: 'route-continue', setting: `route.continue on ${request.method()} ${url2}`, change: 'the request is intercepted and sent on by Playwright: headers the test overrides change what your API sees, and its preflight was answered by Playwright, not your API' });
            return proceed(...args);
          },
        });
      }
      return handler(r, request);
    };
    wrapped.set(handler, own);
    return route(url, own, options);
  };
  patched.unroute = (url, handler) => unroute(url, handler ? (wrapped.get(handler) ?? handler) : undefined);
  return () => {
    patched.route = route;
    patched.unroute = unroute;
  };
}
