import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.ts';
import { readTokenCiphertext, writeTokenCiphertext } from '../../store/tables/tenant-tokens.ts';
import { completeAuthorization, type SalesforceOAuthConfig } from './oauth-flow.ts';
import type { EncryptedTokenStore, TokenCipher } from './tokens.ts';

/**
 * The OAuth callback's work in one call: trade the code for tokens and store them encrypted; returns the
 * org's ids for the tenant row (the connector is then built from the stored tokens, by connectors/registry.ts).
 */
export async function connectSalesforceOrg(options: {
  oauth: SalesforceOAuthConfig;
  code: string;
  tokens: EncryptedTokenStore;
  cipher: TokenCipher;
  apiVersion?: string;
  /** The PKCE verifier of the authorization request the code answers (pkce.ts). */
  codeVerifier?: string;
  now?: () => Date;
}): Promise<{ organizationId: string; userId: string; instanceUrl: string }> {
  return completeAuthorization(options.oauth, options.code, {
    store: options.tokens,
    cipher: options.cipher,
    apiVersion: options.apiVersion ?? '62.0',
    ...(options.codeVerifier ? { codeVerifier: options.codeVerifier } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
}

/**
 * Tokens kept in the tenant row (tenants.token_ciphertext), so a refreshed access token survives restarts.
 * The stored JSON is a superset of TenantTokens: accessToken, refreshToken, plus instanceUrl and issuedAt.
 */
export function tenantTokenStore(db: Kysely<Database>, tenantId: string): EncryptedTokenStore {
  return {
    async load() {
      return (await readTokenCiphertext(db, tenantId))?.ciphertext ?? null;
    },
    save: (ciphertext) => writeTokenCiphertext(db, tenantId, ciphertext),
  };
}
