import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.ts';
import { completeAuthorization, type SalesforceOAuthConfig } from './oauth-flow.ts';
import { SalesforceConnector, type SalesforceConnectorOptions } from './salesforce-connector.ts';
import type { EncryptedTokenStore, TokenCipher } from './tokens.ts';

/**
 * The OAuth callback's work in one call: trade the code for tokens, store them encrypted, and return the
 * connector for the org (with the org's ids for the tenant row).
 */
export async function connectSalesforceOrg(
  options: Omit<SalesforceConnectorOptions, 'tokens' | 'cipher' | 'oauth'> & {
    oauth: SalesforceOAuthConfig;
    code: string;
    tokens: EncryptedTokenStore;
    cipher: TokenCipher;
  },
): Promise<{ connector: SalesforceConnector; organizationId: string; userId: string; instanceUrl: string }> {
  const apiVersion = options.apiVersion ?? '62.0';
  const org = await completeAuthorization(options.oauth, options.code, {
    store: options.tokens,
    cipher: options.cipher,
    apiVersion,
    ...(options.now ? { now: options.now } : {}),
  });
  const { code: _code, ...connectorOptions } = options;
  return { connector: new SalesforceConnector({ ...connectorOptions, apiVersion }), ...org };
}

/**
 * Tokens kept in the tenant row (tenants.token_ciphertext), so a refreshed access token survives restarts.
 * The stored JSON is a superset of TenantTokens: accessToken, refreshToken, plus instanceUrl and issuedAt.
 */
export function tenantTokenStore(db: Kysely<Database>, tenantId: string): EncryptedTokenStore {
  return {
    async load() {
      const row = await db.selectFrom('tenants').select('token_ciphertext').where('id', '=', tenantId).executeTakeFirst();
      return row?.token_ciphertext ?? null;
    },
    async save(ciphertext) {
      await db.updateTable('tenants').set({ token_ciphertext: ciphertext }).where('id', '=', tenantId).execute();
    },
  };
}
