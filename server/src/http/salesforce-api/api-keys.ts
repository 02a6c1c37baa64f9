import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { NotFoundError } from '../../errors/errors.ts';
import type { Database } from '../../store/schema.ts';

/** The `salesforce_api_keys` table (migration 005-salesforce-api-keys). */
interface ApiKeysTable {
  id: string;
  tenant_id: string;
  key_hash: string;
  created_at: Date;
  revoked_at: Date | null;
}

const keysDb = (db: Kysely<Database>) => db.withTables<{ salesforce_api_keys: ApiKeysTable }>();

/**
 * `cwsf_<id>_<secret>`: the id (public, 12 hex) finds the row without comparing secrets in SQL; the secret
 * (32 random bytes, base64url) is what makes the key unguessable.
 */
const KEY_PATTERN = /^cwsf_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * Issues a key for a Salesforce tenant and returns it in plain text: this is the only time it exists
 * outside the admin's External Credential. Only its SHA-256 is stored (the key has 256 bits of entropy,
 * so a slow hash would add nothing).
 */
export async function issueSalesforceApiKey(db: Kysely<Database>, tenantId: string): Promise<string> {
  const tenant = await db.selectFrom('tenants').select(['id', 'crm']).where('id', '=', tenantId).executeTakeFirst();
  if (tenant?.crm !== 'salesforce') throw new NotFoundError(`no Salesforce tenant ${tenantId}`);
  const id = randomBytes(6).toString('hex');
  const key = `cwsf_${id}_${randomBytes(32).toString('base64url')}`;
  await keysDb(db)
    .insertInto('salesforce_api_keys')
    .values({ id, tenant_id: tenantId, key_hash: sha256(key).toString('hex') } as never)
    .execute();
  return key;
}

/** Revokes every key of a tenant (a leaked key is replaced by issuing a new one after this). */
export async function revokeSalesforceApiKeys(db: Kysely<Database>, tenantId: string): Promise<number> {
  const result = await keysDb(db)
    .updateTable('salesforce_api_keys')
    .set({ revoked_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * The tenant a key belongs to, or null for a malformed, unknown or revoked key, or a disabled tenant.
 * The hash comparison is constant-time; the SQL lookup is by the public id only.
 */
export async function tenantOfApiKey(db: Kysely<Database>, key: string): Promise<string | null> {
  const match = KEY_PATTERN.exec(key);
  if (!match) return null;
  const row = await keysDb(db)
    .selectFrom('salesforce_api_keys')
    .innerJoin('tenants', 'tenants.id', 'salesforce_api_keys.tenant_id')
    .select(['salesforce_api_keys.tenant_id', 'salesforce_api_keys.key_hash'])
    .where('salesforce_api_keys.id', '=', match[1] as string)
    .where('salesforce_api_keys.revoked_at', 'is', null)
    .where('tenants.status', '=', 'active')
    .where('tenants.crm', '=', 'salesforce')
    .executeTakeFirst();
  if (!row) return null;
  const stored = Buffer.from(row.key_hash, 'hex');
  const given = sha256(key);
  return stored.length === given.length && timingSafeEqual(stored, given) ? row.tenant_id : null;
}
