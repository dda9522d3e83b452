// A version sweep (`cors-matrix sweep`) runs the same suites against other installed versions of one middleware
// package: the adapters load that package from the sweep's scratch install instead of this project's node_modules.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The package a sweep swaps, e.g. `@koa/cors`. */
export const SWEEP_PACKAGE_ENV = 'CORS_MATRIX_SWEEP_PACKAGE';
/** The folder whose node_modules holds the swept version (it has its own package.json). */
export const SWEEP_ROOT_ENV = 'CORS_MATRIX_SWEEP_ROOT';

/** The folder to resolve `packageName` from when a sweep swaps it, else undefined. */
export function sweptRoot(packageName: string): string | undefined {
  const root = process.env[SWEEP_ROOT_ENV];
  return root && process.env[SWEEP_PACKAGE_ENV] === packageName ? root : undefined;
}

/**
 * Loads `specifier` (the package itself or one of its subpaths, e.g. `hono/cors`) of `packageName`: from the sweep's
 * scratch install when a sweep swaps that package, otherwise with `load`, a plain import from this project.
 */
export async function loadMiddlewarePackage<T>(packageName: string, specifier: string, load: () => Promise<T>): Promise<T> {
  const root = sweptRoot(packageName);
  if (root === undefined) return load();
  const resolved = createRequire(join(root, 'package.json')).resolve(specifier);
  return (await import(pathToFileURL(resolved).href)) as T;
}
