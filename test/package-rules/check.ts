import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, posix } from 'node:path';
import { extractSpecifiers, type Specifier } from './specifiers.ts';
import { loadWorkspace, ownerOf, type Workspace, type WorkspacePackage } from './workspace.ts';

export interface Violation {
  file: string;
  line: number;
  rule: 'relative-import-crosses-package' | 'undeclared-package' | 'package-cycle' | 'production-imports-test-support' | 'scaffolding-name';
  message: string;
}

const SOURCE_FILE = /\.(?:ts|tsx|mts|cts|js|mjs|cjs|jsx)$/;
const SKIPPED_DIRS = new Set(['node_modules', 'coverage', 'dist']);
const BUILTINS = new Set(builtinModules);
/** Folder names test scaffolding used to live under; `test-support/` is the one name now. */
const OLD_SCAFFOLDING_DIRS = new Set(['testing', 'test-utils', 'test-helpers']);

function sourceFiles(root: string, dir = ''): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    if (entry.name.startsWith('.') || SKIPPED_DIRS.has(entry.name)) continue;
    const path = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...sourceFiles(root, path));
    else if (SOURCE_FILE.test(entry.name)) files.push(path);
  }
  return files;
}

function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function isProvided(pkg: WorkspacePackage, specifier: string): boolean {
  return pkg.providedModules.some((pattern) =>
    pattern.endsWith('*') ? specifier.startsWith(pattern.slice(0, -1)) : specifier === pattern,
  );
}

/**
 * Tests, benches, scaffolding and the root package's own files (repository tooling such as this checker or
 * models/build-priors.ts) are not production; everything else ships, and must not lean on test scaffolding.
 */
function isProductionFile(path: string, owner: WorkspacePackage): boolean {
  if (owner.dir === '') return false;
  const segments = path.split('/');
  const name = segments.at(-1)!;
  if (/\.(?:test|bench)\.[cm]?[jt]sx?$/.test(name)) return false;
  return !segments.slice(0, -1).some((segment) => ['test', 'test-support', 'bench', '__tests__'].includes(segment));
}

function mentionsTestSupport(path: string): boolean {
  return path.split('/').includes('test-support');
}

function findCycles(edges: Map<string, Set<string>>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'visiting');
    stack.push(node);
    for (const next of [...(edges.get(node) ?? [])].sort()) {
      if (state.get(next) === 'visiting') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...edges.keys()].sort()) if (!state.has(node)) visit(node);
  return cycles;
}

/** Checks every source file of the repository at `root` against the package rules (see README in this folder). */
export function checkPackageImports(root: string, workspace: Workspace = loadWorkspace(root)): Violation[] {
  const violations: Violation[] = [];
  const names = new Set(workspace.packages.map((p) => p.name));
  const edges = new Map<string, Set<string>>();
  const addEdge = (from: string, to: string) => {
    if (from !== to) edges.set(from, (edges.get(from) ?? new Set()).add(to));
  };
  for (const pkg of workspace.packages) for (const dep of pkg.declared) if (names.has(dep)) addEdge(pkg.name, dep);

  for (const file of sourceFiles(root)) {
    const owner = ownerOf(workspace, file);
    const dirs = file.split('/').slice(0, -1);
    const oldDir = dirs.find((d) => OLD_SCAFFOLDING_DIRS.has(d));
    if (oldDir || file.endsWith('/test-support.ts') || /(?:^|\/)(?:test|e2e)\/support\//.test(file)) {
      violations.push({ file, line: 1, rule: 'scaffolding-name', message: 'test scaffolding lives in a folder named test-support/' });
    }
    for (const spec of extractSpecifiers(readFileSync(join(root, file), 'utf8'))) {
      const report = (rule: Violation['rule'], message: string) => violations.push({ file, line: spec.line, rule, message });
      if (spec.value.startsWith('.')) {
        checkRelative(workspace, file, owner, spec, report);
      } else if (spec.kind !== 'url') {
        checkBare(workspace, owner, spec.value, report, (dep) => addEdge(owner.name, dep));
      }
      if (isProductionFile(file, owner) && mentionsTestSupport(spec.value)) {
        report('production-imports-test-support', `production code imports test scaffolding '${spec.value}'`);
      }
    }
  }
  for (const cycle of findCycles(edges)) {
    violations.push({
      file: 'package.json',
      line: 1,
      rule: 'package-cycle',
      message: `packages depend on each other in a cycle: ${cycle.join(' -> ')}`,
    });
  }
  return violations;
}

type Report = (rule: Violation['rule'], message: string) => void;

function checkRelative(workspace: Workspace, file: string, owner: WorkspacePackage, spec: Specifier, report: Report): void {
  const target = posix.normalize(posix.join(dirname(file), spec.value));
  // A URL may point at data (models, datasets) shared by the repository; only code has to stay in its package.
  if (spec.kind === 'url' && !SOURCE_FILE.test(target)) return;
  const targetOwner = ownerOf(workspace, target);
  if (targetOwner !== owner) {
    report('relative-import-crosses-package', `'${spec.value}' reaches into ${targetOwner.name}; import it by name`);
  }
}

function checkBare(workspace: Workspace, owner: WorkspacePackage, specifier: string, report: Report, used: (dep: string) => void): void {
  if (specifier.startsWith('node:') || BUILTINS.has(packageNameOf(specifier)) || isProvided(owner, specifier)) return;
  const name = packageNameOf(specifier);
  if (name === owner.name) return;
  if (workspace.packages.some((p) => p.name === name)) used(name);
  if (!owner.declared.has(name) && !workspace.sharedTooling.has(name)) {
    report('undeclared-package', `imports '${name}', which ${owner.name}'s package.json does not declare`);
  }
}
