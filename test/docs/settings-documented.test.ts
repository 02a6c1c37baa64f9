import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configSchema } from '@closewise/server/config/config';
import { JOB_SETTING_ENV } from '@closewise/server/jobs/settings';
import { describe, expect, it } from 'vitest';

// An admin configures Closewise from .env.example and the install guides: a variable the server reads but
// neither names is a setting nobody can find. The list comes from the code, so a new variable fails here
// until it is documented.
const root = join(import.meta.dirname, '..', '..');
const envExample = readFileSync(join(root, '.env.example'), 'utf8');
const guides = readdirSync(join(root, 'docs'))
  .filter((name) => name.endsWith('.md'))
  .map((name) => readFileSync(join(root, 'docs', name), 'utf8'))
  .join('\n');

/** Variables read outside the config schema (engine choice, debugging). */
const READ_OUTSIDE_CONFIG = ['CLOSEWISE_JOBS', 'CLOSEWISE_DEBUG'];

const variables = [...Object.keys(configSchema.shape), ...Object.values(JOB_SETTING_ENV), ...READ_OUTSIDE_CONFIG];

/** A variable counts as named when it appears as a whole word (set or commented out). */
const names = (text: string, variable: string) => new RegExp(`(^|[^A-Z0-9_])${variable}([^A-Z0-9_]|$)`, 'm').test(text);

/**
 * The names .env.example sets or shows commented out (`NAME=value` or `# NAME=value`); prose lines never start
 * with an upper-case name followed by `=`.
 */
function envExampleNames(text: string): string[] {
  return [...text.matchAll(/^#?[ \t]*([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1] as string);
}

describe('every environment variable the server reads is documented', () => {
  it.each(variables)('%s is in .env.example', (variable) => {
    expect(names(envExample, variable), `${variable} is missing from .env.example`).toBe(true);
  });

  it.each(variables)('%s is explained in a guide under docs/', (variable) => {
    expect(names(guides, variable), `${variable} is in no docs/*.md`).toBe(true);
  });
});

// .env.example is where an admin starts (docs/self-hosting.md sends them there): each name in it must be explained
// in a guide, and must be one the server reads, so the file never offers a setting that does nothing.
describe('every variable of .env.example is explained in docs/ and read by the server', () => {
  const listed = envExampleNames(envExample);

  it('finds the variables of .env.example (so the checks below cannot pass on an empty list)', () => {
    expect(listed.length).toBeGreaterThanOrEqual(30);
    expect(listed).toEqual(expect.arrayContaining(['PUBLIC_BASE_URL', 'HOST', 'PORT', 'CLOSEWISE_SCHEDULE_SYNC']));
    expect(envExampleNames('# Login host: login.salesforce.com (production)\n# production: serve refuses\nHOST=1\n')).toEqual(['HOST']);
  });

  it.each(listed)('%s from .env.example is explained in a guide under docs/', (variable) => {
    expect(names(guides, variable), `${variable} is in .env.example but in no docs/*.md`).toBe(true);
  });

  it.each(listed)('%s from .env.example is read by the server', (variable) => {
    expect(variables, `${variable} is in .env.example but the server never reads it`).toContain(variable);
  });
});
