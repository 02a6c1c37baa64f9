import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.ts';

/** One round trip to the store; throws when it does not answer (the health check's 503). */
export async function pingStore(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}
