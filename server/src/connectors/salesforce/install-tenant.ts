import type { Kysely } from 'kysely';
import { decryptJson, encryptJson } from '../../security/token-crypto.ts';
import type { Database } from '../../store/schema.ts';
import { claimOrgForPendingTenant } from '../../store/tables/tenant-tokens.ts';
import { deleteTenant, getTenant, type Tenant, upsertTenant } from '../../tenants/tenant-repository.ts';
import { connectSalesforceOrg, tenantTokenStore } from './connect.ts';
import type { SalesforceOAuthConfig } from './oauth-flow.ts';
import { aesTokenCipher } from './tokens.ts';

/**
 * Installs an org from the OAuth callback's code. The org id is known only after the code exchange, so the
 * tenant starts as 'pending' and takes the org id once connected; a previous install of the same org is
 * replaced (a re-install starts clean). Its connector comes from connectors/registry.ts (installSalesforceOrg).
 */
export async function installSalesforceTenant(
  db: Kysely<Database>,
  encryptionKey: Buffer,
  options: { oauth: SalesforceOAuthConfig; code: string; name: string; apiVersion?: string },
): Promise<Tenant> {
  await deleteTenant(db, 'salesforce', 'pending');
  const pending = await upsertTenant(db, encryptionKey, {
    crm: 'salesforce',
    externalId: 'pending',
    name: options.name,
    authMode: 'oauth',
    tokens: { accessToken: 'pending' },
  });
  const { organizationId } = await connectSalesforceOrg({
    oauth: options.oauth,
    code: options.code,
    tokens: tenantTokenStore(db, pending.id),
    cipher: aesTokenCipher(encryptionKey, { encryptJson, decryptJson }),
    ...(options.apiVersion ? { apiVersion: options.apiVersion } : {}),
  });
  await claimOrgForPendingTenant(db, pending.id, organizationId);
  return getTenant(db, pending.id);
}
