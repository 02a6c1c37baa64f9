// `npm run build:functions`: one deployable bundle per target, sizes printed.
//   server/dist/functions/aws/  — Lambda (nodejs22.x): lambda-http.mjs, lambda-scheduled.mjs, lambda-drain.mjs (+ lazy chunks)
//   server/dist/functions/gcp/  — Cloud Run functions (nodejs22): index.mjs exporting closewise, closewiseSchedule,
//                                 closewiseDrain, and a package.json naming the functions framework
// `--target aws|gcp` builds one of them; `--out DIR` writes elsewhere (the Cloud Run test builds into a temp dir).
// esbuild (a devDependency) bundles our TypeScript and dependencies into ES modules. Code splitting keeps
// what `import()` loads on use (scoring, ONNX Runtime, the trainer, jsforce, pg-boss) in separate chunks,
// so a cold card read parses only what it runs.
import { copyFile, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values: args } = parseArgs({ options: { target: { type: 'string' }, out: { type: 'string' } } });
const out = args.out ? resolve(args.out) : join(root, 'dist', 'functions');
const targets = (['aws', 'gcp'] as const).filter((t) => !args.target || args.target === t);
if (targets.length === 0) throw new Error(`--target must be aws or gcp, not ${args.target}`);
const fn = (file: string) => join(root, 'src', 'functions', file);
const ortDist = join(root, '..', 'node_modules', 'onnxruntime-web', 'dist');

// ESM output calling CommonJS dependencies needs require, __filename and __dirname in scope.
const banner = [
  "import { createRequire as __cwRequire } from 'node:module';",
  "import { fileURLToPath as __cwPath } from 'node:url';",
  "import { dirname as __cwDir } from 'node:path';",
  'const require = __cwRequire(import.meta.url);',
  'const __filename = __cwPath(import.meta.url);',
  'const __dirname = __cwDir(__filename);',
].join('\n');

async function bundle(target: 'aws' | 'gcp', entryPoints: Record<string, string>): Promise<void> {
  const dir = join(out, target);
  await rm(dir, { recursive: true, force: true });
  await build({
    entryPoints,
    outdir: dir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    banner: { js: banner },
    minify: true,
    sourcemap: 'linked',
    legalComments: 'none',
    // Optional native speed-ups of pg and ws that the pure-JS paths replace.
    external: ['pg-native', 'bufferutil', 'utf-8-validate'],
    logLevel: 'warning',
  });
  // ONNX Runtime (web build) loads its WebAssembly runtime next to the module that imports it: the chunks.
  for (const file of ['ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm'])
    await copyFile(join(ortDist, file), join(dir, 'chunks', file));
}

async function sizeOf(path: string): Promise<number> {
  const info = await stat(path);
  if (!info.isDirectory()) return info.size;
  let total = 0;
  for (const entry of await readdir(path)) total += await sizeOf(join(path, entry));
  return total;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

if (targets.includes('aws'))
  await bundle('aws', {
    'lambda-http': fn('lambda-http.ts'),
    'lambda-scheduled': fn('lambda-scheduled.ts'),
    'lambda-drain': fn('lambda-drain.ts'),
  });
if (targets.includes('gcp')) {
  await bundle('gcp', { index: fn('cloud-run-index.ts') });
  const frameworkVersion = '^5.0.5';
  await writeFile(
    join(out, 'gcp', 'package.json'),
    `${JSON.stringify({ name: 'closewise-functions', private: true, type: 'module', main: 'index.mjs', engines: { node: '>=22' }, dependencies: { '@google-cloud/functions-framework': frameworkVersion } }, null, 2)}\n`,
  );
}
await mkdir(out, { recursive: true });
for (const target of targets) {
  const dir = join(out, target);
  const entries = (await readdir(dir)).filter((f) => f.endsWith('.mjs'));
  const sizes = await Promise.all(entries.map(async (f) => `${f} ${mb(await sizeOf(join(dir, f)))}`));
  process.stdout.write(`${target}: ${mb(await sizeOf(dir))} in ${dir} (entries: ${sizes.join(', ')})\n`);
}
