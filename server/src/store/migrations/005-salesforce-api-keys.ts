import { type Kysely, sql } from 'kysely';

/**
 * API keys the Salesforce org's Named Credential sends (Authorization: Bearer <key>). A key names its row by a
 * public id and carries a random secret; only the SHA-256 of the whole key is stored, so a leaked table does
 * not let anyone call the API. Revoked keys stay (revoked_at set) for the audit trail.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('salesforce_api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('key_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('revoked_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('salesforce_api_keys_tenant_idx').on('salesforce_api_keys').column('tenant_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('salesforce_api_keys').ifExists().execute();
}
