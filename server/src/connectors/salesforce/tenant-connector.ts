import type { Kysely } from 'kysely';
import { ConfigError } from '../../errors/errors.ts';
import { decryptJson, encryptJson } from '../../security/token-crypto.ts';
import type { Database } from '../../store/schema.ts';
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
  connector?: Partial<Omit<SalesforceConnectorOptions, 'oauth' | 'tokens' | 'cipher' | 'apiVersion'>>;
}

/**
 * The connector for an installed Salesforce tenant, from the encrypted tokens in its tenant row (written by
 * connectSalesforceOrg). A refreshed access token is stored back there, encrypted. Built by connectors/registry.ts.
 */
export function salesforceConnectorForTenant(options: SalesforceTenantConnectorOptions): SalesforceConnector {
  const { tenant } = options;
  if (tenant.crm !== 'salesforce') throw new TypeError(`tenant ${tenant.id} is a ${tenant.crm} tenant, not Salesforce`);
  if (tenant.status === 'disabled') throw new ConfigError(`Salesforce org ${tenant.externalId} is disconnected; install Closewise again`);
  return createSalesforceConnector({
    ...options.connector,
    oauth: options.oauth,
    tokens: tenantTokenStore(options.db, tenant.id),
    cipher: aesTokenCipher(options.encryptionKey, { encryptJson, decryptJson }),
    ...(options.apiVersion ? { apiVersion: options.apiVersion } : {}),
  });
}
