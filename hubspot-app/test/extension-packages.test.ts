import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REQUIRED_PACKAGES_AND_MIN_VERSIONS } from '@hubspot/cli/lib/projects/uieLinting.js';
import {
  collectFileDependencies,
  collectWorkspaceDirectories,
  findAndParsePackageJsonFiles,
  validateWorkspaceProtocolDependencies,
} from '@hubspot/project-parsing-lib/workspaces';
import { describe, expect, it } from 'vitest';

// What HubSpot's build can install for each extension: npm packages, plus the local packages `hs project upload`
// bundles, i.e. the members of npm workspaces declared inside src/ (checked with the CLI's own upload code).
const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = join(projectRoot, 'src');
const repoRoot = join(projectRoot, '..');
const EXTENSIONS = ['cards', 'settings'] as const;

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}
const readManifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;

describe('extension packages as HubSpot builds them', () => {
  it('the CLI bundles the shared package and the contract as workspaces, and every local dependency is one of them', async () => {
    const parsed = await findAndParsePackageJsonFiles(srcDir);
    const workspaces = await collectWorkspaceDirectories(parsed);
    expect(await collectFileDependencies(parsed)).toEqual([]);
    expect(() => validateWorkspaceProtocolDependencies(parsed, workspaces)).not.toThrow();
    const members = new Map(workspaces.map((w) => [readManifest(w.workspaceDir).name, relative(repoRoot, w.workspaceDir)]));
    expect(Object.fromEntries(members)).toMatchObject({
      '@closewise/hubspot-shared': 'hubspot-app/src/app/packages/shared',
      '@closewise/contract': 'server/contract',
    });
    // A @closewise/* name is not on npm: HubSpot's build can only get it from a bundled workspace.
    for (const dir of [...EXTENSIONS.map((e) => join(srcDir, 'app', e)), join(srcDir, 'app', 'packages', 'shared')]) {
      const local = Object.keys({ ...readManifest(dir).dependencies, ...readManifest(dir).devDependencies }).filter((n) =>
        n.startsWith('@closewise/'),
      );
      for (const name of local) expect(members.has(name), `${relative(srcDir, dir)} depends on ${name}`).toBe(true);
    }
  });

  it('cards and settings declare exactly the lint packages hs project lint requires, at the versions installed here', () => {
    const installed = readManifest(join(projectRoot, 'eslint-config')).dependencies ?? {};
    const required = Object.keys(REQUIRED_PACKAGES_AND_MIN_VERSIONS).sort();
    for (const extension of EXTENSIONS) {
      const declared = readManifest(join(srcDir, 'app', extension)).devDependencies ?? {};
      expect(Object.keys(declared).sort(), extension).toEqual(required);
      for (const name of required) expect(declared[name], `${extension} ${name}`).toBe(installed[name]);
    }
  });

  it('each extension pins the UI-extensions SDK and React the shared package is built against', () => {
    const shared = readManifest(join(srcDir, 'app', 'packages', 'shared')).dependencies ?? {};
    for (const extension of EXTENSIONS) {
      const deps = readManifest(join(srcDir, 'app', extension)).dependencies ?? {};
      for (const name of ['@hubspot/ui-extensions', 'react']) expect(deps[name], `${extension} ${name}`).toBe(shared[name]);
    }
  });
});
