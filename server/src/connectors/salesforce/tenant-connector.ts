import type { Kysely } from 'kysely';
import { ClosewiseError } from '../../errors/errors.ts';
import { decryptJson, encryptJson } from '../../security/token-crypto.ts';
import type { Database } from '../../store/schema.ts';
import { disconnectTenantAccess } from '../../store/tables/tenant-tokens.ts';
import type { Tenant } from '../../tenants/tenant-repository.ts';
import { tenantTokenStore } from './connect.ts';
import type { SalesforceOAuthConfig } from './oauth-flow.ts';
import { createSalesforceConnector, type SalesforceConnector, type SalesforceConnectorOptions } from './salesforce-connector.ts';
import { aesTokenCipher } from './tokens.ts';

export interface SalesforceTenantConnectorOptions {
  db: Kysely<Database>;
  encryptionKey: Buffer;
  tenant: Tenant;
  /** The connected app's credentials: jsforce needs them to refresh the org's access token. */
  oauth: SalesforceOAuthConfig;
  apiVersion?: string;
  connector?: Partial<Omit<SalesforceConnectorOptions, 'oauth' | 'tokens' | 'cipher' | 'apiVersion' | 'onRevoked'>>;
}

/**
 * The connector for an installed Salesforce tenant, from the encrypted tokens in its tenant row (written by
 * connectSalesforceOrg). A refreshed access token is stored back there, encrypted; a refresh token Salesforce
 * refuses (invalid_grant) disconnects the tenant (disabled, tokens deleted: `closewise status` shows it).
 * Built by connectors/registry.ts.
 */
export function salesforceConnectorForTenant(options: SalesforceTenantConnectorOptions): SalesforceConnector {
  const { tenant } = options;
  if (tenant.crm !== 'salesforce') throw new TypeError(`tenant ${tenant.id} is a ${tenant.crm} tenant, not Salesforce`);
  if (tenant.status === 'disabled')
    // A state of the tenant, not a server fault: 409, and the way out.
    throw new ClosewiseError(
      'CONFLICT',
      `Salesforce org ${tenant.externalId} is disconnected; an admin installs Closewise again (/oauth/salesforce/install)`,
    );
  return createSalesforceConnector({
    ...options.connector,
    oauth: options.oauth,
    tokens: tenantTokenStore(options.db, tenant.id),
    cipher: aesTokenCipher(options.encryptionKey, { encryptJson, decryptJson }),
    ...(options.apiVersion ? { apiVersion: options.apiVersion } : {}),
    onRevoked: () => disconnectTenantAccess(options.db, tenant.id),
  });
}
