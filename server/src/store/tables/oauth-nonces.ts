import { type Kysely, sql } from 'kysely';
import type { Database } from '../schema.ts';

/**
 * The `oauth_nonces` table: the nonces of OAuth `state` values a callback has already spent, per provider
 * (hubspot, salesforce). Spending is one INSERT … ON CONFLICT DO NOTHING, so of two callbacks with the same
 * state — in one process or two — exactly one goes on to install. Not keyed by tenant: the install it guards
 * is what creates the tenant.
 */

/** Marks the nonce spent until `keepUntil`; false when it already was (a replayed state). */
export async function spendOAuthNonce(db: Kysely<Database>, provider: string, nonce: string, keepUntil: Date): Promise<boolean> {
  const spent = await db
    .insertInto('oauth_nonces')
    .values({ provider, nonce, expires_at: keepUntil })
    .onConflict((oc) => oc.columns(['provider', 'nonce']).doNothing())
    .returning('nonce')
    .executeTakeFirst();
  return spent !== undefined;
}

/** Forgets spent nonces whose states have expired anyway (a replay of those fails on the expiry). */
export async function deleteExpiredOAuthNonces(db: Kysely<Database>): Promise<number> {
  const result = await db.deleteFrom('oauth_nonces').where('expires_at', '<=', sql<Date>`now()`).executeTakeFirst();
  return Number(result.numDeletedRows);
}
