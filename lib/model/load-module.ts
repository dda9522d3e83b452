/**
 * Loads a user's file — a cors-matrix.config.ts, a scenario family file, a middleware suite file — and says what it
 * exports, the same whether the file was compiled as an ES module or as CommonJS.
 *
 * In a project without `"type": "module"` (what `npm init -y` writes), and for a file outside any package, tsx and
 * Playwright compile `export default X` to CommonJS: `exports.default = X` plus the `__esModule` marker. Node's
 * `import()` of a CommonJS module answers `{ default: module.exports }`, so the default export arrives as
 * `namespace.default.default`, and read naively a valid config looks like `{ default: … }`. Every place that imports
 * a user's file goes through here.
 */
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';

/** Imports a module by file URL: tsx's loader from the command line, the host's own `import()` inside Playwright. */
export type ModuleImporter = (url: string) => Promise<unknown>;

/** What one file exports, whichever module system compiled it. */
export interface UserModule {
  /** `export default X` or `module.exports = X`; absent when the file has none. */
  readonly default?: { readonly value: unknown };
  /** Named exports (`export const x`, `exports.x = …`), `default` not among them. */
  readonly named: Readonly<Record<string, unknown>>;
  /**
   * The file is CommonJS that only sets `exports.x = …`: Node reports that object as its default export too, so
   * whoever reads the file should rather take the named exports when the default is nothing it knows.
   */
  readonly defaultIsExportsObject: boolean;
}

/** tsx's loader, which compiles TypeScript wherever the file is (Node does not, inside or outside node_modules). */
export const tsxImporter: ModuleImporter = (url) => tsImport(url, import.meta.url);

const isObjectLike = (value: unknown): value is Record<string, unknown> => (typeof value === 'object' && value !== null) || typeof value === 'function';

/** Keys that are not exports: `default`, the transpilers' marker, and the name Node 22+ gives `module.exports`. */
const NOT_NAMED = new Set(['default', '__esModule', 'module.exports']);

function namedOf(source: Record<string, unknown>): Record<string, unknown> {
  const named: Record<string, unknown> = {};
  for (const key of Object.keys(source)) if (!NOT_NAMED.has(key)) named[key] = source[key];
  return named;
}

/** The plain object `value` is exactly the named exports (same keys, same values): CommonJS `exports.x = …`. */
function isExportsObject(value: unknown, named: Readonly<Record<string, unknown>>): boolean {
  if (!isObjectLike(value) || Array.isArray(value)) return false;
  const keys = Object.keys(named);
  const own = Object.keys(value).filter((key) => !NOT_NAMED.has(key));
  return keys.length > 0 && own.length === keys.length && keys.every((key) => Object.hasOwn(value, key) && value[key] === named[key]);
}

/**
 * What a module namespace (the answer of `import()`) exports. An ES module's namespace is that already. CommonJS
 * compiled from ESM (`__esModule` on `module.exports`, as tsx, esbuild, tsc, Babel and Playwright write it) has
 * `module.exports.default` as its default export and the other keys as named exports; plain CommonJS
 * (`module.exports = X`) has X as its default export.
 */
export function moduleExports(namespace: unknown): UserModule {
  if (!isObjectLike(namespace)) return { default: { value: namespace }, named: {}, defaultIsExportsObject: false };
  const hasDefault = 'default' in namespace;
  const outer = hasDefault ? namespace['default'] : undefined;
  if (isObjectLike(outer) && outer['__esModule'] === true) {
    const named = namedOf(outer);
    return { ...('default' in outer && { default: { value: outer['default'] } }), named, defaultIsExportsObject: false };
  }
  const named = namedOf(namespace);
  return { ...(hasDefault && { default: { value: outer } }), named, defaultIsExportsObject: hasDefault && isExportsObject(outer, named) };
}

/** Imports the file at `path` (absolute) with `importModule` and says what it exports; the importer's errors pass through. */
export async function loadUserModule(path: string, importModule: ModuleImporter = tsxImporter): Promise<UserModule> {
  return moduleExports(await importModule(pathToFileURL(path).href));
}

/** The default export of an already imported namespace, as `import x from` would have meant it: for generated code. */
export function defaultExportOf(namespace: unknown): unknown {
  return moduleExports(namespace).default?.value;
}
