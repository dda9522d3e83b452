/**
 * `cors-matrix check [FILE…]`: validates a cors-matrix.config.ts, scenario family files, middleware suite files and
 * explain inputs without starting a server or an engine. Every problem names the file, the field and the rule.
 */
import { spawnSync } from 'node:child_process';
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, extname, join, relative, resolve } from 'node:path';
import { OracleInputError, predict } from '../oracle/index.ts';
import { loadCases, ScenarioError } from '../model/load-cases.ts';
import { loadMiddlewareCases } from '../model/load-middleware-cases.ts';
import { loadUserModule, tsxImporter, type ModuleImporter, type UserModule } from '../model/load-module.ts';
import type { AnyMiddlewareSuite } from '../model/middleware-suite.ts';
import { validateConfig } from '../model/own-server-config.ts';
import type { ScenarioFamily } from '../model/scenario.ts';
import { describeIssues as describeExplainIssues, explainFileSchema, toPredictInput } from './input.ts';

export type { ModuleImporter } from '../model/load-module.ts';

export interface CheckIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  readonly importModule?: ModuleImporter;
}

export const defaultCheckIO: CheckIO = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
};

const MODULE_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs']);
const NAME_A_FILE = 'name a .ts, .mts, .cts, .js, .mjs, .cjs or .json file';
const CONFIG_NAME = /^cors-matrix\.config\.[cm]?[jt]s$/;
const WHAT_IS_CHECKED =
  'must be a scenario family { family, proves, cases }, a list of them, a list of middleware suites { middleware, label, optionsText, intent }, a cors-matrix config { target, routes, intent }, or an explain input { request, response }';

/** What one file held: a line for the summary, or problems each naming field and rule. */
interface FileVerdict {
  readonly ok: string[];
  readonly problems: string[];
}

type Kind = 'config' | 'family' | 'families' | 'suites' | 'explain';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** What a value is meant to be, by its shape; `undefined` when it looks like none of them. */
function kindOf(value: unknown): Kind | undefined {
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every((v) => isObject(v) && 'middleware' in v)) return 'suites';
    if (value.length > 0 && value.every((v) => isObject(v) && 'cases' in v)) return 'families';
    return undefined;
  }
  if (!isObject(value)) return undefined;
  if ('cases' in value || ('family' in value && 'proves' in value)) return 'family';
  if ('middleware' in value) return 'suites';
  if ('request' in value || 'response' in value || 'preflight' in value) return 'explain';
  if ('target' in value || ('routes' in value && 'intent' in value)) return 'config';
  return undefined;
}

/** An error's message without its stack or the loader's frames: the first lines a person needs. */
function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text
    .split('\n')
    .filter((line) => !/^\s+at /.test(line))
    .join('\n')
    .trim();
}

function problemsOf(error: unknown): readonly string[] | undefined {
  if (error instanceof ScenarioError) return error.problems;
  // Loaded through tsx, the class may be a second copy of ScenarioError: go by its shape.
  if (error instanceof Error && error.name === 'ScenarioError' && Array.isArray((error as { problems?: unknown }).problems)) {
    return (error as unknown as { problems: string[] }).problems;
  }
  return undefined;
}

function checkExplain(file: string, value: unknown): FileVerdict {
  const parsed = explainFileSchema.safeParse(value);
  if (!parsed.success) return { ok: [], problems: describeExplainIssues(parsed.error.issues).map((p) => `${file}: field ${p}`) };
  try {
    const prediction = predict(toPredictInput(parsed.data));
    return { ok: [`explain input (the oracle predicts ${prediction.verdict})`], problems: [] };
  } catch (error) {
    if (error instanceof OracleInputError) return { ok: [], problems: [`${file}: ${error.message}`] };
    throw error;
  }
}

/** Validates one value as what it is; `label` says where it came from in the file (the default export, or a named one). */
function checkValue(file: string, label: string, value: unknown, kind: Kind): FileVerdict {
  const prefix = (problems: readonly string[]) => problems.map((p) => (p.startsWith(`${file}:`) ? p : `${file}: ${p}`));
  try {
    switch (kind) {
      case 'config':
        if (!isObject(value)) return { ok: [], problems: [`${file}: field default export: must be a cors-matrix config object { target, routes, intent } (see defineConfig)`] };
        validateConfig(value, file);
        return { ok: [`${label}: cors-matrix config`], problems: [] };
      case 'family':
      case 'families': {
        const families = (kind === 'family' ? [value] : value) as ScenarioFamily[];
        const cases = loadCases(families);
        return { ok: [`${label}: ${families.length} scenario famil${families.length === 1 ? 'y' : 'ies'}, ${cases.length} cases`], problems: [] };
      }
      case 'suites': {
        const suites = (Array.isArray(value) ? value : [value]) as AnyMiddlewareSuite[];
        const cases = loadMiddlewareCases(suites);
        return { ok: [`${label}: ${suites.length} middleware suite${suites.length === 1 ? '' : 's'}, ${cases.length} cases`], problems: [] };
      }
      case 'explain':
        return checkExplain(file, value);
    }
  } catch (error) {
    const problems = problemsOf(error);
    // The shared field describer speaks of scenario rows; a config is not one.
    if (problems) return { ok: [], problems: prefix(kind === 'config' ? problems.map((p) => p.replace('field (the row itself)', 'field (the config)')) : problems) };
    throw error;
  }
}

