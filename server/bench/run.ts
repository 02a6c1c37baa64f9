// Entry of `npm run bench`: runs every section in ./sections (each file exports `section`).
// Usage: npm run bench [-- --only ml[,other]] [--quick] [--json FILE]
import { readdir, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { BenchResult, BenchSection } from './section.ts';
import { createContext } from './section.ts';

const { values } = parseArgs({
  options: { only: { type: 'string' }, quick: { type: 'boolean' }, json: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
});

const dir = new URL('./sections/', import.meta.url);
const files = (await readdir(dir)).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.includes('.worker.')).sort();
const sections: BenchSection[] = [];
for (const file of files) {
  const mod = (await import(new URL(file, dir).href)) as { section?: BenchSection };
  if (mod.section) sections.push(mod.section);
}

if (values.help) {
  const width = Math.max(...sections.map((s) => s.name.length));
  process.stdout.write(
    `Usage: npm run bench [-- --only NAME[,NAME]] [--quick] [--json FILE]\nSections:\n${sections.map((s) => `  ${s.name.padEnd(width)} ${s.description}`).join('\n')}\n`,
  );
  process.exit(0);
}

const only = values.only ? new Set(values.only.split(',').map((s) => s.trim())) : null;
const unknown = only ? [...only].filter((name) => !sections.some((s) => s.name === name)) : [];
if (unknown.length > 0) {
  process.stderr.write(`bench: unknown section(s) ${unknown.join(', ')}; have ${sections.map((s) => s.name).join(', ')}\n`);
  process.exit(2);
}

const all: BenchResult[] = [];
let failures = 0;
for (const section of sections) {
  if (only && !only.has(section.name)) continue;
  process.stdout.write(`\n== ${section.name}: ${section.description}${values.quick ? ' (quick)' : ''}\n`);
  const ctx = createContext(section.name, values.quick === true);
  try {
    await section.run(ctx);
  } catch (error) {
    failures++;
    process.stdout.write(`!! section ${section.name} failed: ${(error as Error).stack ?? String(error)}\n`);
  }
  all.push(...ctx.results);
}

const checked = all.filter((r) => r.pass !== undefined);
const passed = checked.filter((r) => r.pass).length;
process.stdout.write(`\n== summary: ${passed}/${checked.length} targets met${failures ? `, ${failures} section(s) failed` : ''}\n`);
for (const r of checked)
  process.stdout.write(
    `  ${r.pass ? 'PASS' : 'FAIL'}  ${r.section}: ${r.name} = ${r.value}${r.unit ? ` ${r.unit}` : ''} (target ${r.target})\n`,
  );
if (values.json) await writeFile(values.json, `${JSON.stringify(all, null, 2)}\n`);
process.exitCode = failures > 0 ? 1 : 0;
