import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { MatrixResults } from './results.ts';
import { PROFILE_MEANINGS } from '../model/profiles.ts';

const CSS = readFileSync(new URL('./assets/report.css', import.meta.url), 'utf8');
const SCRIPT = readFileSync(new URL('./assets/report.js', import.meta.url), 'utf8');

/**
 * The results inside the page: compacted, gzip-compressed and base64-encoded, so that a matrix of thousands of cases
 * stays a few megabytes, and no value from a server, a config or an engine can ever close the script element.
 */
function embeddedResults(results: MatrixResults): string {
  return gzipSync(JSON.stringify(compactForPage(results)), { level: 9 }).toString('base64');
}

// What a case is, as opposed to what one engine made of it: written once per case in the page, not once per engine.
const CASE_FIELDS = ['family', 'proves', 'title', 'from', 'to', 'server', 'request', 'policy', 'app', 'external', 'finding', 'why', 'verdictFrom', 'oracle'] as const;

/**
 * The results as the page carries them: fields shared by every engine's record of a case stored once under
 * `cases`, engine descriptions once under `engineInfos`; the page's script puts each record back together.
 */
export function compactForPage(results: MatrixResults): unknown {
  const cases: Record<string, Record<string, unknown>> = {};
  const engineInfos: unknown[] = [];
  const engineIndex = new Map<string, number>();
  const records = results.records.map((record) => {
    if (!record.case) return record;
    const { caseId } = record.case;
    const full = record.case as unknown as Record<string, unknown>;
    const shared = (cases[caseId] ??= Object.fromEntries(CASE_FIELDS.filter((f) => full[f] !== undefined).map((f) => [f, full[f]])));
    const own = Object.fromEntries(Object.entries(full).filter(([field, value]) => !(field in shared) || JSON.stringify(shared[field]) !== JSON.stringify(value)));
    const engineKey = JSON.stringify(record.case.engine);
    if (!engineIndex.has(engineKey)) engineIndex.set(engineKey, engineInfos.push(record.case.engine) - 1);
    return { ...record, case: { ...own, engine: engineIndex.get(engineKey) } };
  });
  return internStrings({ ...results, records, compact: { cases, engineInfos, profileMeanings: PROFILE_MEANINGS } });
}

// A string that stands for an entry of the page's string table: the marker, then the entry's index.
const STRING_REF = '\u001f';
const INTERN_MIN_LENGTH = 12;

function eachValue(value: unknown, visit: (text: string) => string): unknown {
  if (typeof value === 'string') return visit(value);
  if (Array.isArray(value)) return value.map((item) => eachValue(item, visit));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, eachValue(v, visit)]));
  return value;
}

/**
 * Oracle reasons, header lines and origins recur across thousands of records: every string that occurs more than
 * once is written once, in `strings`, and referred to by index.
 */
function internStrings(data: Record<string, unknown>): unknown {
  const counts = new Map<string, number>();
  eachValue(data, (text) => {
    if (text.length >= INTERN_MIN_LENGTH || text.startsWith(STRING_REF)) counts.set(text, (counts.get(text) ?? 0) + 1);
    return text;
  });
  const strings: string[] = [];
  const index = new Map<string, number>();
  const packed = eachValue(data, (text) => {
    const count = counts.get(text) ?? 0;
    if (count < 2 && !text.startsWith(STRING_REF)) return text;
    let at = index.get(text);
    if (at === undefined) index.set(text, (at = strings.push(text) - 1));
    return `${STRING_REF}${at.toString(36)}`;
  });
  return { ...(packed as Record<string, unknown>), strings };
}

/** One static file: opens from disk, loads nothing from anywhere. */
export function renderReport(results: MatrixResults): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>cors-matrix report</title>
<style>${CSS}</style>
</head>
<body>
<header>
  <h1>cors-matrix</h1>
  <div id="engines" class="engines"></div>
  <div id="run" class="run"></div>
  <div class="run legend">
    <span class="v-allowed">✓ allowed</span><span class="v-blocked-before-sending">✕ unsent blocked before sending</span><span class="v-blocked-at-preflight">✕ pre blocked at preflight</span><span class="v-blocked-at-response">✕ resp blocked at response</span><span class="v-harness-error">⚠ harness error</span>
    ! differs from the expectation · ≠ engines disagree
  </div>
</header>
<details id="diagnosis" class="diagnosis" hidden><summary><h2>Diagnosis: <span id="diagnosis-count"></span></h2></summary><ol id="diagnosis-list"></ol></details>
<div class="filters">
  <label><input type="checkbox" id="failures-only"> failures only</label>
  <label><input type="checkbox" id="disagreements-only"> engine disagreements only</label>
  <input type="search" id="search" placeholder="search cases, families, headers…">
  <span id="shown"></span>
</div>
<details id="findings" class="filters"><summary>Findings about the servers under test: <span id="findings-count"></span></summary><ul id="findings-list"></ul></details>
<main>
  <table id="grid"><thead><tr><th>case</th></tr></thead><tbody></tbody></table>
  <aside id="details"><h2>Click a cell</h2><p>It shows the request, what the server sent and saw, what the script could read, and the engine's own reason.</p></aside>
</main>
<script type="application/octet-stream" id="results-data">${embeddedResults(results)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
