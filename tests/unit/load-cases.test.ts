import { test, expect } from '@playwright/test';
import { ScenarioError, loadCases } from '../../lib/model/load-cases.ts';
import type { Case, CaseRow, ScenarioFamily } from '../../lib/model/scenario.ts';

/** A row that passes every rule; the rejection rows below each break exactly one thing in a copy of it. */
const validRow: CaseRow = {
  server: 'server allows PUT only',
  to: 'cross-site',
  request: { method: 'PUT', headers: { 'X-Custom': '1' } },
  policy: { allowOrigin: '*', allowMethods: ['PUT'] },
  expect: 'blocked-at-preflight',
};

/** Rows are `unknown`: the point is to feed the loader what the type checker would refuse. */
function family(name: string, rows: readonly unknown[]): ScenarioFamily {
  return { family: name, proves: 'what the loader accepts and rejects', cases: rows as readonly CaseRow[] };
}

/** The problems `loadCases` reports, or an empty list when it accepts the input. */
function problemsOf(families: readonly ScenarioFamily[]): readonly string[] {
  try {
    loadCases(families);
    return [];
  } catch (error) {
    if (error instanceof ScenarioError) return error.problems;
    throw error;
  }
}

interface DefaultsRow {
  readonly title: string;
  readonly row: CaseRow;
  /** The case as loaded, but for the oracle's summary; `expect` lists the fields that must hold. */
  readonly expected: Omit<Case, 'expect' | 'oracle'> & { readonly expect: Partial<Case['expect']> };
}

const defaultsRows: readonly DefaultsRow[] = [
  {
    title: 'A minimal row gets the defaults: from page, credentials same-origin, mode cors, redirect follow, no body.',
    row: validRow,
    expected: {
      id: 'good-001-put-cross-site-server-allows-put-only',
      family: 'good',
      proves: 'what the loader accepts and rejects',
      title: 'PUT [X-Custom] from page to cross-site, server allows PUT only → blocked at preflight',
      server: 'server allows PUT only',
      from: 'page',
      to: 'cross-site',
      request: { method: 'PUT', headers: { 'X-Custom': '1' }, body: null, credentials: 'same-origin', mode: 'cors', redirect: 'follow' },
      target: { kind: 'policy', policy: { allowOrigin: '*', allowMethods: ['PUT'] } },
      expect: { verdict: 'blocked-at-preflight', preflight: true },
      verdictFrom: 'scenario',
    },
  },
  {
    title: 'A row without request headers gets an empty header record.',
    row: { server: 'server allows any origin', to: 'cross-site', request: { method: 'GET' }, policy: { allowOrigin: '*' }, expect: 'allowed' },
    expected: {
      id: 'good-001-get-cross-site-server-allows-any-origin',
      family: 'good',
      proves: 'what the loader accepts and rejects',
      title: 'GET from page to cross-site, server allows any origin → allowed',
      server: 'server allows any origin',
      from: 'page',
      to: 'cross-site',
      request: { method: 'GET', headers: {}, body: null, credentials: 'same-origin', mode: 'cors', redirect: 'follow' },
      target: { kind: 'policy', policy: { allowOrigin: '*' } },
      expect: { verdict: 'allowed', preflight: false },
      verdictFrom: 'scenario',
    },
  },
  {
    title: 'Values the row gives are kept instead of the defaults.',
    row: {
      server: 'server reflects with credentials',
      from: 'null',
      to: 'https-cross-site',
      request: { method: 'POST', body: 'x=1', credentials: 'include', mode: 'no-cors', redirect: 'manual' },
      policy: { allowOrigin: 'reflect', allowCredentials: true },
      expect: { verdict: 'allowed', why: 'the server reflects' },
    },
    expected: {
      id: 'good-001-post-https-cross-site-server-reflects-with-credentials',
      family: 'good',
      proves: 'what the loader accepts and rejects',
      title: 'POST credentials=include mode=no-cors redirect=manual from null to https-cross-site, server reflects with credentials → allowed',
      server: 'server reflects with credentials',
      from: 'null',
      to: 'https-cross-site',
      request: { method: 'POST', headers: {}, body: 'x=1', credentials: 'include', mode: 'no-cors', redirect: 'manual' },
      target: { kind: 'policy', policy: { allowOrigin: 'reflect', allowCredentials: true } },
      expect: { verdict: 'allowed', why: 'the server reflects' },
      verdictFrom: 'scenario',
    },
  },
];

