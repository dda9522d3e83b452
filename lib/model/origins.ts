/** Every origin the harness knows, named once. Scenarios refer to origins only by these names. */
export const ORIGIN_NAMES = [
  'page',
  'same-origin',
  'same-site',
  'other-port',
  'cross-site',
  'https',
  'https-cross-site',
  'unreachable',
  'evil',
  'evil-suffix',
  'evil-prefix',
  'evil-dot',
  'evil-subdomain',
  'public',
  'public-granted',
  'shared-cache',
  'null',
] as const;

export type OriginName = (typeof ORIGIN_NAMES)[number];

/** Origins a page can be served from and a fetch can target. `null` is only ever a requester (a sandboxed frame). */
export type HostedOriginName = Exclude<OriginName, 'null'>;

export interface OriginDescription {
  readonly scheme: 'http' | 'https';
  /** `*.localhost` resolves to loopback in all three engines, without touching /etc/hosts. */
  readonly host: string;
  readonly port: keyof Ports;
  readonly meaning: string;
}

export const ORIGINS: Readonly<Record<HostedOriginName, OriginDescription>> = {
  page: { scheme: 'http', host: 'a.localhost', port: 'primary', meaning: 'the page that makes the request' },
  'same-origin': { scheme: 'http', host: 'a.localhost', port: 'primary', meaning: 'the page origin itself' },
  'same-site': { scheme: 'http', host: 'api.a.localhost', port: 'primary', meaning: 'a subdomain of the page site' },
  'other-port': { scheme: 'http', host: 'a.localhost', port: 'secondary', meaning: 'the page host on another port' },
  'cross-site': { scheme: 'http', host: 'b.localhost', port: 'primary', meaning: 'another site' },
  https: { scheme: 'https', host: 'a.localhost', port: 'tls', meaning: 'the page host over https' },
  'https-cross-site': { scheme: 'https', host: 'b.localhost', port: 'tls', meaning: 'another site over https' },
  unreachable: { scheme: 'http', host: 'c.localhost', port: 'closed', meaning: 'a port nothing listens on' },
  // Attacker origins for the audit, each shaped to slip past one kind of broken origin check of `page`.
  evil: { scheme: 'http', host: 'evil.localhost', port: 'primary', meaning: 'an attacker site' },
  'evil-suffix': { scheme: 'http', host: 'evila.localhost', port: 'primary', meaning: 'an attacker host ending in the page host' },
  'evil-prefix': { scheme: 'http', host: 'a.localhost.evil.localhost', port: 'primary', meaning: 'an attacker host starting with the page host' },
  'evil-dot': { scheme: 'http', host: 'wwwxa.localhost', port: 'primary', meaning: 'an attacker host matching "www.a.localhost" with the dot unescaped' },
  'evil-subdomain': { scheme: 'http', host: 'evil.a.localhost', port: 'primary', meaning: 'an attacker-controlled subdomain of the page site' },
  // Its own port, which Chromium is told to count as a public address (--ip-address-space-overrides): a public site.
  public: { scheme: 'http', host: 'public.localhost', port: 'public', meaning: 'a site the engine counts as on the public internet' },
  'public-granted': { scheme: 'http', host: 'lna-granted.localhost', port: 'public', meaning: 'a public site granted Local Network Access through Playwright' },
  // The harness's shared cache (varnishd, servers/shared-cache.ts) in front of the same API: another site's CDN.
  'shared-cache': { scheme: 'http', host: 'cdn.b.localhost', port: 'cache', meaning: 'the cross-site API behind a shared cache (a CDN)' },
};

export const TLS_HOST_NAMES: readonly string[] = ['localhost', 'a.localhost', 'api.a.localhost', 'b.localhost'];

export interface Ports {
  readonly primary: number;
  readonly secondary: number;
  readonly tls: number;
  /** Reserved and never listened on: requests there must come out as harness errors, never as CORS blocks. */
  readonly closed: number;
  /** The port of the `public` origin; a server set without one serves it on `primary` (then it is loopback like the rest). */
  readonly public?: number;
  /** The front of the shared cache (the `shared-cache` origin); a server set without one serves it on `primary`, uncached. */
  readonly cache?: number;
}

/** The serialised origins of one running server set. */
export type OriginMap = Readonly<Record<HostedOriginName, string>>;

export function originMap(ports: Ports): OriginMap {
  const entries = Object.entries(ORIGINS).map(([name, o]) => [name, `${o.scheme}://${o.host}:${ports[o.port] ?? ports.primary}`]);
  return Object.fromEntries(entries) as Record<HostedOriginName, string>;
}

export function isOriginName(value: string): value is OriginName {
  return (ORIGIN_NAMES as readonly string[]).includes(value);
}

/** The Origin header value a request from `from` carries. */
export function serializedOrigin(from: OriginName, origins: OriginMap): string {
  return from === 'null' ? 'null' : origins[from];
}

/** The page that hosts requests from `from`: a null origin is a sandboxed frame inside the page origin's page. */
export function hostingOrigin(from: OriginName): HostedOriginName {
  return from === 'null' ? 'page' : from;
}
