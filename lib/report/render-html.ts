import { readFileSync } from 'node:fs';
import type { MatrixResults } from './results.ts';

const CSS = readFileSync(new URL('./assets/report.css', import.meta.url), 'utf8');
const SCRIPT = readFileSync(new URL('./assets/report.js', import.meta.url), 'utf8');

/** JSON inside a script element: `<` escaped so no value can close the element. */
function embeddedJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
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
    <span class="v-allowed">✓ allowed</span><span class="v-blocked-at-preflight">✕ pre blocked at preflight</span><span class="v-blocked-at-response">✕ resp blocked at response</span><span class="v-harness-error">⚠ harness error</span>
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
<script type="application/json" id="results-data">${embeddedJson(results)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
