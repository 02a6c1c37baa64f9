import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../schema.ts';

export interface RateGrant {
  at: number;
  cost: number;
}

/**
 * Runs `decide` in one transaction holding the budget key's transaction-scoped advisory lock (released
 * on commit, or by PostgreSQL if the worker dies), so grants for one key are serialised across workers.
 * `decide` sees the database's clock and the grants of the window, and returns the cost to grant now
 * (recorded before commit) or null.
 */
export async function withBudgetWindow<T>(
  db: Kysely<Database>,
  key: string,
  windowMs: number,
  decide: (now: Date, grants: RateGrant[]) => { grant: number | null; result: T },
): Promise<T> {
  return db.transaction().execute(async (trx: Transaction<Database>) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext('closewise.budget'), hashtext(${key}))`.execute(trx);
    const nowRow = await sql<{ now: Date }>`SELECT clock_timestamp() AS now`.execute(trx);
    const now = nowRow.rows[0]?.now ?? new Date();
    const rows = await trx
      .selectFrom('job_rate_grants')
      .select(['granted_at', 'cost'])
      .where('budget_key', '=', key)
      .where('granted_at', '>', new Date(now.getTime() - windowMs))
      .orderBy('granted_at')
      .execute();
    const { grant, result } = decide(
      now,
      rows.map((g) => ({ at: new Date(g.granted_at).getTime(), cost: g.cost })),
    );
    if (grant !== null) await trx.insertInto('job_rate_grants').values({ budget_key: key, granted_at: now, cost: grant }).execute();
    return result;
  });
}

/** Deletes a key's grants older than an hour: they are only history. */
export async function trimOldGrants(db: Kysely<Database>, key: string): Promise<void> {
  await db
    .deleteFrom('job_rate_grants')
    .where('budget_key', '=', key)
    .where('granted_at', '<', sql<Date>`clock_timestamp() - interval '1 hour'`)
    .execute();
}
