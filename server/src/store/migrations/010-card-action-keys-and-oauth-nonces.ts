import { type Kysely, sql } from 'kysely';

/**
 * Two single-use guards that must hold across `closewise serve` processes and restarts:
 * - `card_action_keys`: one row per card action key (tenant, action, record, the card's key). The primary key
 *   is the claim: INSERT … ON CONFLICT DO NOTHING lets exactly one of several racing requests run the action;
 *   the winner stores its response there for the replays. Rows expire (24 h) and are swept.
 * - `oauth_nonces`: the nonces of OAuth `state` values already spent by a callback, so a state completes one
 *   install only. It precedes any tenant (the install creates it), so it is the one table besides `tenants`
 *   not keyed by tenant. Rows live until the state itself would have expired.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('card_action_keys')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('object_id', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('claim_token', 'text', (c) => c.notNull())
    .addColumn('claimed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('response_status', 'integer')
    .addColumn('response_body', 'jsonb')
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('card_action_keys_pk', ['tenant_id', 'action', 'object_type', 'object_id', 'idempotency_key'])
    .execute();
  await db.schema.createIndex('card_action_keys_expires_idx').on('card_action_keys').column('expires_at').execute();

  await db.schema
    .createTable('oauth_nonces')
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('oauth_nonces_pk', ['provider', 'nonce'])
    .execute();
  await db.schema.createIndex('oauth_nonces_expires_idx').on('oauth_nonces').column('expires_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('oauth_nonces').ifExists().execute();
  await db.schema.dropTable('card_action_keys').ifExists().execute();
}
