// Runs the matrix on each server here (json-server, Vite's dev server, http-server, hapi, restify, Starlette, Express
// with cors, Flask with flask-cors) in Chromium, Firefox and WebKit (the servers' holes are real and undeclared, so
// the matrix run fails), then checks the diagnosis it wrote to results.json: each root cause stands for one thing the
// server does, the impact names what the outside origins did, and each fix names the config's own origins and passed
// the oracle's check. Usage: npm install && node check-diagnosis.mjs [server ...] [--evidence]  (exit 0 when every check holds).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

const here = dirname(fileURLToPath(import.meta.url));
const evidence = process.argv.includes('--evidence');

function run(server) {
  const report = join(here, 'cors-matrix-report', server);
  // `flask/` (a path filter, as a regex): `flask` alone would run flask-fixed's spec as well.
  const out = spawnSync('npx', ['playwright', 'test', '-c', 'playwright.config.ts', `${server}/`], { cwd: here, encoding: 'utf8', env: { ...process.env, CORS_MATRIX_REPORT_DIR: report } });
  const text = out.stdout + out.stderr;
  const printed = text.slice(text.indexOf('diagnosis:'), text.indexOf('\nreport:'));
  const results = JSON.parse(readFileSync(join(report, 'results.json'), 'utf8'));
  const harnessErrors = results.records.filter((r) => r.case?.outcome?.verdict === 'harness-error' || r.outcome?.verdict === 'harness-error');
  assert.equal(harnessErrors.length, 0, `${server}: harness errors`);
  return { printed, causes: results.diagnosis ?? [], engines: results.engines, status: out.status };
}

const holes = (causes) => causes.filter((c) => c.kind === 'origin-accepted');

