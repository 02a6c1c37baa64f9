/**
 * Runs the real Salesforce CLI (`sf project convert source`, pinned in package.json) over every package
 * directory, as a deploy or a package build would first do. The CLI resolves each file against its
 * metadata registry (suffix and folder), so an unknown type, a misplaced file or a broken bundle fails
 * here instead of in a customer's org. Offline: telemetry and auto-update are off, HOME is a temp dir.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const PROJECT = path.join(__dirname, '..');
const SF = findCli(PROJECT);
const PACKAGE_DIRS = JSON.parse(fs.readFileSync(path.join(PROJECT, 'sfdx-project.json'), 'utf8')).packageDirectories.map((d) => d.path);

/** The pinned CLI's entry, found the way Node would (its package exports hide bin/ from require.resolve). */
function findCli(from) {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', '@salesforce', 'cli', 'bin', 'run.js');
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error('@salesforce/cli is not installed: run npm install');
  }
}

function convert(cwd, sourceDirs) {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'closewise-convert-'));
  const outputDir = path.join(scratch, 'mdapi');
  const args = ['project', 'convert', 'source', ...sourceDirs.flatMap((d) => ['--source-dir', d]), '--output-dir', outputDir, '--json'];
  const run = spawnSync(process.execPath, [SF, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
    env: {
      ...process.env,
      HOME: scratch,
      SF_DISABLE_TELEMETRY: 'true',
      SF_AUTOUPDATE_DISABLE: 'true',
      SF_USE_PROGRESS_BAR: 'false',
      SF_DISABLE_LOG_FILE: 'true',
    },
  });
  return { run, outputDir, cleanup: () => fs.rmSync(scratch, { recursive: true, force: true }) };
}

/** package.xml → { TypeName: [members] }; the CLI writes it one element per line, members before name. */
function manifest(outputDir) {
  const xml = fs.readFileSync(path.join(outputDir, 'package.xml'), 'utf8');
  const types = {};
  for (const [, block] of xml.matchAll(/<types>([\s\S]*?)<\/types>/g)) {
    const name = block.match(/<name>([^<]+)<\/name>/)[1];
    types[name] = Array.from(block.matchAll(/<members>([^<]+)<\/members>/g), (m) => m[1]);
  }
  return types;
}

describe('sf project convert source', () => {
  jest.setTimeout(120_000);

  it('converts every package directory to Metadata API format', () => {
    expect(PACKAGE_DIRS).toEqual(['force-app', 'eca-source-org']);
    const { run, outputDir, cleanup } = convert(PROJECT, PACKAGE_DIRS);
    try {
      expect([run.status, run.stderr]).toEqual([0, expect.any(String)]);
      expect(JSON.parse(run.stdout).status).toBe(0);
      const types = manifest(outputDir);
      expect(types.PermissionSet).toEqual(['Closewise_Integration', 'Closewise_User']);
      expect(types.ApexClass).toEqual(['ClosewiseController', 'ClosewiseControllerTest']);
      expect(types.ExternalClientApplication).toEqual(['Closewise']);
      expect(types.ExtlClntAppOauthSettings).toEqual(['Closewise_oauth']);
      expect(types.ExtlClntAppGlobalOauthSettings).toEqual(['Closewise_glbloauth']);
      expect(types.ExtlClntAppOauthConfigurablePolicies).toEqual(['Closewise_oauthPlcy']);
      expect(types.CustomField).toHaveLength(23);
      expect(types.LightningComponentBundle).toHaveLength(fs.readdirSync(path.join(PROJECT, 'force-app/main/default/lwc')).length);
      // Every metadata folder of the source became a type of the manifest (nothing was silently dropped).
      for (const dir of PACKAGE_DIRS) {
        for (const folder of fs.readdirSync(path.join(PROJECT, dir, 'main', 'default'))) {
          expect([folder, fs.existsSync(path.join(outputDir, folder))]).toEqual([folder, true]);
        }
      }
    } finally {
      cleanup();
    }
  });

  it('fails on a file the metadata registry does not know (the check can fail)', () => {
    const project = fs.mkdtempSync(path.join(os.tmpdir(), 'closewise-bad-source-'));
    try {
      fs.copyFileSync(path.join(PROJECT, 'sfdx-project.json'), path.join(project, 'sfdx-project.json'));
      const folder = path.join(project, 'force-app', 'main', 'default', 'externalClientApps');
      fs.mkdirSync(folder, { recursive: true });
      fs.mkdirSync(path.join(project, 'eca-source-org'));
      // A typo in the suffix (.ecaa): Salesforce would reject the deploy; the CLI rejects the conversion.
      fs.writeFileSync(path.join(folder, 'Closewise.ecaa-meta.xml'), '<ExternalClientApplication/>');
      const { run, cleanup } = convert(project, ['force-app']);
      cleanup();
      expect(run.status).not.toBe(0);
      expect(`${run.stdout}${run.stderr}`).toMatch(/TypeInferenceError|Could not infer a metadata type/);
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  });
});
