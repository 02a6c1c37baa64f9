import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

/** Stores a new key's hash for a tenant (the key itself is never stored). */
export async function insertApiKey(db: Kysely<Database>, tenantId: string, id: string, keyHash: string): Promise<void> {
  await db.insertInto('salesforce_api_keys').values({ id, tenant_id: tenantId, key_hash: keyHash }).execute();
}

/** Revokes every live key of a tenant; returns how many were live. */
export async function revokeApiKeys(db: Kysely<Database>, tenantId: string, at: Date): Promise<number> {
  const result = await db
    .updateTable('salesforce_api_keys')
    .set({ revoked_at: at })
    .where('tenant_id', '=', tenantId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The live key with this public id, if its tenant is an active Salesforce tenant. */
export async function findLiveApiKey(db: Kysely<Database>, id: string): Promise<{ tenantId: string; keyHash: string } | null> {
  const row = await db
    .selectFrom('salesforce_api_keys')
    .innerJoin('tenants', 'tenants.id', 'salesforce_api_keys.tenant_id')
    .select(['salesforce_api_keys.tenant_id', 'salesforce_api_keys.key_hash'])
    .where('salesforce_api_keys.id', '=', id)
    .where('salesforce_api_keys.revoked_at', 'is', null)
    .where('tenants.status', '=', 'active')
    .where('tenants.crm', '=', 'salesforce')
    .executeTakeFirst();
  return row ? { tenantId: row.tenant_id, keyHash: row.key_hash } : null;
}
