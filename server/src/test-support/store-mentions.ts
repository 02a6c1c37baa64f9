import { type Kysely, sql } from 'kysely';
import type { Database } from '../store/schema.ts';

/** What to look for: a whole number (a record id: no digit may touch it) or a text, case-insensitively. */
export type Needle = { label: string; id: string } | { label: string; text: string };

export interface Mention {
  table: string;
  column: string;
  needle: string;
  rows: number;
}

/** Every column of every table in the store's schema, from the catalog (so a table added later is scanned too). */
export async function storeColumns(db: Kysely<Database>): Promise<{ table: string; column: string; dataType: string }[]> {
  const result = await sql<{ table_name: string; column_name: string; data_type: string }>`
    select c.table_name, c.column_name, c.data_type
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
    order by c.table_name, c.ordinal_position`.execute(db);
  return result.rows.map((r) => ({ table: r.table_name, column: r.column_name, dataType: r.data_type }));
}

/**
 * Scans every column of every table (each value cast to text; bytea read as escaped text) for each needle,
 * and says where it was found. Ids match as whole numbers, texts as case-insensitive substrings.
 */
export async function findMentions(db: Kysely<Database>, needles: Needle[]): Promise<Mention[]> {
  const found: Mention[] = [];
  for (const { table, column, dataType } of await storeColumns(db)) {
    const value = dataType === 'bytea' ? sql`encode(${sql.ref(column)}, 'escape')` : sql`${sql.ref(column)}::text`;
    for (const needle of needles) {
      const test =
        'id' in needle
          ? sql`${value} ~ ${`(^|[^0-9])${needle.id}([^0-9]|$)`}`
          : sql`position(lower(${needle.text}) in lower(${value})) > 0`;
      const result = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where ${test}`.execute(db);
      const rows = Number(result.rows[0]?.n ?? 0);
      if (rows > 0) found.push({ table, column, needle: needle.label, rows });
    }
  }
  return found;
}
