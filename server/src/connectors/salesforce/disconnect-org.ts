import type { Kysely } from 'kysely';
import { UpstreamError } from '../../errors/errors.ts';
import { decryptJson, encryptJson } from '../../security/token-crypto.ts';
import type { Database } from '../../store/schema.ts';
import { disconnectTenantAccess } from '../../store/tables/tenant-tokens.ts';
import type { Tenant } from '../../tenants/tenant-repository.ts';
import { tenantTokenStore } from './connect.ts';
import { oauth2Of, oauthErrorCode, type SalesforceOAuthConfig } from './oauth-flow.ts';
import { aesTokenCipher, loadTokens } from './tokens.ts';

export interface DisconnectedOrg {
  /**
   * 'revoked': Salesforce revoked the refresh token (and with it every access token issued from it);
   * 'already_invalid': Salesforce no longer knew the token (revoked in Setup, or expired);
   * 'no_tokens': nothing was stored to revoke (disconnected before, or never finished installing).
   */
  revocation: 'revoked' | 'already_invalid' | 'no_tokens';
}

/**
 * Uninstall: posts the org's refresh token to /services/oauth2/revoke (jsforce's OAuth2.revokeToken), then
 * disconnects the tenant — disabled, tokens deleted; its synced data stays for a re-install. When Salesforce
 * cannot be reached the tenant is left as it was (the call can be repeated), so a live token is never
 * forgotten while Salesforce still honours it.
 */
export async function disconnectSalesforceOrg(
  db: Kysely<Database>,
  encryptionKey: Buffer,
  oauth: SalesforceOAuthConfig,
  tenant: Tenant,
): Promise<DisconnectedOrg> {
  const cipher = aesTokenCipher(encryptionKey, { encryptJson, decryptJson });
  const refreshToken = await loadTokens(tenantTokenStore(db, tenant.id), cipher).then(
    (tokens) => tokens.refreshToken,
    () => null,
  );
  let revocation: DisconnectedOrg['revocation'] = 'no_tokens';
  if (refreshToken) {
    try {
      await oauth2Of(oauth).revokeToken(refreshToken);
      revocation = 'revoked';
    } catch (error) {
      // Salesforce answers every refusal with 400 (invalid_token, unsupported_token_type): nothing left to revoke.
      const code = oauthErrorCode(error) ?? (error instanceof Error ? error.name : '');
      if (!(code === 'invalid_token' || code === 'unsupported_token_type' || code === 'ERROR_HTTP_400')) {
        throw new UpstreamError(
          `Salesforce's revoke endpoint at ${oauth.loginUrl} did not revoke the token (${error instanceof Error ? error.message : String(error)}); nothing was changed, try again`,
        );
      }
      revocation = 'already_invalid';
    }
  }
  await disconnectTenantAccess(db, tenant.id);
  return { revocation };
}
