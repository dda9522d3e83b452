#!/usr/bin/env node
// Run after `npx playwright test`: the diagnosis of the hand-written /api/admin location must rank its causes by
// severity, worst first — the prefix attacker reading with cookies (one cause: the hole, whose impact names the PUT it
// let through the preflight to the server), then the intended PUT hidden by a 500, then the extra DELETE.
import { readFileSync } from 'node:fs';

const file = new URL('./cors-matrix-report/results.json', import.meta.url);
const { diagnosis = [] } = JSON.parse(readFileSync(file, 'utf8'));
const admin = diagnosis.filter((cause) => cause.routes.includes('/api/admin'));
const order = admin.map((cause) => `${cause.severity} ${cause.kind}`);
const expected = [
  'outsider-reads-with-credentials origin-accepted',
  'intended-blocked error-response-without-cors',
  'more-than-intended preflight-allows-unintended',
];
const problems = [];
if (JSON.stringify(order) !== JSON.stringify(expected)) problems.push(`causes of /api/admin, in order:\n  ${order.join('\n  ')}\nexpected:\n  ${expected.join('\n  ')}`);
const [hole] = admin;
if (hole && !/gets PUT \/api\/admin to your server \(answered 500/.test(hole.impact ?? '')) problems.push(`the hole's impact does not name the PUT that reached the server: ${hole.impact ?? 'no impact'}`);
if (hole && !hole.check?.passed) problems.push(`the hole's fix was not checked: ${hole.check?.detail ?? 'no check'}`);
if (problems.length > 0) {
  console.error(`check-diagnosis: ${file.pathname}:\n${problems.join('\n')}`);
  process.exit(1);
}
console.log(`check-diagnosis: /api/admin ranked as meant (${admin.length} causes: ${admin.map((c) => c.kind).join(' > ')})`);
