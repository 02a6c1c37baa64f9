#!/usr/bin/env node
// Entry of the `closewise` CLI. The project brings Node 24 (root devDependency "node"), which npm puts first
// on PATH for `npm run` and `npx closewise`; Node 24 strips TypeScript types natively, so no build step.
const [major] = process.versions.node.split('.').map(Number);
if (major < 24) {
  process.stderr.write(
    `closewise: needs Node 24 or newer, found ${process.version}. Run it through npm (npx closewise ..., npm run demo), which uses the project's own Node.\n`,
  );
  process.exit(1);
}
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
