// The class of a broken origin check, from the outsider it let in and the origins meant to read.

export interface OriginClass {
  readonly id: 'null-trusted' | 'wildcard' | 'reflected' | 'scheme-not-pinned' | 'other-port' | 'prefix-match' | 'unescaped-dot' | 'suffix-match' | 'any-subdomain';
  readonly why: string;
}

function parsed(origin: string): URL | undefined {
  try {
    return new URL(origin);
  } catch {
    return undefined;
  }
}

/** Whether a host ends in these letters with more before them and no dot between: evilexample.com for example.com. */
function endsWithoutDot(host: string, suffix: string): boolean {
  return host.length > suffix.length && host.endsWith(suffix) && host[host.length - suffix.length - 1] !== '.';
}

/**
 * How an accepted outsider relates to the origins meant to read. `allowOrigin` is what the server answered it: a `*`
 * is a wildcard, not a reflection, and says so.
 */
export function originClass(attacker: string, intended: readonly string[], allowOrigin?: string): OriginClass {
  if (allowOrigin?.trim() === '*') return { id: 'wildcard', why: `Access-Control-Allow-Origin is *: every site, ${attacker} included, may read what needs no credentials` };
  if (attacker === 'null') return { id: 'null-trusted', why: 'the null origin (sandboxed frames, data: URLs — any site can make one) is trusted' };
  const a = parsed(attacker);
  if (!a) return { id: 'reflected', why: `the Origin is reflected: ${attacker} is accepted` };
  for (const origin of intended) {
    const o = parsed(origin);
    if (!o) continue;
    if (a.hostname === o.hostname && a.protocol !== o.protocol) return { id: 'scheme-not-pinned', why: `the scheme is not pinned: ${attacker} (plain ${a.protocol.replace(':', '')}) passes for ${origin}` };
    if (a.hostname === o.hostname) return { id: 'other-port', why: `the port is not checked: ${attacker} passes for ${origin}` };
    if (a.hostname.startsWith(`${o.hostname}.`)) return { id: 'prefix-match', why: `the check matches a prefix: ${attacker} starts with ${o.hostname} — the pattern is not anchored at its end` };
    const h = a.hostname;
    for (let i = 0; i < h.length; i++) {
      const dotted = `${h.slice(0, i)}.${h.slice(i + 1)}`;
      if (h[i] !== '.' && dotted === o.hostname) return { id: 'unescaped-dot', why: `a "." in the pattern is not escaped: ${attacker} matches where only a dot should` };
    }
    const site = o.hostname.split('.').slice(-2).join('.');
    // A subdomain wildcard whose dots are not escaped (restify-cors-middleware2 turns *.example.com into
    // ^https://.*\.example.com$, escaping the first dot only): the site matched with another character for a dot.
    const looseSite = new RegExp(`(^|\\.)${site.split('.').map((label) => label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.')}$`);
    if (site.includes('.') && looseSite.test(h) && !h.endsWith(`.${site}`) && h !== site) {
      return { id: 'unescaped-dot', why: `a "." in the pattern is not escaped: ${attacker} passes for *.${site}, another character standing where the dot is` };
    }
    if (endsWithoutDot(h, o.hostname)) {
      return { id: 'suffix-match', why: `the check matches a suffix: ${attacker} ends with ${o.hostname} — the pattern is not anchored at its start` };
    }
    // The same without a dot before the site: a check meant for the site's subdomains (`/example\.com$/`,
    // `endsWith('example.com')`) that also takes any host ending in its letters (evilexample.com).
    if (site.includes('.') && endsWithoutDot(h, site)) {
      return { id: 'suffix-match', why: `the check matches a suffix: ${attacker} ends with ${site}, with no dot before it — the pattern is not anchored at a label's start` };
    }
    if (h.endsWith(`.${site}`) || h === site) return { id: 'any-subdomain', why: `every subdomain of ${site} is trusted: ${attacker} is not an allowed origin` };
  }
  return { id: 'reflected', why: `the Origin is reflected for any site: ${attacker} is accepted` };
}
