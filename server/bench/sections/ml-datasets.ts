// The real datasets the ML bench compares on, read the way `closewise model train` reads a CSV.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CsvDataset, datasetFromCsv } from '../../src/ml/csv/dataset.ts';
import { type CsvTable, parseCsv } from '../../src/ml/csv/parse.ts';

export const DATASETS_DIR = fileURLToPath(new URL('../../../../shared/datasets/', import.meta.url));
export const BANK = join(DATASETS_DIR, 'uci-bank-marketing', 'bank-full.csv');
export const MAVEN_DIR = join(DATASETS_DIR, 'maven-crm-sales-opportunities');

export interface BenchDataset {
  name: string;
  /** What was read and left out, for the log. */
  description: string;
  dataset: CsvDataset;
}

/** bank-full with `duration` dropped: it is known only after the call, so it leaks the outcome. */
export function bankFull(): BenchDataset {
  const table = parseCsv(readFileSync(BANK, 'utf8'), BANK);
  return {
    name: 'bank-full',
    description: 'UCI bank-full.csv, target y = yes, duration dropped (known only after the call)',
    dataset: datasetFromCsv(table, BANK, { target: 'y', positive: 'yes', drop: ['duration'], categorical: [] }),
  };
}

function byKey(table: CsvTable, key: string): Map<string, Record<string, string>> {
  const keyIndex = table.header.indexOf(key);
  if (keyIndex < 0) throw new Error(`no column ${key} in ${table.header.join(', ')}`);
  return new Map(
    table.rows.map((cells) => [cells[keyIndex] as string, Object.fromEntries(table.header.map((h, i) => [h, cells[i] as string]))]),
  );
}

const read = (file: string) => parseCsv(readFileSync(join(MAVEN_DIR, file), 'utf8'), file);
const quote = (cell: string) => (/[",\r\n]/.test(cell) || cell !== cell.trim() ? `"${cell.replaceAll('"', '""')}"` : cell);

/** Columns of the Maven flat file, in order: the target, then what is known about a deal while it is open. */
export const MAVEN_FLAT_COLUMNS = [
  'deal_stage',
  'sales_agent',
  'manager',
  'regional_office',
  'product',
  'series',
  'sales_price',
  'account',
  'sector',
  'year_established',
  'revenue',
  'employees',
  'office_location',
  'subsidiary_of',
  'engage_date',
] as const;

/**
 * The Maven CRM opportunities as one flat file (CSV text), one row per closed opportunity (deal_stage Won or
 * Lost; open ones have no outcome), in sales_pipeline.csv order. Left joins: sales_agent → sales_teams.csv
 * (manager, regional_office), product → products.csv (series, sales_price; the pipeline's "GTXPro" is the
 * products file's "GTX Pro"), account → accounts.csv (sector, year_established, revenue, employees,
 * office_location, subsidiary_of). Left out: opportunity_id (an id), close_date and close_value (they leak:
 * close_value is 0 for every lost deal).
 */
export function mavenFlatCsv(): string {
  const agents = byKey(read('sales_teams.csv'), 'sales_agent');
  const products = byKey(read('products.csv'), 'product');
  const accounts = byKey(read('accounts.csv'), 'account');
  const pipeline = read('sales_pipeline.csv');
  const at = (name: string) => pipeline.header.indexOf(name);
  const lines = [MAVEN_FLAT_COLUMNS.join(',')];
  for (const cells of pipeline.rows) {
    const stage = cells[at('deal_stage')] as string;
    if (stage !== 'Won' && stage !== 'Lost') continue;
    const product = (cells[at('product')] as string) === 'GTXPro' ? 'GTX Pro' : (cells[at('product')] as string);
    const deal: Record<string, string | undefined> = {
      ...agents.get(cells[at('sales_agent')] as string),
      ...products.get(product),
      ...accounts.get(cells[at('account')] as string),
      deal_stage: stage,
      sales_agent: cells[at('sales_agent')],
      product,
      account: cells[at('account')],
      engage_date: cells[at('engage_date')],
    };
    lines.push(MAVEN_FLAT_COLUMNS.map((column) => quote(deal[column] ?? '')).join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** The Maven flat file read as a user's CSV: target deal_stage = Won, engage_date a date feature (days). */
export function mavenFlat(): BenchDataset {
  const file = 'maven-opportunities-flat.csv';
  const table = parseCsv(mavenFlatCsv(), file);
  return {
    name: 'maven-opportunities-flat',
    description:
      'Maven sales_pipeline.csv closed deals joined with sales_teams, products (GTXPro = GTX Pro) and accounts; target deal_stage = Won; opportunity_id, close_date, close_value left out',
    dataset: datasetFromCsv(table, file, { target: 'deal_stage', positive: 'Won', drop: [], categorical: [] }),
  };
}

/** The datasets that are present in ../shared/datasets, and a line for each that is not. */
export function benchDatasets(): { found: (() => BenchDataset)[]; missing: string[] } {
  const found: (() => BenchDataset)[] = [];
  const missing: string[] = [];
  if (existsSync(BANK)) found.push(bankFull);
  else missing.push(`${BANK} not found: bank-full skipped`);
  if (existsSync(join(MAVEN_DIR, 'sales_pipeline.csv'))) found.push(mavenFlat);
  else missing.push(`${MAVEN_DIR}/sales_pipeline.csv not found: Maven opportunities skipped`);
  return { found, missing };
}
