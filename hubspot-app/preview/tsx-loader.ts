import { readFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'rolldown/experimental';

/**
 * Node strips TypeScript types natively but does not compile JSX, and the cards are .tsx (HubSpot's
 * build compiles them for the real CRM). For the local preview we compile .tsx on import with
 * rolldown's oxc transform (the compiler Vitest already uses), React's automatic runtime.
 * Dev only: installed once per process, touches nothing but .tsx files.
 */
let installed = false;

export function installTsxLoader(): void {
  if (installed) return;
  installed = true;
  registerHooks({
    load(url, context, nextLoad) {
      if (!url.startsWith('file:') || !url.endsWith('.tsx')) return nextLoad(url, context);
      const path = fileURLToPath(url);
      const result = transformSync(path, readFileSync(path, 'utf8'), { jsx: { runtime: 'automatic' }, sourcemap: false });
      if (result.errors.length > 0) throw new Error(`Cannot compile ${path}: ${result.errors.map((e) => e.message).join('; ')}`);
      return { format: 'module', source: result.code, shortCircuit: true };
    },
  });
}
