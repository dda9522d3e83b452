// The report's only script: builds the grid from the embedded results, wires the filters and the details panel.
(async function () {
  'use strict';
  // Strings that recur are stored once (render-html.ts, internStrings): a value "\u001f<index in base 36>" stands for one.
  // The results travel gzip-compressed in base64 (render-html.ts); the browser's own DecompressionStream opens them.
  const base64 = document.getElementById('results-data').textContent.trim();
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const json = await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).text();
  const packed = JSON.parse(json);
  const table = packed.strings || [];
  const unpack = (value) => {
    if (typeof value === 'string') return value.charCodeAt(0) === 31 ? table[parseInt(value.slice(1), 36)] : value;
    if (Array.isArray(value)) return value.map(unpack);
    if (value && typeof value === 'object') {
      const out = {};
      for (const key of Object.keys(value)) out[key] = unpack(value[key]);
      return out;
    }
    return value;
  };
  const results = unpack(packed);
  // The page stores what every engine shares about a case once (render-html.ts, compactForPage): put records back together.
  if (results.compact) {
    const { cases, engineInfos } = results.compact;
    for (const record of results.records) {
      if (record.case) record.case = Object.assign({}, cases[record.case.caseId], record.case, { engine: engineInfos[record.case.engine] });
    }
  }
  const SYMBOL = { allowed: '✓', 'blocked-before-sending': '✕ unsent', 'blocked-at-preflight': '✕ pre', 'blocked-at-response': '✕ resp', 'harness-error': '⚠', missing: '–' };
  const WORDS = { allowed: 'allowed', 'blocked-before-sending': 'blocked before sending', 'blocked-at-preflight': 'blocked at preflight', 'blocked-at-response': 'blocked at response', 'harness-error': 'harness error', missing: 'not measured' };
  // Why the engine refused to send a request at all (outcome.refusal), and what the standard says of the URL.
  const refusalText = (r) =>
    `\nthe engine refused to send it as mixed content: https page ${r.pageOrigin}, http URL ${r.requestUrl}; nothing reached the server` +
    (r.standard === 'mixed-content' ? '\nthe standard blocks it too (the URL is not potentially trustworthy)' : "\nthe standard sends it (the URL is potentially trustworthy: loopback or localhost): the engine's own refusal") +
    (r.engineReason ? '\nthe engine said: ' + r.engineReason : '');
  const projects = results.engines.map((e) => e.project);
  const byCase = new Map();
  for (const record of results.records) {
    const id = record.case ? record.case.caseId : record.family + '/' + record.title;
    if (!byCase.has(id)) byCase.set(id, { id, title: record.title, family: record.family, cells: {} });
    byCase.get(id).cells[record.project] = record;
  }
  const el = (tag, props, ...children) => {
    const node = Object.assign(document.createElement(tag), props || {});
    for (const child of children) node.append(child);
    return node;
  };
  // The cookie and tracking settings an engine ran with (records from before profiles carry none).
  const profileMeanings = (results.compact && results.compact.profileMeanings) || {};
  const profileText = (engine) => (engine.profile ? `profile ${engine.profile}: ${profileMeanings[engine.profile] || ''}` : 'profile: not recorded');
  const verdictOf = (record) => (record && record.case ? record.case.outcome.verdict : record && record.status !== 'skipped' ? 'harness-error' : 'missing');

  // Header: per engine, version, build, counts.
  const engines = document.getElementById('engines');
  for (const e of results.engines) {
    const build = e.engine ? `${e.engine.name} ${e.engine.version} · ${e.engine.build} build · ${e.engine.protocol}` : 'no engine started';
    engines.append(
      el('div', { className: 'engine-card', title: e.engine ? e.engine.executable : '' },
        el('b', { textContent: e.project }), ' ',
        el('span', { className: 'counts', textContent: `${e.passed} passed, ${e.failed} failed, ${e.skipped} skipped` }),
        el('div', { className: 'build', textContent: build }),
        el('div', { className: 'build profile', textContent: e.engine ? profileText(e.engine) : '' }),
        el('div', { className: 'build', textContent: e.engine ? e.engine.executable : '' })),
    );
  }
  document.getElementById('run').textContent =
    `${byCase.size} cases × ${projects.length} engines · run ${results.status} in ${(results.durationMs / 1000).toFixed(1)} s · ${results.generatedAt}`;

  // The grid.
  const head = document.querySelector('#grid thead tr');
  for (const p of projects) head.append(el('th', { className: 'engine', textContent: p }));
  const body = document.querySelector('#grid tbody');
  const proves = new Map(results.families.map((f) => [f.family, f.proves]));
  const families = [...new Set([...byCase.values()].map((c) => c.family))];
  for (const family of families) {
    const header = el('tr', { className: 'family' }, el('th', { colSpan: projects.length + 1 }, family, el('span', { className: 'proves', textContent: proves.get(family) || '' })));
    header.dataset.family = family;
    body.append(header);
    for (const c of byCase.values()) {
      if (c.family !== family) continue;
      const row = el('tr', { className: 'case' }, el('td', { className: 'title', textContent: c.title }));
      row.dataset.caseId = c.id;
      row.dataset.family = family;
      const disagree = projects.some((p) => c.cells[p] && c.cells[p].disagreement);
      row.dataset.failed = String(projects.some((p) => c.cells[p] && c.cells[p].status !== 'passed' && c.cells[p].status !== 'skipped'));
      row.dataset.disagreement = String(disagree);
      for (const p of projects) {
        const record = c.cells[p];
        const verdict = verdictOf(record);
        const unexpected = !!record && record.status !== 'passed' && record.status !== 'skipped';
        const cell = el('td', { className: `cell v-${verdict}${unexpected ? ' unexpected' : ''}`, title: WORDS[verdict] });
        cell.append(SYMBOL[verdict]);
        if (unexpected) cell.append(el('span', { className: 'mark', textContent: ' !', title: 'differs from the expectation' }));
        if (disagree) cell.append(el('span', { className: 'mark', textContent: ' ≠', title: 'engines disagree on the verdict, the preflight, the cookies sent or the headers read' }));
        Object.assign(cell.dataset, { caseId: c.id, engine: p, verdict, unexpected: String(unexpected) });
        cell.addEventListener('click', () => show(cell, record));
        row.append(cell);
      }
      body.append(row);
    }
  }

  // Details of one cell.
  const details = document.getElementById('details');
  function section(title, text) {
    return [el('h3', { textContent: title }), el('pre', { textContent: text })];
  }
  function show(cell, record) {
    document.querySelectorAll('td.cell.selected').forEach((n) => n.classList.remove('selected'));
    cell.classList.add('selected');
    details.replaceChildren();
    details.dataset.caseId = cell.dataset.caseId;
    details.dataset.engine = cell.dataset.engine;
    if (!record) {
      details.append(el('h2', { textContent: 'Not measured in ' + cell.dataset.engine }));
      return;
    }
    details.append(el('h2', { textContent: `${record.project}: ${record.title}` }));
    const c = record.case;
    if (!c) {
      details.append(...section('Error', record.error || `test ${record.status} before measuring`));
      return;
    }
    const o = c.outcome;
    const req = c.request;
    const headers = Object.entries(req.headers).map(([n, v]) => `${n}: ${v}`).join('\n');
    details.append(
      ...section('Request', `${req.method} ${c.url}\nfrom ${c.requestOrigin} (${c.from}) to ${c.to}\ncredentials=${req.credentials} mode=${req.mode} redirect=${req.redirect}${headers ? '\n' + headers : ''}${req.body !== null ? '\nbody: ' + req.body : ''}`),
      ...section('Server', c.app
        ? `${c.app.middleware} ${c.app.options}${c.finding ? '\nfinding: ' + c.finding : ''}`
        : c.policy ? JSON.stringify(c.policy, null, 2) : '(unknown)'),
      ...section('Verdict', `${WORDS[o.verdict]}${o.harnessProblem ? ` [${o.harnessCode || 'harness'}] — ` + o.harnessProblem : ''}${o.block ? `\nserver answered ${o.block.status}; block confirmed by ${o.block.confirmedBy.join(' and ')}${o.block.errorResponse ? '\n' + o.block.errorResponse : ''}` : ''}${o.refusal ? refusalText(o.refusal) : ''}\nstatus: ${record.status}${c.mismatches.length ? '\n' + c.mismatches.map((m) => '✗ ' + m).join('\n') : ''}`),
      ...section('Expected', `${WORDS[c.expected.verdict]}${c.expected.preflight !== undefined ? `, preflight ${c.expected.preflight ? 'sent' : 'not sent'}` : ''}${c.expected.readable ? `, readable [${c.expected.readable.join(', ')}]` : ''}${c.expected.hidden ? `, hidden [${c.expected.hidden.join(', ')}]` : ''}${c.expected.cookies ? `, cookies [${c.expected.cookies.join(', ')}]` : ''}${c.expected.because ? '\nbecause ' + c.expected.because : ''}${c.why ? '\nwhy: ' + c.why : ''}`),
      ...section("Engine's error", o.engineError || '(the fetch did not fail)'),
      ...section("Engine's reason", c.engineReasons.length ? c.engineReasons.join('\n') : 'none given' + (c.engineReasonsUnavailable ? ': ' + c.engineReasonsUnavailable : '')),
      ...section('Server ledger (what arrived)', c.ledger.length
        ? c.ledger.map((e) => `${e.kind} ${e.method} ${e.target}\n  Origin: ${e.origin || '(none)'}${e.accessControlRequestMethod ? '\n  ACRM: ' + e.accessControlRequestMethod : ''}${e.accessControlRequestHeaders ? '\n  ACRH: ' + e.accessControlRequestHeaders : ''}\n  cookies: [${e.cookies.join(', ')}]  handler ${e.handlerRan ? 'ran' : 'did not run'}\n  answered ${e.status}${e.responseHeaders.map((h) => `\n  ${h.name}: ${h.value}`).join('')}`).join('\n\n')
        : '(nothing arrived)'),
      ...section('Headers the script could read', Object.keys(o.readableHeaders).length ? Object.entries(o.readableHeaders).map(([n, v]) => `${n}: ${v}`).join('\n') : '(none)'),
      ...section('Cookies the server received', o.cookiesReceived.join(', ') || '(none)'),
      ...section('Oracle (the Fetch Standard)', c.oracle
        ? `${WORDS[c.oracle.verdict]}, preflight ${c.oracle.preflightSent ? 'sent' : 'not sent'} · expected verdict from the ${c.verdictFrom}${c.oracleNote ? '\n' + c.oracleNote : ''}\n\n${c.oracle.reasons.map((r, i) => `${i + 1}. ${r}`).join('\n')}`
        : 'no prediction for this case' + (c.oracleNote ? '\n' + c.oracleNote : '')),
      ...section('Engine', `${c.engine.name} ${c.engine.version} (${c.engine.build} build via ${c.engine.protocol})\n${c.engine.executable}\n${profileText(c.engine)}`),
    );
  }

  // Diagnosis: one entry per root cause, with the fix the oracle checked and the findings entry that accepts it.
  const causes = results.diagnosis || [];
  const diagnosis = document.getElementById('diagnosis');
  diagnosis.hidden = causes.length === 0;
  // Open when something is not yet declared; a run whose causes are all known findings keeps the grid in view.
  diagnosis.open = causes.some((c) => !c.declared);
  document.getElementById('diagnosis-count').textContent =
    `${causes.length} root cause${causes.length === 1 ? '' : 's'}, ${causes.filter((c) => !c.declared).length} not declared as findings`;
  const diagnosisList = document.getElementById('diagnosis-list');
  for (const cause of causes) {
    const routes = cause.routes.length > 4 ? cause.routes.slice(0, 4).join(', ') + `, … (${cause.routes.length})` : cause.routes.join(', ');
    const item = el('li', { className: cause.declared ? 'cause declared' : 'cause' },
      el('b', { textContent: cause.summary }),
      el('div', { className: 'build', textContent: `${cause.severity} · ${cause.server} ${routes} · ${cause.engines.join(', ')} · ${cause.cases.length} case(s)${cause.declared ? ' · declared findings' : ''}` }));
    const hole = cause.hole ? causes.findIndex((c) => c.id === cause.hole) : -1;
    if (hole >= 0) item.append(el('div', { textContent: `through the hole of cause ${hole + 1}: the same fix closes both` }));
    if (cause.detail) item.append(el('div', { textContent: 'why: ' + cause.detail }));
    if (cause.fix) item.append(el('div', { className: 'fix', textContent: 'fix: ' + cause.fix }));
    if (cause.check) item.append(el('div', { className: cause.check.passed ? 'check passed' : 'check failed', textContent: (cause.check.passed ? '✓ ' : '✗ ') + cause.check.detail }));
    if (cause.findingsEntry && !cause.declared) {
      item.append(el('details', {}, el('summary', { textContent: 'findings entry to accept it' }), el('pre', { textContent: cause.findingsEntry })));
    }
    item.dataset.causeId = cause.id;
    diagnosisList.append(item);
  }

  // Findings: declared server behaviour other than what was meant, as each engine showed it.
  const findingsList = document.getElementById('findings-list');
  document.getElementById('findings-count').textContent = String(results.findings.length);
  for (const f of results.findings) {
    const engines = f.engines.map((e) => `${e.project}: ${WORDS[e.verdict]}${f.credentials === 'include' ? `, cookies [${e.cookies.join(', ')}]` : ''}`);
    const item = el('li', {}, el('b', { textContent: `${f.suite}: ` }), `${f.request} credentials=${f.credentials} from ${f.from} (${f.requestOrigin}) — ${f.finding}`, el('div', { className: 'build', textContent: engines.join(' · ') }));
    item.dataset.caseId = f.caseId;
    findingsList.append(item);
  }

  // Filters.
  const failuresOnly = document.getElementById('failures-only');
  const disagreementsOnly = document.getElementById('disagreements-only');
  const search = document.getElementById('search');
  function applyFilters() {
    const text = search.value.trim().toLowerCase();
    const visibleFamilies = new Set();
    for (const row of body.querySelectorAll('tr.case')) {
      const show = (!failuresOnly.checked || row.dataset.failed === 'true') &&
        (!disagreementsOnly.checked || row.dataset.disagreement === 'true') &&
        (!text || row.textContent.toLowerCase().includes(text) || row.dataset.family.includes(text) || row.dataset.caseId.includes(text));
      row.classList.toggle('hidden', !show);
      if (show) visibleFamilies.add(row.dataset.family);
    }
    for (const header of body.querySelectorAll('tr.family')) header.classList.toggle('hidden', !visibleFamilies.has(header.dataset.family));
    document.getElementById('shown').textContent = `${body.querySelectorAll('tr.case:not(.hidden)').length} of ${byCase.size} cases shown`;
  }
  for (const input of [failuresOnly, disagreementsOnly]) input.addEventListener('change', applyFilters);
  search.addEventListener('input', applyFilters);
  applyFilters();
  // When the page was ready, in ms since navigation began: what the report's scale test reports.
  document.body.dataset.readyAfterMs = String(Math.round(performance.now()));
})();
