import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { decryptJson, encryptJson } from '../../security/token-crypto.ts';
import type { Database } from '../../store/schema.ts';
import { upsertTenantRow } from '../../store/tables/tenants.ts';
import { getTenant, type Tenant } from '../../tenants/tenant-repository.ts';
import { connectSalesforceOrg } from './connect.ts';
import type { SalesforceOAuthConfig } from './oauth-flow.ts';
import { aesTokenCipher, memoryTokenStore } from './tokens.ts';

/**
 * Installs an org from the OAuth callback's code. The org id is known only after the code exchange, so the
 * tokens are first encrypted in memory and then written with the tenant row in one upsert: nothing is stored
 * when the exchange fails. A re-install of the same org (after a disconnect, or a revoked refresh token)
 * keeps its tenant — id, API keys, synced data, models — takes the new tokens and is active again. Its
 * connector comes from connectors/registry.ts (installSalesforceOrg).
 */
export async function installSalesforceTenant(
  db: Kysely<Database>,
  encryptionKey: Buffer,
  options: {
    oauth: SalesforceOAuthConfig;
    code: string;
    /** The tenant's display name; `Salesforce org <org id>` when absent. */
    name?: string;
    apiVersion?: string;
    /** The PKCE verifier of the authorization request the code answers. */
    codeVerifier?: string;
  },
): Promise<Tenant> {
  const tokens = memoryTokenStore();
  const { organizationId } = await connectSalesforceOrg({
    oauth: options.oauth,
    code: options.code,
    tokens,
    cipher: aesTokenCipher(encryptionKey, { encryptJson, decryptJson }),
    ...(options.apiVersion ? { apiVersion: options.apiVersion } : {}),
    ...(options.codeVerifier ? { codeVerifier: options.codeVerifier } : {}),
  });
  const row = await upsertTenantRow(db, {
    id: randomUUID(),
    crm: 'salesforce',
    externalId: organizationId,
    name: options.name ?? `Salesforce org ${organizationId}`,
    authMode: 'oauth',
    tokenCiphertext: tokens.current(),
    // Salesforce access tokens carry no expiry; jsforce refreshes on the first 401.
    tokenExpiresAt: null,
    settings: {},
  });
  return getTenant(db, row.id);
}
