/**
 * Where the versions of a package come from, for `sweep` and `bisect`: the npm registry (`npm view <pkg> versions
 * --json`, installed as `<pkg>@<version>`), or a folder of packed tarballs (`npm pack`), each read for the name and
 * version its own package.json gives, installed from the file. Tests use the folder and never reach the registry.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export interface VersionSource {
  /** Says where the versions come from: `the npm registry`, `packed tarballs in …`. */
  readonly description: string;
  /** Every version of the package the source has, in no particular order; empty when it has none. */
  versions(packageName: string): Promise<readonly string[]>;
  /** What `npm install` takes for one of those versions. */
  installSpec(packageName: string, version: string): string;
}

export class VersionSourceError extends Error {}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function npmView(packageName: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(npm, ['view', packageName, 'versions', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? 1, stdout, stderr }));
  });
}

/** The npm registry the user's npm is configured for. */
export const registrySource: VersionSource = {
  description: 'the npm registry',
  async versions(packageName) {
    const { code, stdout, stderr } = await npmView(packageName);
    if (code !== 0) {
      if (/E404|404 Not Found/.test(stderr + stdout)) return [];
      throw new VersionSourceError(`npm view ${packageName} versions failed (exit ${code}): ${stderr.trim().split('\n').slice(-3).join(' ')}`);
    }
    const parsed: unknown = JSON.parse(stdout || '[]');
    // One version comes back as a string, several as a list.
    if (typeof parsed === 'string') return [parsed];
    if (Array.isArray(parsed) && parsed.every((v): v is string => typeof v === 'string')) return parsed;
    throw new VersionSourceError(`npm view ${packageName} versions --json: expected a list of versions`);
  },
  installSpec: (packageName, version) => `${packageName}@${version}`,
};

/** The `package/package.json` of a packed tarball (`npm pack` writes a gzipped ustar archive). */
export function packedManifest(tarball: string): { readonly name: string; readonly version: string } {
  const archive = gunzipSync(readFileSync(tarball));
  const text = (from: number, length: number) => archive.subarray(from, from + length).toString('utf8').replace(/\0.*$/s, '');
  for (let at = 0; at + 512 <= archive.length; ) {
    const name = text(at, 100);
    if (name === '') break;
    const prefix = text(at + 345, 155);
    const size = parseInt(text(at + 124, 12).trim() || '0', 8);
    const path = prefix ? `${prefix}/${name}` : name;
    if (/^[^/]+\/package\.json$/.test(path)) {
      const manifest: unknown = JSON.parse(archive.subarray(at + 512, at + 512 + size).toString('utf8'));
      if (typeof manifest === 'object' && manifest !== null && 'name' in manifest && 'version' in manifest && typeof manifest.name === 'string' && typeof manifest.version === 'string') {
        return { name: manifest.name, version: manifest.version };
      }
      break;
    }
    at += 512 + Math.ceil(size / 512) * 512;
  }
  throw new VersionSourceError(`${tarball}: no package.json with a name and a version in the archive (not made by npm pack?)`);
}

/** The packed tarballs (`*.tgz`) in `dir`, each the version its package.json names. */
export function packedSource(dir: string): VersionSource {
  const byPackage = new Map<string, Map<string, string>>();
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.tgz'));
  } catch {
    throw new VersionSourceError(`${dir}: no such folder`);
  }
  for (const file of names) {
    const { name, version } = packedManifest(join(dir, file));
    const versions = byPackage.get(name) ?? new Map<string, string>();
    versions.set(version, join(dir, file));
    byPackage.set(name, versions);
  }
  return {
    description: `packed tarballs in ${dir}`,
    versions: async (packageName) => [...(byPackage.get(packageName)?.keys() ?? [])],
    installSpec: (packageName, version) => byPackage.get(packageName)?.get(version) ?? `${packageName}@${version}`,
  };
}
