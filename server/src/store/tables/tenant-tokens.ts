import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

/**
 * The token columns of `tenants` (token_ciphertext, token_expires_at) and the status a revoked install sets:
 * what connectors read and write to keep a tenant's CRM credentials current. The rest of the row belongs to
 * tenants/tenant-repository.ts.
 */
export async function readTokenCiphertext(
  db: Kysely<Database>,
  tenantId: string,
): Promise<{ ciphertext: string | null; disabled: boolean } | null> {
  const row = await db.selectFrom('tenants').select(['token_ciphertext', 'status']).where('id', '=', tenantId).executeTakeFirst();
  return row ? { ciphertext: row.token_ciphertext, disabled: row.status === 'disabled' } : null;
}

export async function writeTokenCiphertext(
  db: Kysely<Database>,
  tenantId: string,
  ciphertext: string,
  expiresAt?: string | null,
): Promise<void> {
  await db
    .updateTable('tenants')
    .set({ token_ciphertext: ciphertext, ...(expiresAt === undefined ? {} : { token_expires_at: expiresAt }) })
    .where('id', '=', tenantId)
    .execute();
}

/** The CRM revoked our access (HubSpot's invalid_grant): the tenant stays, disabled, until installed again. */
export async function disableTenantAccess(db: Kysely<Database>, tenantId: string): Promise<void> {
  await db.updateTable('tenants').set({ status: 'disabled' }).where('id', '=', tenantId).execute();
}

/**
 * The org is disconnected (its tokens revoked at Salesforce, or refused as invalid_grant): the tenant stays,
 * disabled and without credentials, until it is installed again. Its data stays too, for the re-install.
 */
export async function disconnectTenantAccess(db: Kysely<Database>, tenantId: string): Promise<void> {
  await db
    .updateTable('tenants')
    .set({ status: 'disabled', token_ciphertext: null, token_expires_at: null })
    .where('id', '=', tenantId)
    .execute();
}
