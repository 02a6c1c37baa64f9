import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import lwc from 'lwc/rollup-plugin';
import { rollup } from 'rollup';

const require = createRequire(import.meta.url);
const PREVIEW_DIR = join(dirname(fileURLToPath(import.meta.url)), 'lwc-preview');
const SALESFORCE_LWC_DIR = dirname(require.resolve('@closewise/salesforce-lwc/package.json'));
const COMPONENTS_DIR = join(SALESFORCE_LWC_DIR, 'force-app', 'main', 'default', 'lwc');

/** sfdx-lwc-jest's lightning stubs. */
function lightningStubPath(name: string): string {
  const jestPackage = require.resolve('@salesforce/sfdx-lwc-jest/package.json');
  return join(dirname(jestPackage), 'src', 'lightning-stubs', name, `${name}.js`);
}

/**
 * The module mapping of salesforce-lwc's Jest preset, for the browser: `c/*` are the real components,
 * `lightning/*` the sfdx-lwc-jest stubs that render something useful or else our preview stand-ins, and
 * `@salesforce/apex/ClosewiseController.*` preview modules answering from fixtures. Native shadow DOM: the
 * synthetic shadow polyfill is not bundled.
 */
function moduleRecords() {
  const components = readdirSync(COMPONENTS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => ({ name: `c/${entry.name}`, path: join(COMPONENTS_DIR, entry.name, `${entry.name}.js`) }));
  const apex = readdirSync(join(PREVIEW_DIR, 'apex')).map((file) => ({
    name: `@salesforce/apex/ClosewiseController.${file.replace(/\.js$/, '')}`,
    path: join(PREVIEW_DIR, 'apex', file),
  }));
  const stubs = ['buttonGroup', 'platformShowToastEvent'].map((name) => ({ name: `lightning/${name}`, path: lightningStubPath(name) }));
  // The engine of the compiler's release (lwc/rollup-plugin); sfdx-lwc-jest's own engine is older.
  return [
    { name: 'lwc', path: require.resolve('@lwc/engine-dom') },
    ...components,
    ...apex,
    ...stubs,
    { dir: join(PREVIEW_DIR, 'modules') },
  ];
}

/** Compiles the preview entry and everything it imports into one browser script, in memory. */
export async function bundleLwcPreview(): Promise<string> {
  const build = await rollup({
    input: join(PREVIEW_DIR, 'entry.js'),
    plugins: [lwc({ rootDir: PREVIEW_DIR, modules: moduleRecords(), defaultModules: [] })],
    onwarn(warning) {
      throw new Error(`LWC preview bundle: ${warning.message}`);
    },
  });
  try {
    const { output } = await build.generate({ format: 'iife', intro: "const process = { env: { NODE_ENV: 'production' } };" });
    return output[0].code;
  } finally {
    await build.close();
  }
}
