import { defineMiddlewareSuites, type AnyMiddlewareSuite, type MiddlewareSuite } from '../lib/model/middleware-suite.ts';
import type { HostedOriginName, OriginName } from '../lib/model/origins.ts';

// The attacker-origin audit: the API (api.a.localhost, same-site to the page) means to let only the page read, with
// credentials. Each class is a real way an origin check goes wrong, written as cors options people ship; the page is
// served from a real attacker origin shaped to slip past it. A finding is an attacker that can read.
const TARGET = 'same-site';
// Everything but the origin check is written with care, so that only the origin check is under audit.
const CAREFUL = { methods: ['GET', 'PUT'], allowedHeaders: ['X-Request-Id'] };
const ATTACKERS: readonly OriginName[] = ['evil', 'evil-suffix', 'evil-prefix', 'evil-dot', 'evil-subdomain', 'null'];

interface AuditClass {
  readonly label: string;
  readonly attacker: OriginName;
  readonly allowed?: OriginName;
  /** Where the API is; default api.a.localhost. An https page may not fetch http in every engine (mixed content). */
  readonly target?: HostedOriginName;
  readonly options: MiddlewareSuite<'express-cors'>['options'];
  readonly optionsText: string;
  readonly why: string;
}

const CLASSES: readonly AuditClass[] = [
  { label: 'reflected-origin', attacker: 'evil', options: () => ({ origin: true, credentials: true, ...CAREFUL }), optionsText: '{ origin: true, credentials: true, …careful }', why: 'the server echoes any Origin' },
  { label: 'null-trusted', attacker: 'null', options: (o) => ({ origin: [o.page, 'null'], credentials: true, ...CAREFUL }), optionsText: "{ origin: [page, 'null'], credentials: true, …careful }", why: "'null' is trusted, and any sandboxed frame or data: document is null" },
  {
    label: 'suffix-match',
    attacker: 'evil-suffix',
    options: (o) => ({ origin: (origin, callback) => callback(null, origin?.endsWith(o.page.replace('http://', '')) === true), credentials: true, ...CAREFUL }),
    optionsText: "{ origin: (origin, cb) => cb(null, origin.endsWith('a.localhost:PORT')), credentials: true, …careful }",
    why: 'a suffix check lets in any host that ends with the allowed one',
  },
  {
    label: 'prefix-match',
    attacker: 'evil-prefix',
    options: () => ({ origin: (origin, callback) => callback(null, origin?.startsWith('http://a.localhost') === true), credentials: true, ...CAREFUL }),
    optionsText: "{ origin: (origin, cb) => cb(null, origin.startsWith('http://a.localhost')), credentials: true, …careful }",
    why: 'a prefix check lets in a.localhost.<attacker>',
  },
  {
    label: 'unescaped-dot',
    attacker: 'evil-dot',
    options: () => ({ origin: /^http:\/\/(www.)?a\.localhost:\d+$/, credentials: true, ...CAREFUL }),
    optionsText: '{ origin: /^http:\\/\\/(www.)?a\\.localhost:\\d+$/, credentials: true, …careful }',
    why: 'the unescaped dot in "www." matches any character: wwwxa.localhost passes',
  },
  {
    label: 'http-trusted-by-https',
    attacker: 'page',
    allowed: 'https',
    target: 'https-cross-site',
    options: () => ({ origin: /^https?:\/\/a\.localhost:\d+$/, credentials: true, ...CAREFUL }),
    optionsText: '{ origin: /^https?:\\/\\/a\\.localhost:\\d+$/, credentials: true, …careful }',
    why: 'an https site that trusts its http twin can be read by whoever can inject into the http one',
  },
  {
    label: 'any-subdomain',
    attacker: 'evil-subdomain',
    options: () => ({ origin: /^http:\/\/([a-z0-9-]+\.)*a\.localhost:\d+$/, credentials: true, ...CAREFUL }),
    optionsText: '{ origin: /^http:\\/\\/([a-z0-9-]+\\.)*a\\.localhost:\\d+$/, credentials: true, …careful }',
    why: 'every subdomain is trusted, so one taken-over subdomain reads everything',
  },
];

export default defineMiddlewareSuites([
  ...CLASSES.map(
    (c): AnyMiddlewareSuite => ({
      middleware: 'express-cors',
      family: 'audit',
      label: c.label,
      options: c.options,
      optionsText: c.optionsText,
      target: c.target ?? TARGET,
      intent: { origins: [c.allowed ?? 'page'], credentials: true, methods: ['PUT'], headers: ['X-Request-Id'], outsiders: [c.attacker] },
      findings: [
        { probe: 'simple-read', from: c.attacker, observed: { verdict: 'allowed' }, finding: `${c.label}: ${c.attacker} can read — ${c.why}` },
        { probe: 'credentialed-read', from: c.attacker, observed: { verdict: 'allowed' }, finding: `${c.label}: ${c.attacker} can read with credentials — ${c.why}` },
        { probe: 'intended-method', from: c.attacker, observed: { verdict: 'allowed' }, finding: `${c.label}: ${c.attacker} can send non-simple requests — ${c.why}` },
      ],
    }),
  ),
  // The control: an exact allow-list stops every attacker above.
  {
    middleware: 'express-cors',
    family: 'audit',
    label: 'exact-list',
    options: (o) => ({ origin: [o.page], credentials: true, ...CAREFUL }),
    optionsText: '{ origin: [page], credentials: true, …careful }',
    target: TARGET,
    intent: { origins: ['page'], credentials: true, methods: ['PUT'], headers: ['X-Request-Id'], outsiders: ATTACKERS },
  },
]);