/** Checks what a module exports (loaded through lib/model/load-module.ts: ESM and CommonJS read alike). */
function checkModule(file: string, exports: UserModule): FileVerdict {
  const verdict: FileVerdict = { ok: [], problems: [] };
  const add = (part: FileVerdict) => {
    verdict.ok.push(...part.ok);
    verdict.problems.push(...part.problems);
  };
  if (exports.default !== undefined) {
    const value = exports.default.value;
    const kind = CONFIG_NAME.test(basename(file)) ? 'config' : kindOf(value);
    if (kind !== undefined) return checkValue(file, 'default export', value, kind);
    // CommonJS that only sets `exports.x = …` has that object as its default too: then its named exports are meant.
    if (!exports.defaultIsExportsObject) return { ok: [], problems: [`${file}: field default export: ${WHAT_IS_CHECKED}`] };
  }
  // No default export (an index such as scenarios/index.ts): check every named export that has a known shape.
  for (const [name, value] of Object.entries(exports.named)) {
    const kind = kindOf(value);
    if (kind !== undefined) add(checkValue(file, `export ${name}`, value, kind));
  }
  if (verdict.ok.length === 0 && verdict.problems.length === 0) verdict.problems.push(`${file}: field default export: is missing; the file ${WHAT_IS_CHECKED.replace(/^must be/, 'must export')}`);
  return verdict;
}

/** Node's module loader says what is wrong with the syntax but not where; `node --check` says where (JavaScript only). */
function syntaxErrorPlace(path: string, file: string): string {
  const run = spawnSync(process.execPath, ['--check', path], { encoding: 'utf8', timeout: 10_000 });
  const line = new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+)$`, 'm').exec(run.stderr ?? '')?.[1];
  return line === undefined ? '' : ` (at ${file}:${line})`;
}

async function checkFile(file: string, cwd: string, importModule: ModuleImporter): Promise<FileVerdict> {
  const path = resolve(cwd, file);
  let isFile: boolean;
  try {
    isFile = (await stat(path)).isFile();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: [], problems: [`${file}: cannot read the file: ${code === 'ENOENT' ? 'no such file' : messageOf(error)}`] };
  }
  if (!isFile) return { ok: [], problems: [`${file}: is not a file: ${NAME_A_FILE}`] };
  const extension = extname(path);
  if (extension === '.json') {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      return { ok: [], problems: [`${file}: cannot read the file: ${messageOf(error)}`] };
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return { ok: [], problems: [`${file}: not valid JSON: ${messageOf(error)}`] };
    }
    const kind = kindOf(value);
    if (kind === undefined) return { ok: [], problems: [`${file}: field (the file): ${WHAT_IS_CHECKED}`] };
    return checkValue(file, 'JSON', value, kind);
  }
  if (!MODULE_EXTENSIONS.has(extension)) return { ok: [], problems: [`${file}: cannot check a "${extension || 'extensionless'}" file: ${NAME_A_FILE}`] };
  let exports: UserModule;
  try {
    exports = await loadUserModule(path, importModule);
  } catch (error) {
    // Scenario indexes validate when imported: their ScenarioError is the answer, not a load failure.
    const problems = problemsOf(error);
    if (problems) return { ok: [], problems: problems.map((p) => `${file}: ${p}`) };
    return { ok: [], problems: [`${file}: cannot load the module: ${messageOf(error)}${error instanceof SyntaxError ? syntaxErrorPlace(path, file) : ''}`] };
  }
  return checkModule(file, exports);
}

/** With no FILE: ./cors-matrix.config.ts and ./scenarios/*.ts, whichever exist. */
async function defaultFiles(cwd: string): Promise<string[]> {
  const files: string[] = [];
  for (const name of ['cors-matrix.config.ts', 'cors-matrix.config.mts', 'cors-matrix.config.cts', 'cors-matrix.config.js', 'cors-matrix.config.mjs', 'cors-matrix.config.cjs']) {
    if (await stat(join(cwd, name)).then((s) => s.isFile(), () => false)) files.push(name);
  }
  const scenarios = await readdir(join(cwd, 'scenarios')).catch(() => [] as string[]);
  files.push(...scenarios.filter((n) => n.endsWith('.ts') && n !== 'index.ts').sort().map((n) => relative(cwd, join(cwd, 'scenarios', n))));
  return files;
}

export { EXIT_OK as EXIT_CHECK_OK, EXIT_USAGE_OR_INPUT as EXIT_CHECK_INVALID } from './exit-codes.ts';
import { EXIT_OK as EXIT_CHECK_OK, EXIT_USAGE_OR_INPUT as EXIT_CHECK_INVALID } from './exit-codes.ts';

export async function check(files: readonly string[], io: CheckIO = defaultCheckIO): Promise<number> {
  const targets = files.length > 0 ? files : await defaultFiles(io.cwd);
  if (targets.length === 0) {
    io.stderr('cors-matrix check: nothing to check: name a FILE, or run it where cors-matrix.config.ts or scenarios/ is\n');
    return EXIT_CHECK_INVALID;
  }
  const problems: string[] = [];
  for (const file of targets) {
    const verdict = await checkFile(file, io.cwd, io.importModule ?? tsxImporter);
    problems.push(...verdict.problems);
    if (verdict.problems.length === 0) io.stdout(`${file}: ok (${verdict.ok.join('; ')})\n`);
  }
  if (problems.length === 0) return EXIT_CHECK_OK;
  io.stderr(`cors-matrix check: ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  - ${p}\n`).join('')}`);
  return EXIT_CHECK_INVALID;
}

/**
 * For a Playwright config: checks the inputs before any test file loads or any engine starts, and ends the run
 * with exit code 2 and the problems (no stack) if one is bad. Only the main process checks; workers trust it.
 */
export async function checkBeforeRun(files: readonly string[], importModule: ModuleImporter, cwd = process.cwd()): Promise<void> {
  if (process.env['TEST_WORKER_INDEX'] !== undefined) return;
  const code = await check(files, { stdout: () => undefined, stderr: (text) => process.stderr.write(text), cwd, importModule });
  if (code !== EXIT_CHECK_OK) process.exit(code);
}
