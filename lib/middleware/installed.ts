import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { sweptRoot } from './package-override.ts';

const require = createRequire(import.meta.url);

/**
 * The version of an npm package as installed where this module resolves it, read from its package.json by walking the
 * module search paths (so a package whose `exports` hides `./package.json` is still found).
 */
export function installedVersion(name: string): string {
  const swept = sweptRoot(name);
  const dirs = swept === undefined ? (require.resolve.paths(name) ?? []) : [join(swept, 'node_modules')];
  for (const dir of dirs) {
    const manifest = join(dir, name, 'package.json');
    if (!existsSync(manifest)) continue;
    const parsed: unknown = JSON.parse(readFileSync(manifest, 'utf8'));
    if (typeof parsed === 'object' && parsed !== null && 'version' in parsed && typeof parsed.version === 'string') {
      return parsed.version;
    }
  }
  throw new Error(`package ${name} is not installed: it is an optional peer dependency of cors-matrix, needed only for the middleware suites that use it (npm install -D ${name})`);
}

/** `name@version` for each package, joined with ` + `, e.g. `cors@2.8.6 + express@5.3.0`. */
export function packagesLabel(...names: readonly string[]): string {
  return names.map((name) => `${name}@${installedVersion(name)}`).join(' + ');
}
