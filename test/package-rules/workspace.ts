import { readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** One package of the monorepo: the root package or one of its npm workspaces. */
export interface WorkspacePackage {
  name: string;
  /** Directory relative to the repository root, '' for the root package, always with '/' separators. */
  dir: string;
  /** Everything its package.json lets it import by name. */
  declared: Set<string>;
  /**
   * Module names its own toolchain provides rather than npm (e.g. `lwc`, `c/*` on the Salesforce platform),
   * from `"closewise": { "providedModules": [...] }` in its package.json; a trailing `*` matches any suffix.
   */
  providedModules: string[];
}

export interface Workspace {
  root: string;
  packages: WorkspacePackage[];
  /** The root package's devDependencies: tooling every package shares (vitest, @types/node, ...). */
  sharedTooling: Set<string>;
}

interface PackageJson {
  name?: string;
  workspaces?: string[];
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  closewise?: { providedModules?: string[] };
}

function readPackageJson(dir: string): PackageJson {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
}

function toPackage(json: PackageJson, dir: string, fallbackName: string): WorkspacePackage {
  const declared = new Set<string>();
  for (const group of [json.dependencies, json.devDependencies, json.peerDependencies, json.optionalDependencies]) {
    for (const name of Object.keys(group ?? {})) declared.add(name);
  }
  return { name: json.name ?? fallbackName, dir, declared, providedModules: json.closewise?.providedModules ?? [] };
}

export function loadWorkspace(root: string): Workspace {
  const rootJson = readPackageJson(root);
  const packages = [toPackage(rootJson, '', 'root')];
  for (const entry of rootJson.workspaces ?? []) {
    // Plain directories only: a glob would make "which package owns this file" depend on the file system.
    if (/[*?{[]/.test(entry)) throw new Error(`workspace '${entry}' is a glob; list workspace directories explicitly`);
    const dir = entry.replace(/\/+$/, '');
    packages.push(toPackage(readPackageJson(join(root, dir)), dir, dir));
  }
  return { root, packages, sharedTooling: new Set(Object.keys(rootJson.devDependencies ?? {})) };
}

/** The package that owns a repository-relative path: the one with the deepest directory containing it. */
export function ownerOf(workspace: Workspace, path: string): WorkspacePackage {
  let best = workspace.packages[0]!;
  for (const candidate of workspace.packages) {
    if (candidate.dir === '') continue;
    if ((path === candidate.dir || path.startsWith(`${candidate.dir}/`)) && candidate.dir.length > best.dir.length) best = candidate;
  }
  return best;
}

export function repoRelative(root: string, absolute: string): string {
  return relative(root, absolute).split(sep).join('/');
}
