// `npm run lint` step: HubSpot's `hs project lint`, offline and without a HubSpot account, through the CLI's own
// code (@hubspot/cli lib/projects/uieLinting.js, the module `hs project lint` runs).
//
// Why not `npx hs project lint` itself: before linting, the CLI requires every lint package in
// `<extension>/node_modules/<name>`, and npm workspaces hoist them to the repository's node_modules, so the command
// skips both extensions and exits 1 ("required dependencies are missing"); its only remedy installs packages.
// This script makes the same checks in the same order, with that one check done by Node's module resolution, then
// lets the CLI lint exactly as `hs project lint` does (`npx eslint .` in each extension folder; npx finds the local
// eslint, nothing is downloaded).

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setCLILogLevel } from '@hubspot/cli/lib/commonOpts.js';
import {
  displayLintResults,
  getMissingLintScripts,
  getUieLintablePackageJsonLocations,
  hasDeprecatedEslintConfig,
  hasEslintConfig,
  isHubSpotEslintConfigActive,
  lintPackages,
  REQUIRED_PACKAGES_AND_MIN_VERSIONS,
} from '@hubspot/cli/lib/projects/uieLinting.js';

const projectDir = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Shared extension code is no extension point of its own, so the CLI does not list it; it runs inside both. */
const EXTRA_LINT_LOCATIONS = [join(projectDir, 'src', 'app', 'packages', 'shared')];

// npm (behind `npx eslint`) checks the registry for a newer npm unless it runs in CI: keep lint offline.
process.env.CI ??= 'true';
setCLILogLevel({ _: [], $0: 'hs' }); // what the hs binary does first: print the CLI's normal output
// The CLI finds hsproject.json (and then the package.json files) from INIT_CWD, which npm sets to where `npm run`
// was started, else from the working directory.
process.env.INIT_CWD = projectDir;
process.chdir(projectDir);

const projectConfig = JSON.parse(readFileSync(join(projectDir, 'hsproject.json'), 'utf8'));
const cliLocations: string[] = await getUieLintablePackageJsonLocations({ projectDir, projectConfig });
const locations = [...cliLocations, ...EXTRA_LINT_LOCATIONS];

/** The CLI's version check for the ranges used here: an exact, ^ or ~ version whose lowest match is >= minimum. */
function atLeast(range: string, minimum: string): boolean {
  const parse = (v: string) =>
    v
      .replace(/^[\^~]/, '')
      .split('.')
      .map(Number);
  const [have, need] = [parse(range), parse(minimum)];
  if (have.length !== 3 || have.some(Number.isNaN)) return false;
  for (let i = 0; i < 3; i++) if (have[i] !== need[i]) return have[i]! > need[i]!;
  return true;
}

/** The CLI's "installed" check (`<dir>/node_modules/<name>` exists), walking up the folders as Node resolves. */
function installedFrom(location: string, name: string): boolean {
  for (let dir = location; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules', name, 'package.json'))) return true;
    if (dirname(dir) === dir) return false;
  }
}

function setupProblems(location: string): string[] {
  const problems: string[] = [];
  const manifest = JSON.parse(readFileSync(join(location, 'package.json'), 'utf8'));
  const declared: Record<string, string> = { ...manifest.dependencies, ...manifest.devDependencies };
  const isExtension = cliLocations.includes(location);
  for (const [name, minimum] of Object.entries(REQUIRED_PACKAGES_AND_MIN_VERSIONS as Record<string, string>)) {
    // The shared package only re-exports the config; the extensions are what HubSpot installs and checks.
    if (isExtension) {
      const range = declared[name];
      if (!range || !atLeast(range, minimum)) problems.push(`package.json must declare ${name} >= ${minimum} (has ${range ?? 'none'})`);
    }
    if (!installedFrom(location, name)) problems.push(`${name} is not installed (run npm install at the repository root)`);
  }
  if (!hasEslintConfig(location)) problems.push('no eslint.config.js (re-export @closewise/hubspot-eslint-config)');
  if (hasDeprecatedEslintConfig(location)) problems.push('a deprecated .eslintrc* file is present; ESLint 9 ignores it');
  if (isExtension) {
    const missing: string[] = getMissingLintScripts(location);
    if (missing.length > 0) problems.push(`package.json lacks the scripts hs project lint would add: ${missing.join(', ')}`);
  }
  return problems;
}

let failed = false;
for (const location of locations) {
  const where = relative(projectDir, location);
  const problems = setupProblems(location);
  if (problems.length === 0 && !(await isHubSpotEslintConfigActive(location))) {
    problems.push("ESLint's resolved config has no @hubspot/ui-extensions/* rule (the check hs project upload warns about)");
  }
  for (const problem of problems) console.error(`${where}: ${problem}`);
  failed ||= problems.length > 0;
}
if (failed) {
  console.error('\nhs project lint: setup incomplete; nothing was linted.');
  process.exit(1);
}

const { success, results } = await lintPackages(locations, projectDir);
displayLintResults(results);
if (!success) process.exitCode = 1;