const checks = {
  'json-server': ({ causes }) => {
    const [hole, ...more] = holes(causes);
    assert.equal(more.length, 0, 'one reflection is one root cause');
    assert.match(hole.summary, /reflects any origin/);
    for (const origin of ['https://evil.test', 'https://todos.example.evil.test', 'http://todos.example', 'null']) assert.ok(hole.summary.includes(origin), `evidence names ${origin}`);
    assert.doesNotMatch(hole.summary, /prefix|scheme is not pinned/, 'no explanation the observations contradict');
    assert.equal(hole.severity, 'outsider-reads-with-credentials');
    assert.match(hole.impact, /https:\/\/evil\.test reads \/todos and \/todos\/1[^;]* with the user's session/);
    // The writes an outside page gets through, each with the user's session: the intended methods are probed from
    // outsiders as the team's page sends them (credentials included, since the intent allows them).
    // A PATCH or DELETE after another origin's DELETE finds the item gone (404): then it arrived, and may not have run.
    for (const write of ['POSTs \\/todos', '(PATCHes \\/todos\\/1|gets PATCH \\/todos\\/1 to your server \\(answered 404, so it may not have run\\))', '(DELETEs \\/todos\\/1|gets DELETE \\/todos\\/1 to your server \\(answered 404, so it may not have run\\))']) assert.match(hole.impact, new RegExp(`https://evil\\.test [^;]*${write}[^;]* with the user's session`), hole.impact);
    // One Access-Control-Allow-Methods list on every route is one behaviour: one cause naming each route's extra method.
    const methods = causes.filter((c) => c.kind === 'preflight-allows-unintended' && /Allow-Methods/.test(c.summary));
    assert.equal(methods.length, 1, `one method list, one cause: ${methods.map((c) => c.summary).join(' | ')}`);
    assert.match(methods[0].summary, /DELETE \(on \/todos\)/);
    assert.match(methods[0].summary, /PUT \(on \/todos\/1\)/);
    assert.ok(methods[0].check.passed, methods[0].check.detail);
    assert.ok(hole.check.passed, hole.check.detail);
    assert.ok(hole.fix.includes('https://todos.example') && !hole.fix.includes('app.example.com'), hole.fix);
    assert.equal(hole.engines.length, 3, 'seen in all three engines');
  },
  // Vite's dev server, no cors option: its default check admits localhost on any port and any subdomain of localhost,
  // and refuses the rest. One check, two flaws, each named with the origin that shows it; an unrelated origin refused.
  vite: ({ causes }) => {
    const [hole, ...more] = holes(causes);
    assert.equal(more.length, 0, 'one origin check is one root cause');
    assert.match(hole.summary, /loose pattern/);
    assert.match(hole.summary, /port is not checked: http:\/\/localhost:4000/);
    assert.match(hole.summary, /every subdomain of localhost is trusted: http:\/\/evil\.localhost:3000/);
    assert.match(hole.summary, /https:\/\/evil\.test, null were refused/);
    assert.doesNotMatch(hole.summary, /reflect/, 'an unrelated origin was refused: no reflection');
    assert.match(hole.impact, /http:\/\/localhost:4000 reads \/app\.js/);
    assert.match(hole.impact, /http:\/\/evil\.localhost:3000 reads \/app\.js/);
    assert.ok(hole.check.passed, hole.check.detail);
    assert.ok(hole.fix.includes('http://localhost:3000'), hole.fix);
    assert.equal(hole.serverFix?.kind, 'vite');
    assert.match(hole.serverFix.config, /server: \{ cors: \{ origin: \['http:\/\/localhost:3000'\]/);
  },
  'http-server': ({ causes }) => {
    const [hole, ...more] = holes(causes);
    assert.equal(more.length, 0, 'one wildcard is one root cause');
    assert.match(hole.summary, /Access-Control-Allow-Origin is \*/);
    assert.equal(hole.severity, 'outsider-reads', 'a wildcard reads nothing with the session');
    assert.match(hole.impact, /https:\/\/evil\.test reads \/api\/release\.json without a session/);
    assert.ok(hole.check.passed, hole.check.detail);
    assert.ok(hole.fix.includes('https://docs.example') && !hole.fix.includes('app.example.com'), hole.fix);
  },
  // hapi: a subdomain wildcard (one cause), and a preflight refused whole over X-Trace, which hapi's list lacks: named
  // by that header (other preflights admit the origin), not as an origin the preflight does not name.
  hapi: ({ causes }) => {
    const [hole, ...more] = holes(causes);
    assert.equal(more.length, 0, 'one origin check is one root cause');
    assert.match(hole.summary, /every subdomain of example\.com is trusted: https:\/\/staging\.example\.com/);
    assert.doesNotMatch(hole.summary, /reflect/);
    assert.ok(hole.check.passed, hole.check.detail);
    const refused = causes.filter((c) => c.severity === 'intended-blocked');
    assert.deepEqual(refused.map((c) => c.kind), ['preflight-header-not-allowed'], refused.map((c) => c.summary).join(' | '));
    assert.match(refused[0].summary, /refuses the whole preflight over a request header it does not allow \(x-trace\)/);
    assert.match(refused[0].fix, /Access-Control-Allow-Headers: x-request-id, x-trace/);
    assert.ok(refused[0].check.passed, refused[0].check.detail);
  },
  // restify-cors-middleware2: one origin check with two flaws (every subdomain; the unescaped dot x.examplezcom shows),
  // not a reflection, since evil.test was refused; and a preflight that echoes any method, so the app's own PATCH reached
  // restify (405 without CORS headers): the preflight allowing PATCH, not "error responses carry no CORS headers".
  restify: ({ causes }) => {
    const [hole, ...more] = holes(causes);
    assert.equal(more.length, 0, 'one origin check is one root cause');
    assert.match(hole.summary, /loose pattern/);
    assert.match(hole.summary, /"\." in the pattern is not escaped: https:\/\/x\.examplezcom/);
    assert.match(hole.summary, /every subdomain of example\.com is trusted: https:\/\/staging\.example\.com/);
    assert.doesNotMatch(hole.summary, /reflect/, 'an unrelated origin was refused: no reflection');
    assert.ok(hole.check.passed, hole.check.detail);
    const methods = causes.filter((c) => c.kind === 'preflight-allows-unintended' && /Allow-Methods/.test(c.summary));
    assert.equal(methods.length, 1, methods.map((c) => c.summary).join(' | '));
    assert.match(methods[0].summary, /the preflight allows PATCH/);
    assert.match(methods[0].summary, /echoes the method each preflight asks for/);
    assert.doesNotMatch(methods[0].summary, /also lists/);
    assert.match(methods[0].detail, /PATCH was sent to your server all the same \(answered 405/);
    assert.ok(methods[0].check.passed, methods[0].check.detail);
    assert.equal(causes.filter((c) => c.kind === 'error-response-without-cors').length, 0, 'the 405 answers an unintended method: no intended traffic is blocked');
  },
  // Starlette (FastAPI's CORS layer): allow_methods lacks PUT, so the middleware answers the app's PUT preflight
  // itself, 400 with its own lists: the cause is PUT missing from its list, not a route without OPTIONS; and a regex
  // that trusts every subdomain.
  starlette: ({ causes }) => {
    const [hole, ...more] = holes(causes);
    assert.equal(more.length, 0, 'one origin check is one root cause');
    assert.match(hole.summary, /every subdomain of example\.com is trusted: https:\/\/staging\.example\.com/);
    assert.ok(hole.check.passed, hole.check.detail);
    const refused = causes.filter((c) => c.severity === 'intended-blocked');
    assert.deepEqual(refused.map((c) => c.kind), ['preflight-method-not-allowed'], refused.map((c) => c.summary).join(' | '));
    assert.match(refused[0].summary, /the CORS layer refuses the preflight itself \(OPTIONS \/api\/orders answered 400, with its own CORS headers\): PUT is not on its list \(Access-Control-Allow-Methods: GET, POST\)/);
    assert.doesNotMatch(refused[0].detail, /routing, auth/);
    assert.ok(refused[0].check.passed, refused[0].check.detail);
  },
  // Express `cors` (npm) with origin: [app, /notes\.test$/]: one check with two flaws, a suffix of the site with no dot
  // before it (evilnotes.test) and the scheme not pinned, not "a flaw none of the usual ones explains"; its fix given
  // as the cors options, saying where one methods list for every route is not the header fix (/notes needs fewer).
  express: ({ causes }) => {
    const [hole, ...more] = holes(causes);
    assert.equal(more.length, 0, 'one origin check is one root cause');
    assert.match(hole.summary, /loose pattern/);
    assert.match(hole.summary, /matches a suffix: https:\/\/evilnotes\.test ends with notes\.test, with no dot before it/);
    assert.match(hole.summary, /scheme is not pinned: http:\/\/app\.notes\.test/);
    assert.doesNotMatch(hole.summary, /none of the usual ones|reflect/);
    assert.match(hole.impact, /https:\/\/evilnotes\.test reads \/notes[^;]* POSTs \/notes and DELETEs \/notes\/1 with the user's session/);
    assert.ok(hole.check.passed, hole.check.detail);
    assert.equal(hole.serverFix?.kind, 'express-cors');
    assert.match(hole.serverFix.config, /app\.use\(cors\(\{ origin: \['https:\/\/app\.notes\.test'\]/);
    const methods = causes.find((c) => c.kind === 'preflight-allows-unintended' && /Allow-Methods/.test(c.summary));
    assert.ok(methods, 'the methods beyond the intent are a cause');
    assert.deepEqual(methods.serverFix?.routesNeedingLess?.find((r) => r.route === '/notes')?.methods, ['GET', 'POST'], JSON.stringify(methods.serverFix));
  },
  // flask-cors (Debian) with origins=[r"https://.*\.notes\.test"], matched with re.match: a prefix and every subdomain,
  // one cause; its printed flask-cors fix is pasted below (pasteFlaskFix).
  flask: ({ causes }) => {
    const [hole, ...more] = holes(causes);
    assert.equal(more.length, 0, 'one origin check is one root cause');
    assert.match(hole.summary, /matches a prefix: https:\/\/app\.notes\.test\.evil\.test/);
    assert.match(hole.summary, /every subdomain of notes\.test is trusted: https:\/\/staging\.notes\.test/);
    assert.match(hole.summary, /https:\/\/evil\.test, http:\/\/app\.notes\.test, null were refused/);
    assert.match(hole.impact, /PATCHes \/notes\/1 and DELETEs \/notes\/1 with the user's session/);
    assert.ok(hole.check.passed, hole.check.detail);
    assert.equal(hole.serverFix?.kind, 'flask-cors');
  },
};

// Would the flask-cors fix work if pasted? The CORS(...) lines printed for the hole replace the app's own, the same
// audit runs, and no hole and no Vary cause may be left (flask-cors sends Vary: Origin only for several origins). What
// may stay is the per-route methods cause, whose server-wide configuration says it is not the fix on /notes.
function pasteFlaskFix(result) {
  const [hole] = holes(result.causes);
  writeFileSync(join(here, 'flask-fixed', 'fix.py'), `${hole.serverFix.config}\n`);
  const fixed = run('flask-fixed');
  assert.equal(holes(fixed.causes).length, 0, `no hole left with the pasted fix:\n${fixed.printed}`);
  const left = fixed.causes.filter((c) => !(c.kind === 'preflight-allows-unintended' && c.serverFix?.routesNeedingLess?.length));
  assert.equal(left.length, 0, `only the per-route methods are left:\n${fixed.printed}`);
  return fixed.causes.length;
}

// Would the fix work if pasted? The vite.config the diagnosis printed for Vite is written as it stands, the same dev
// server runs with it, and the same audit must then pass with no root cause left.
function pasteViteFix(result) {
  const [hole] = holes(result.causes);
  writeFileSync(join(here, 'vite-fixed', 'vite.config.mjs'), `import { defineConfig } from 'vite';\n${hole.serverFix.config}\n`);
  const fixed = run('vite-fixed');
  assert.equal(fixed.status, 0, `the fixed server's audit passes:\n${fixed.printed}`);
  assert.equal(fixed.causes.length, 0, `no root cause left with the pasted fix:\n${fixed.printed}`);
}

let failed = 0;
// Names given on the command line run those servers only (node check-diagnosis.mjs hapi restify).
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
for (const [server, check] of Object.entries(checks).filter(([name]) => only.length === 0 || only.includes(name))) {
  const result = run(server);
  try {
    check(result);
    if (server === 'vite') pasteViteFix(result);
    const flaskLeft = server === 'flask' ? pasteFlaskFix(result) : undefined;
    const pasted = server === 'vite' ? '; its printed vite.config pasted: the audit passes, 0 causes' : flaskLeft !== undefined ? `; its printed CORS(...) pasted: no hole, ${flaskLeft} cause left (the per-route methods it names)` : '';
    console.log(`✓ ${server}: ${result.causes.length} root causes; ${holes(result.causes).length} origin-check behaviour${pasted}`);
  } catch (error) {
    failed++;
    console.log(`✗ ${server}: ${error.message}\n${result.printed}`);
  }
  if (evidence) {
    const file = join(here, '..', '..', 'evidence', 'diagnosis', `${server}.txt`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${result.printed.trimEnd()}\n`);
  }
}
process.exit(failed ? 1 : 0);
