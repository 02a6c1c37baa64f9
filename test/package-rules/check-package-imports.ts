// `npm run lint` step: the package rules biome cannot check (see test/package-rules/README.md).
import { fileURLToPath } from 'node:url';
import { checkPackageImports } from './check.ts';

const root = process.argv[2] ?? fileURLToPath(new URL('../..', import.meta.url));
const violations = checkPackageImports(root);
for (const v of violations) console.error(`${v.file}:${v.line}  ${v.rule}  ${v.message}`);
if (violations.length > 0) {
  console.error(`\n${violations.length} package rule violation(s).`);
  process.exitCode = 1;
}
