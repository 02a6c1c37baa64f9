import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkPackageImports } from './check.ts';
import { extractSpecifiers } from './specifiers.ts';

let root = '';

function write(path: string, content: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}

function writePackage(dir: string, name: string, dependencies: Record<string, string> = {}): void {
  write(`${dir ? `${dir}/` : ''}package.json`, JSON.stringify({ name, dependencies }));
}

/** A clean two-package repository: app depends on lib and imports it by name. */
function cleanRepo(): void {
  root = mkdtempSync(join(tmpdir(), 'package-imports-'));
  write('package.json', JSON.stringify({ name: 'repo', workspaces: ['app', 'lib'], devDependencies: { vitest: '*' } }));
  writePackage('app', '@x/app', { '@x/lib': '*', zod: '*' });
  writePackage('lib', '@x/lib');
  write(
    'app/src/main.ts',
    `import { z } from 'zod';\nimport { lib } from '@x/lib';\nimport { join } from 'node:path';\nimport { helper } from './helper.ts';\n`,
  );
  write('app/src/helper.ts', `export const helper = 1;\n`);
  write('app/src/main.test.ts', `import { it } from 'vitest';\nimport { fake } from './test-support/fake.ts';\n`);
  write('app/src/test-support/fake.ts', `export const fake = 1;\n`);
  write('lib/index.ts', `export const lib = 1;\n`);
}

afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  root = '';
});

describe('checkPackageImports', () => {
  it('passes a repository that keeps the rules', () => {
    cleanRepo();
    expect(checkPackageImports(root)).toEqual([]);
  });

  it('fails a relative import that reaches into another package, with file and line', () => {
    cleanRepo();
    write('app/src/reach.ts', `// a comment\nimport { lib } from '../../lib/index.ts';\n`);
    expect(checkPackageImports(root)).toEqual([
      expect.objectContaining({ file: 'app/src/reach.ts', line: 2, rule: 'relative-import-crosses-package' }),
    ]);
  });

  it('fails a URL to another package code file, but not to shared data', () => {
    cleanRepo();
    write(
      'app/src/spawn.ts',
      `const bin = new URL('../../lib/index.ts', import.meta.url);\nconst data = new URL('../../models/', import.meta.url);\n`,
    );
    expect(checkPackageImports(root).map((v) => [v.file, v.line, v.rule])).toEqual([
      ['app/src/spawn.ts', 1, 'relative-import-crosses-package'],
    ]);
  });

  it('fails an import of a package the importer does not declare (workspace or npm)', () => {
    cleanRepo();
    write('lib/uses-app.ts', `import { x } from '@x/app/src/main.ts';\nexport { y } from 'left-pad';\nimport { it } from 'vitest';\n`);
    const rules = checkPackageImports(root).filter((v) => v.rule === 'undeclared-package');
    expect(rules.map((v) => v.line)).toEqual([1, 2]);
  });

  it('fails a cycle between packages, even when each import is declared', () => {
    cleanRepo();
    writePackage('lib', '@x/lib', { '@x/app': '*' });
    expect(checkPackageImports(root)).toEqual([
      expect.objectContaining({ rule: 'package-cycle', message: expect.stringContaining('@x/app -> @x/lib -> @x/app') }),
    ]);
  });

  it('fails production code that imports test scaffolding, by path or by name', () => {
    cleanRepo();
    write('app/src/prod.ts', `import { fake } from './test-support/fake.ts';\nimport { other } from '@x/lib/test-support/other';\n`);
    expect(checkPackageImports(root).map((v) => [v.line, v.rule])).toEqual([
      [1, 'production-imports-test-support'],
      [2, 'production-imports-test-support'],
    ]);
  });

  it('fails scaffolding under another folder name', () => {
    cleanRepo();
    write('app/src/testing/fixtures.ts', `export const f = 1;\n`);
    write('app/src/test-support.ts', `export const g = 1;\n`);
    expect(checkPackageImports(root).map((v) => [v.file, v.rule])).toEqual([
      ['app/src/test-support.ts', 'scaffolding-name'],
      ['app/src/testing/fixtures.ts', 'scaffolding-name'],
    ]);
  });
});

describe('extractSpecifiers', () => {
  it('finds static, type-only, re-export, dynamic and side-effect imports, and resolve calls', () => {
    const source = [
      `import a, { type B } from 'a';`,
      `import type { C } from "c";`,
      `export * from './d.ts';`,
      `const e = await import('e');`,
      `import './f.css';`,
      `const g = createRequire(import.meta.url).resolve('g/bin.js');`,
      `import {`,
      `  h,`,
      `} from 'h';`,
    ].join('\n');
    expect(extractSpecifiers(source).map((s) => [s.value, s.line])).toEqual([
      ['a', 1],
      ['c', 2],
      ['./d.ts', 3],
      ['e', 4],
      ['./f.css', 5],
      ['g/bin.js', 6],
      ['h', 9],
    ]);
  });

  it('ignores comments, strings, template literals and regular expressions that look like imports', () => {
    const source = [
      `// import x from '../../other/x.ts';`,
      `/* export * from '../y.ts' */`,
      `const kind: 'import' | 'url' = 'import';`,
      `const fixture = \`import z from '../../z.ts';\`;`,
      `const pattern = /from '([^']+)'/g;`,
    ].join('\n');
    expect(extractSpecifiers(source)).toEqual([]);
  });
});
