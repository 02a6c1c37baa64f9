import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { NotFoundError } from '../../errors/errors.ts';
import type { Database } from '../../store/schema.ts';
import { findLiveApiKey, insertApiKey, revokeApiKeys } from '../../store/tables/salesforce-api-keys.ts';
import { selectTenantOfCrm } from '../../store/tables/tenants.ts';

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
  if (!(await selectTenantOfCrm(db, tenantId, 'salesforce'))) throw new NotFoundError(`no Salesforce tenant ${tenantId}`);
  const id = randomBytes(6).toString('hex');
  const key = `cwsf_${id}_${randomBytes(32).toString('base64url')}`;
  await insertApiKey(db, tenantId, id, sha256(key).toString('hex'));
  return key;
}

/** Revokes every key of a tenant (a leaked key is replaced by issuing a new one after this). */
export async function revokeSalesforceApiKeys(db: Kysely<Database>, tenantId: string): Promise<number> {
  return revokeApiKeys(db, tenantId, new Date());
}

/**
 * The tenant a key belongs to, or null for a malformed, unknown or revoked key, or a disabled tenant.
 * The hash comparison is constant-time; the SQL lookup is by the public id only.
 */
export async function tenantOfApiKey(db: Kysely<Database>, key: string): Promise<string | null> {
  const match = KEY_PATTERN.exec(key);
  if (!match) return null;
  const row = await findLiveApiKey(db, match[1] as string);
  if (!row) return null;
  const stored = Buffer.from(row.keyHash, 'hex');
  const given = sha256(key);
  return stored.length === given.length && timingSafeEqual(stored, given) ? row.tenantId : null;
}
