import type { CaseRow, ScenarioFamily } from '../../lib/model/scenario.ts';
import type { HostedOriginName } from '../../lib/model/origins.ts';
import type { Policy } from '../../lib/model/policy.ts';

// A matrix of any size for the benchmark: every row a distinct cross-origin request under a distinct server, with
// the oracle supplying each expectation. With `failHalf`, every other row states a verdict no engine will give.

const TARGETS: readonly HostedOriginName[] = ['cross-site', 'same-site', 'other-port', 'https'];
const REQUESTS: readonly CaseRow['request'][] = [
  { method: 'GET' },
  { method: 'PUT' },
  { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' },
  { method: 'DELETE', headers: { 'X-Trace': '1' } },
  { method: 'GET', credentials: 'include' },
];
const POLICIES: readonly (readonly [string, Policy])[] = [
  ['allows any origin and method', { allowOrigin: '*', allowMethods: '*', allowHeaders: '*' }],
  ['reflects the origin with credentials', { allowOrigin: 'reflect', allowMethods: ['PUT', 'POST', 'DELETE'], allowHeaders: ['Content-Type', 'X-Trace'], allowCredentials: true }],
  ['lists the page origin', { allowOrigin: { list: ['page'] }, allowMethods: ['PUT'] }],
  ['sends no CORS headers', { allowOrigin: 'none' }],
];

export function generatedFamily(size: number, failHalf = false): ScenarioFamily {
  const cases: CaseRow[] = [];
  for (let i = 0; i < size; i++) {
    const [label, policy] = POLICIES[i % POLICIES.length]!;
    cases.push({
      server: `${label} (#${i})`,
      to: TARGETS[Math.floor(i / POLICIES.length) % TARGETS.length]!,
      request: REQUESTS[Math.floor(i / (POLICIES.length * TARGETS.length)) % REQUESTS.length]!,
      policy,
      ...(failHalf && i % 2 === 0 && { expect: { verdict: 'harness-error', why: 'the benchmark fails every other row on purpose' } }),
    });
  }
  return { family: 'generated', proves: 'the harness at scale: a generated matrix of distinct requests and servers', cases };
}