for (const row of defaultsRows) {
  test(row.title, () => {
    const loaded = loadCases([family('good', [row.row])]);
    expect(loaded).toHaveLength(1);
    expect(loaded[0]).toMatchObject(row.expected);
  });
}

interface TitleRow {
  readonly what: string;
  readonly row: CaseRow;
  readonly title: string;
}

const titleRows: readonly TitleRow[] = [
  {
    what: 'The title names method, custom headers, origins, server and verdict',
    row: validRow,
    title: 'PUT [X-Custom] from page to cross-site, server allows PUT only → blocked at preflight',
  },
  {
    what: 'The title gives the value of Content-Type but only the names of other headers',
    row: { ...validRow, request: { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Custom': '1' }, body: '{}' }, expect: 'allowed' },
    title: 'POST [Content-Type: application/json, X-Custom] from page to cross-site, server allows PUT only → allowed',
  },
  {
    what: 'The title keeps the method as the script writes it',
    row: { ...validRow, request: { method: 'patch' } },
    title: 'patch from page to cross-site, server allows PUT only → blocked at preflight',
  },
  {
    what: 'The title names credentials whenever the row writes them, even the default, but leaves out a written-out mode cors',
    row: { ...validRow, request: { method: 'GET', credentials: 'same-origin', mode: 'cors' }, expect: 'allowed' },
    title: 'GET credentials=same-origin from page to cross-site, server allows PUT only → allowed',
  },
  {
    what: 'The title names credentials when they are not the default',
    row: { ...validRow, request: { method: 'GET', credentials: 'omit' }, expect: 'allowed' },
    title: 'GET credentials=omit from page to cross-site, server allows PUT only → allowed',
  },
  {
    what: 'The title names an engine whose verdict deviates',
    row: { ...validRow, request: { method: 'GET' }, expect: { verdict: 'allowed', engines: { webkit: { verdict: 'blocked-at-response', because: 'WebKit checks this differently' } } } },
    title: 'GET from page to cross-site, server allows PUT only → allowed (webkit: blocked at response)',
  },
  {
    what: 'The title lists deviating engines in engine order, not in the order written',
    row: {
      ...validRow,
      request: { method: 'GET' },
      expect: {
        verdict: 'allowed',
        engines: {
          firefox: { verdict: 'harness-error', because: 'Firefox cannot reach this origin' },
          chromium: { verdict: 'blocked-at-preflight', because: 'Chromium sends a preflight here' },
        },
      },
    },
    title: 'GET from page to cross-site, server allows PUT only → allowed (chromium: blocked at preflight; firefox: harness error)',
  },
  {
    what: 'The title leaves out a deviation that keeps the default verdict',
    row: { ...validRow, request: { method: 'GET' }, expect: { verdict: 'allowed', engines: { webkit: { verdict: 'allowed', hidden: ['X-Secret'], because: 'WebKit hides this header' } } } },
    title: 'GET from page to cross-site, server allows PUT only → allowed',
  },
];

for (const row of titleRows) {
  test(`${row.what}: ${row.title}`, () => {
    expect(loadCases([family('titles', [row.row])]).map((c) => c.title)).toEqual([row.title]);
  });
}

interface RejectionRow {
  readonly title: string;
  readonly row: unknown;
  /** Field path as the message writes it. */
  readonly field: string;
  /** Words naming the rule that was broken. */
  readonly rule: readonly string[];
}

const rejectionRows: readonly RejectionRow[] = [
  {
    title: 'An unknown origin name in to is rejected.',
    row: { ...validRow, to: 'nowhere' },
    field: 'to',
    rule: ['must be a hosted origin'],
  },
  {
    title: 'The null origin as a target is rejected, since it can only make requests.',
    row: { ...validRow, to: 'null' },
    field: 'to',
    rule: ['must be a hosted origin'],
  },
  {
    title: 'An unknown origin name in from is rejected.',
    row: { ...validRow, from: 'elsewhere' },
    field: 'from',
    rule: ['must be one of the named origins'],
  },
  {
    title: 'A request to the requesting origin itself under another name is rejected.',
    row: { ...validRow, from: 'cross-site' },
    field: 'to',
    rule: ['requesting origin itself'],
  },
  {
    title: 'A method that is not an HTTP token is rejected.',
    row: { ...validRow, request: { method: 'GE T' } },
    field: 'request.method',
    rule: ['HTTP token'],
  },
  {
    title: 'A forbidden method is rejected.',
    row: { ...validRow, request: { method: 'TRACE' } },
    field: 'request.method',
    rule: ['forbidden method'],
  },
  {
    title: 'A forbidden method written in lower case is rejected too.',
    row: { ...validRow, request: { method: 'connect' } },
    field: 'request.method',
    rule: ['forbidden method'],
  },
  {
    title: 'A request header name that is not an HTTP token is rejected.',
    row: { ...validRow, request: { method: 'PUT', headers: { 'X Custom': '1' } } },
    field: 'request.headers.X Custom',
    rule: ['not a valid header name', 'HTTP token'],
  },
  {
    title: 'A forbidden request header is rejected.',
    row: { ...validRow, request: { method: 'PUT', headers: { Cookie: 'cm_lax=1' } } },
    field: 'request.headers.Cookie',
    rule: ['forbidden request-header'],
  },
  {
    title: 'A forbidden request header prefix (Sec-) is rejected.',
    row: { ...validRow, request: { method: 'PUT', headers: { 'Sec-Fetch-Mode': 'cors' } } },
    field: 'request.headers.Sec-Fetch-Mode',
    rule: ['forbidden request-header'],
  },
  {
    title: 'A GET with a body is rejected.',
    row: { ...validRow, request: { method: 'GET', body: 'x=1' } },
    field: 'request.body',
    rule: ['GET request cannot have a body'],
  },
  {
    title: 'A lower-case head with a body is rejected.',
    row: { ...validRow, request: { method: 'head', body: 'x=1' } },
    field: 'request.body',
    rule: ['cannot have a body'],
  },
  {
    title: 'Allowing credentials while allowing no origin is rejected as contradictory.',
    row: { ...validRow, policy: { allowOrigin: 'none', allowCredentials: true } },
    field: 'policy.allowCredentials',
    rule: ['contradicts allowOrigin "none"'],
  },
  {
    title: 'An Access-Control-* header among the response headers is rejected as contradictory.',
    row: { ...validRow, policy: { allowOrigin: '*', responseHeaders: { 'Access-Control-Allow-Origin': '*' } } },
    field: 'policy.responseHeaders.Access-Control-Allow-Origin',
    rule: ['contradicts the policy', 'allowOrigin'],
  },
  {
    title: 'A Vary header among the response headers is rejected as contradictory.',
    row: { ...validRow, policy: { allowOrigin: '*', responseHeaders: { vary: 'Origin' } } },
    field: 'policy.responseHeaders.vary',
    rule: ['contradicts the policy'],
  },
  {
    title: 'An allowOrigin pattern that is not a valid RegExp is rejected.',
    row: { ...validRow, policy: { allowOrigin: { pattern: '(unclosed' } } },
    field: 'policy.allowOrigin.pattern',
    rule: ['valid JavaScript RegExp'],
  },
  {
    title: 'An engine deviation whose reason is too short is rejected.',
    row: { ...validRow, expect: { verdict: 'allowed', engines: { webkit: { verdict: 'blocked-at-response', because: 'bug' } } } },
    field: 'expect.engines.webkit.because',
    rule: ['must give the reason'],
  },
  {
    title: 'An engine deviation without a because is rejected, naming the missing field.',
    row: { ...validRow, expect: { verdict: 'allowed', engines: { webkit: { verdict: 'blocked-at-response' } } } },
    field: 'expect.engines.webkit.because',
    rule: ['because'],
  },
  {
    title: 'An unknown origin name in an allowOrigin list is rejected, naming the list entry.',
    row: { ...validRow, policy: { allowOrigin: { list: ['page', 'nowhere'] } } },
    field: 'policy.allowOrigin.list[1]',
    rule: ['must be one of the named origins'],
  },
  {
    title: 'A raw Allow-Origin line whose placeholder names an unknown origin is rejected at load time.',
    row: { ...validRow, policy: { allowOrigin: { raw: ['{origin:nowhere}'] } } },
    field: 'policy.allowOrigin.raw[0]',
    rule: ['nowhere'],
  },
];

for (const row of rejectionRows) {
  test(row.title, () => {
    // A valid row first, with its own title, so that the bad row is case 2 and cannot collide with it.
    const problems = problemsOf([family('bad-input', [{ ...validRow, server: 'a valid row before the bad one' }, row.row])]);
    expect(problems).toHaveLength(1);
    const [problem] = problems;
    expect(problem).toContain('scenario "bad-input"');
    expect(problem).toContain('case 2');
    expect(problem).toContain(`field ${row.field}:`);
    for (const word of row.rule) expect(problem).toContain(word);
  });
}

test('The loader throws a ScenarioError whose message counts and lists the problems.', () => {
  const load = (): Case[] => loadCases([family('bad-input', [{ ...validRow, to: 'nowhere' }])]);
  expect(load).toThrow(ScenarioError);
  expect(load).toThrow(/Invalid scenarios \(1 problem\):\n {2}- scenario "bad-input" case 1 \("server allows PUT only"\): field to:/);
});

test('Two rows with the same title are rejected, naming the family, both case ids and the server field.', () => {
  const problems = problemsOf([family('dup-titles', [validRow, { ...validRow }])]);
  expect(problems).toHaveLength(1);
  const [problem] = problems;
  expect(problem).toContain('scenario "dup-titles"');
  expect(problem).toContain('field server');
  expect(problem).toContain('already used');
  expect(problem).toContain('"PUT [X-Custom] from page to cross-site, server allows PUT only → blocked at preflight"');
  expect(problem).toContain('dup-titles-001-');
  expect(problem).toContain('dup-titles-002-');
});

test('Two rows in different families with the same title are rejected too.', () => {
  const problems = problemsOf([family('first', [validRow]), family('second', [validRow])]);
  expect(problems).toHaveLength(1);
  expect(problems[0]).toContain('scenario "second"');
  expect(problems[0]).toContain('already used by first-001-');
});

test('Rows that differ only in what the server does are accepted, with distinct titles.', () => {
  const cases = loadCases([family('distinct', [validRow, { ...validRow, server: 'server allows PUT and DELETE' }])]);
  expect(cases.map((c) => c.title)).toEqual([
    'PUT [X-Custom] from page to cross-site, server allows PUT only → blocked at preflight',
    'PUT [X-Custom] from page to cross-site, server allows PUT and DELETE → blocked at preflight',
  ]);
  expect(new Set(cases.map((c) => c.id)).size).toBe(2);
});

interface ManyProblemsRow {
  readonly title: string;
  readonly families: readonly ScenarioFamily[];
  /** Each expected problem, given by words it must contain; the problems must be exactly these, in this order. */
  readonly problems: readonly (readonly string[])[];
}

const manyProblemsRows: readonly ManyProblemsRow[] = [
  {
    title: 'Several bad rows in one family are all reported at once, each with its own case number.',
    families: [
      family('several', [
        { ...validRow, to: 'nowhere' },
        validRow,
        { ...validRow, request: { method: 'TRACE' } },
        { ...validRow, request: { method: 'GET', body: 'x' } },
      ]),
    ],
    problems: [
      ['scenario "several" case 1', 'field to:'],
      ['scenario "several" case 3', 'field request.method:', 'forbidden method'],
      ['scenario "several" case 4', 'field request.body:', 'cannot have a body'],
    ],
  },
  {
    title: 'Several problems in one row are all reported.',
    families: [family('one-row', [{ ...validRow, request: { method: 'GET', headers: { Cookie: 'a=1', 'Bad Name': '1' }, body: 'x' } }])],
    problems: [
      ['scenario "one-row" case 1', 'field request.headers.Cookie:', 'forbidden request-header'],
      ['scenario "one-row" case 1', 'field request.headers.Bad Name:', 'HTTP token'],
      ['scenario "one-row" case 1', 'field request.body:'],
    ],
  },
  {
    title: 'Problems in different families are all reported, a bad family header among them.',
    families: [
      family('first-bad', [{ ...validRow, policy: { allowOrigin: 'none', allowCredentials: true } }]),
      { family: 'Not Kebab', proves: 'short', cases: [validRow] },
      family('third-bad', [{ ...validRow, request: { method: 'GE T' } }]),
    ],
    problems: [
      ['scenario "first-bad" case 1', 'field policy.allowCredentials:'],
      ['scenario "Not Kebab"', 'field family:', 'kebab-case'],
      ['scenario "Not Kebab"', 'field proves:'],
      ['scenario "third-bad" case 1', 'field request.method:'],
    ],
  },
  {
    title: 'A family name used twice is reported.',
    families: [family('twice', [validRow]), family('twice', [{ ...validRow, server: 'server allows nothing' }])],
    problems: [['scenario "twice"', 'field family:', 'must be unique']],
  },
  {
    title: 'A family without cases is rejected.',
    families: [family('empty', [])],
    problems: [['scenario "empty"', 'field cases:', 'at least one case']],
  },
];

for (const row of manyProblemsRows) {
  test(row.title, () => {
    const problems = problemsOf(row.families);
    expect(problems).toHaveLength(row.problems.length);
    row.problems.forEach((words, index) => {
      for (const word of words) expect(problems[index]).toContain(word);
    });
  });
}

// Expectations the oracle supplies: every stated field wins, the oracle fills in the rest.
test('A row without an expectation gets the oracle verdict and preflight, and says it came from the oracle.', () => {
  const [loaded] = loadCases([family('oracle', [{ ...validRow, expect: undefined }])]);
  expect(loaded?.verdictFrom).toBe('oracle');
  expect(loaded?.expect.verdict).toBe('blocked-at-preflight');
  expect(loaded?.expect.preflight).toBe(true);
  expect(loaded?.expect.why).toContain('x-custom');
  expect(loaded?.oracle?.reasons.length).toBeGreaterThan(0);
});

test('A stated verdict wins over the oracle, which is still kept for comparison.', () => {
  const [loaded] = loadCases([family('oracle', [{ ...validRow, expect: 'allowed' }])]);
  expect(loaded?.verdictFrom).toBe('scenario');
  expect(loaded?.expect.verdict).toBe('allowed');
  expect(loaded?.oracle?.verdict).toBe('blocked-at-preflight');
});

test('An expectation that states only cookies gets its verdict from the oracle.', () => {
  const row = { server: 'echoes the origin with credentials', to: 'same-site', request: { method: 'GET', credentials: 'include' }, policy: { allowOrigin: 'reflect', allowCredentials: true }, expect: { cookies: ['cm_lax'] } };
  const [loaded] = loadCases([family('oracle', [row])]);
  expect(loaded?.expect).toMatchObject({ verdict: 'allowed', preflight: false, cookies: ['cm_lax'] });
});

test('Readable and hidden headers come from the oracle for headers the policy sets.', () => {
  const row = { server: 'exposes X-A only', to: 'cross-site', request: { method: 'GET' }, policy: { allowOrigin: '*', exposeHeaders: ['X-A'], responseHeaders: { 'X-A': '1', 'X-B': '2', 'Content-Language': 'en' } } };
  const [loaded] = loadCases([family('oracle', [row])]);
  expect(loaded?.expect.readable).toEqual(['X-A', 'Content-Language']);
  expect(loaded?.expect.hidden).toEqual(['X-B']);
});

test('A known engine deviation replaces the oracle verdict for that engine, with its evidence.', () => {
  const row = { server: 'allows any header', to: 'cross-site', request: { method: 'GET', headers: { Authorization: 'x' } }, policy: { allowOrigin: '*', allowHeaders: '*' } };
  const [loaded] = loadCases([family('oracle', [row])]);
  expect(loaded?.expect.verdict).toBe('blocked-at-preflight');
  for (const engine of ['chromium', 'firefox', 'webkit'] as const) {
    expect(loaded?.expect.engines?.[engine]?.verdict).toBe('allowed');
    expect(loaded?.expect.engines?.[engine]?.because).toContain('known engine deviation');
  }
});

test('A case the oracle cannot predict must state its verdict, and the loader says so.', () => {
  const row = { server: 'allows any origin', to: 'cross-site', request: { method: 'GET', mode: 'same-origin' }, policy: { allowOrigin: '*' } };
  const problems = problemsOf([family('oracle', [row])]);
  expect(problems).toHaveLength(1);
  expect(problems[0]).toContain('scenario "oracle"');
  expect(problems[0]).toContain('field expect.verdict');
  expect(problems[0]).toContain('the oracle cannot predict');
});

// Request kinds, redirects, sequences and the oracle's silence.
test('A redirect chain is predicted by the oracle hop by hop: a tainted origin is echoed as "null", which passes.', () => {
  const [loaded] = loadCases([family('good', [{ server: 'redirects to other-port, both echo', to: 'cross-site', request: { method: 'GET' }, policy: { allowOrigin: 'reflect', redirects: [{ status: 302, to: 'other-port' }] } }])]);
  expect(loaded?.expect.verdict).toBe('allowed');
  expect(loaded?.verdictFrom).toBe('oracle');
});

test('A row the oracle cannot speak for (a WebSocket) must state its verdict, and the loader says why.', () => {
  expect(() => loadCases([family('good', [{ server: 'accepts every handshake', to: 'cross-site', request: { method: 'GET', kind: 'websocket' }, policy: { allowOrigin: 'none' } }])])).toThrow(
    /field expect.verdict: the oracle cannot speak for this case \(a WebSocket handshake is not a CORS request/,
  );
  const [loaded] = loadCases([family('good', [{ server: 'accepts every handshake', to: 'cross-site', request: { method: 'GET', kind: 'websocket' }, policy: { allowOrigin: 'none' }, expect: { verdict: 'allowed', reachedHandler: true } }])]);
  expect(loaded).toMatchObject({ oracleSilent: expect.stringContaining('WebSocket'), verdictFrom: 'scenario', request: { kind: 'websocket' }, expect: { reachedHandler: true } });
  expect(loaded?.title).toBe('websocket GET from page to cross-site, accepts every handshake → allowed');
});

test('Steps of a sequence carry the preflight cache: the second identical PUT inside Max-Age sends no preflight.', () => {
  const row = (server: string): CaseRow => ({ server, to: 'cross-site', request: { method: 'PUT' }, policy: { allowOrigin: '*', allowMethods: ['PUT'], maxAge: 600 }, sequence: { id: 'cached' } });
  const [first, second] = loadCases([family('good', [row('allows PUT, first'), row('allows PUT, again')])]);
  expect([first?.expect.preflight, second?.expect.preflight]).toEqual([true, false]);
  expect([first?.sequence?.step, second?.sequence?.step]).toEqual([0, 1]);
});

test('Bad redirect and cache fields are named with their rule.', () => {
  const bad = { server: 'redirects badly', to: 'cross-site', request: { method: 'GET' } };
  expect(() => loadCases([family('bad', [{ ...bad, policy: { allowOrigin: '*', redirects: [{ status: 304, to: 'cross-site' }] } }])])).toThrow(/field policy.redirects\[0\].status: must be a redirect status: 301, 302, 303, 307, 308/);
  expect(() => loadCases([family('bad', [{ ...bad, policy: { allowOrigin: '*', revalidate: true } }])])).toThrow(/field policy.revalidate: needs an ETag/);
  expect(() => loadCases([family('bad', [{ ...bad, policy: { allowOrigin: '*', redirectPreflight: true } }])])).toThrow(/field policy.redirectPreflight: needs redirects/);
  expect(() => loadCases([family('bad', [{ ...bad, request: { method: 'GET', kind: 'carrier-pigeon' }, policy: { allowOrigin: '*' } }])])).toThrow(/field request.kind: must be one of the request kinds/);
});
