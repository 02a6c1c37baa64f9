import type { Kysely } from 'kysely';

/**
 * Activities (engagements) deleted in the CRM are kept but marked, as records already are: their rows stay
 * for audit and a possible restore, and every read for scoring skips them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('activities')
    .addColumn('archived', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('activities').dropColumn('archived').execute();
}
