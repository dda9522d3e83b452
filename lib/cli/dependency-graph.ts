/**
 * The project's installed dependency graph, read from disk the way Node resolves packages: from the project's
 * package.json, each dependency found in the nearest `node_modules` up from its dependent, then its own dependencies,
 * and so on. A sweep and a bisect ask it whether the project depends on a package (directly or through others), by
 * which chain, and which installed packages hold it as a peer.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface InstalledPackage {
  readonly name: string;
  readonly version: string;
  /** The package's folder (its real path). */
  readonly dir: string;
  /** Names of its dependencies of every kind (dependencies, optional, peer; devDependencies for the project only). */
  readonly dependencies: readonly string[];
  /** Its peer dependencies' ranges, by name. */
  readonly peers: Readonly<Record<string, string>>;
}

export interface DependencyGraph {
  readonly root: InstalledPackage;
  /** Every installed package reachable from the project, by folder. */
  readonly packages: ReadonlyMap<string, InstalledPackage>;
  /** For each package folder, the folders of the packages it depends on (as resolved). */
  readonly edges: ReadonlyMap<string, readonly string[]>;
}

interface Manifest {
  readonly name?: unknown;
  readonly version?: unknown;
  readonly dependencies?: unknown;
  readonly devDependencies?: unknown;
  readonly optionalDependencies?: unknown;
  readonly peerDependencies?: unknown;
}

const namesOf = (field: unknown): string[] => (typeof field === 'object' && field !== null ? Object.keys(field) : []);
const rangesOf = (field: unknown): Record<string, string> =>
  typeof field === 'object' && field !== null ? Object.fromEntries(Object.entries(field).filter((e): e is [string, string] => typeof e[1] === 'string')) : {};

function readManifest(dir: string): Manifest | undefined {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

function packageAt(dir: string, manifest: Manifest, isProject: boolean): InstalledPackage {
  const dependencies = new Set([
    ...namesOf(manifest.dependencies),
    ...namesOf(manifest.optionalDependencies),
    ...namesOf(manifest.peerDependencies),
    ...(isProject ? namesOf(manifest.devDependencies) : []),
  ]);
  return {
    name: typeof manifest.name === 'string' ? manifest.name : '(project)',
    version: typeof manifest.version === 'string' ? manifest.version : '',
    dir,
    dependencies: [...dependencies].sort(),
    peers: rangesOf(manifest.peerDependencies),
  };
}

/** The folder Node would load `name` from for code in `from`: the nearest node_modules/<name> up the tree. */
function resolvePackageDir(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(dir) === dir) return undefined;
  }
}

/** Reads the graph of what is installed for the project at `projectDir` (its package.json and node_modules). */
export function readDependencyGraph(projectDir: string): DependencyGraph {
  const rootDir = realpathSync(projectDir);
  const manifest = readManifest(rootDir);
  if (!manifest) throw new Error(`${join(projectDir, 'package.json')}: no such file; run cors-matrix sweep or bisect in your project's folder`);
  const root = packageAt(rootDir, manifest, true);
  const packages = new Map<string, InstalledPackage>([[rootDir, root]]);
  const edges = new Map<string, string[]>();
  const queue = [root];
  for (let next = queue.shift(); next; next = queue.shift()) {
    const targets: string[] = [];
    for (const name of next.dependencies) {
      const dir = resolvePackageDir(name, next.dir);
      if (dir === undefined) continue; // an optional or peer dependency that is not installed
      targets.push(dir);
      if (packages.has(dir)) continue;
      const found = readManifest(dir);
      if (!found) continue;
      const installed = packageAt(dir, found, false);
      packages.set(dir, installed);
      queue.push(installed);
    }
    edges.set(next.dir, targets);
  }
  return { root, packages, edges };
}

/**
 * The shortest chain of package names from `from` (default: the project) to each installed copy of `name`, e.g.
 * `[['express', 'router', 'path-to-regexp']]`; empty when nothing reachable from there holds it.
 */
export function chainsTo(graph: DependencyGraph, name: string, from: readonly string[] = [graph.root.dir]): string[][] {
  const chains: string[][] = [];
  const seen = new Set<string>(from);
  const queue: { dir: string; chain: string[] }[] = from.map((dir) => ({ dir, chain: dir === graph.root.dir ? [] : [graph.packages.get(dir)?.name ?? dir] }));
  for (let next = queue.shift(); next; next = queue.shift()) {
    const here = graph.packages.get(next.dir);
    if (here && here.name === name && next.dir !== graph.root.dir) {
      chains.push(next.chain);
      continue;
    }
    for (const target of graph.edges.get(next.dir) ?? []) {
      if (seen.has(target)) continue;
      seen.add(target);
      queue.push({ dir: target, chain: [...next.chain, graph.packages.get(target)?.name ?? target] });
    }
  }
  return chains;
}

/** The installed folders of the packages named, as the project resolves them (those not installed left out). */
export function dirsOf(graph: DependencyGraph, names: readonly string[]): string[] {
  return names.flatMap((name) => {
    const dir = resolvePackageDir(name, graph.root.dir);
    return dir === undefined ? [] : [dir];
  });
}

/** Installed packages that declare `name` as a peer dependency, with the range each accepts. */
export function peersOf(graph: DependencyGraph, name: string): { readonly dependent: InstalledPackage; readonly range: string }[] {
  return [...graph.packages.values()].filter((p) => p.dir !== graph.root.dir && p.peers[name] !== undefined).map((dependent) => ({ dependent, range: dependent.peers[name] ?? '*' }));
}
