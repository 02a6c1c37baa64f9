import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.ts';

/** The tables a sync and a scoring run fill in bulk, and that the card reads join. */
const BULK_TABLES = ['crm_records', 'associations', 'activities', 'scores'] as const;

/**
 * Refreshes PostgreSQL's planner statistics after a bulk write. Right after a tenant's first sync the
 * tables look empty to the planner until autovacuum gets round to them, and it then picks plans that scan
 * a whole tenant per card read (measured: a company card 24 ms instead of 0.7 ms). ANALYZE samples a fixed
 * number of rows, so it costs tens of milliseconds whatever the table size.
 */
export async function refreshPlannerStatistics(db: Kysely<Database>): Promise<void> {
  await sql`ANALYZE ${sql.join(BULK_TABLES.map((t) => sql.table(t)))}`.execute(db);
}
