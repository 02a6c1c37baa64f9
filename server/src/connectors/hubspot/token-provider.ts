import type { Kysely } from 'kysely';
import { decryptJson, encryptJson } from '../../security/token-crypto.ts';
import type { Database } from '../../store/schema.ts';
import { disableTenantAccess, readTokenCiphertext, writeTokenCiphertext } from '../../store/tables/tenant-tokens.ts';
import type { TenantTokens } from '../../tenants/tenant-repository.ts';
import { HubSpotAppUninstalledError, HubSpotUnauthorizedError } from './errors.ts';
import { type HubSpotOAuthConfig, InvalidGrantError, refreshAccessToken } from './oauth.ts';

/** Supplies the bearer token for a portal's calls. */
export interface TokenProvider {
  current(): Promise<string>;
  /** After a 401 with `rejected`: a fresh token to retry with, or null when there is none to get. */
  refreshAfterUnauthorized(rejected: string): Promise<string | null>;
}

/** Private-app mode (single-portal installs): one token that never expires; a 401 means it was rotated. */
export function staticTokenProvider(accessToken: string): TokenProvider {
  return { current: async () => accessToken, refreshAfterUnauthorized: async () => null };
}

/** HubSpot access tokens live 30 minutes; refresh this long before they run out so no call races the expiry. */
export const REFRESH_MARGIN_MS = 5 * 60 * 1000;

export interface StoredTokenOptions {
  db: Kysely<Database>;
  encryptionKey: Buffer;
  tenantId: string;
  portalId: string;
  oauth: HubSpotOAuthConfig;
  now?: () => number;
}

/**
 * OAuth mode: tokens live encrypted in the tenant row. The access token is refreshed before it expires and
 * after a 401; a refresh answered with invalid_grant disables the tenant (the customer uninstalled us).
 * One refresh at a time per provider; before refreshing it re-reads the row, so another process's fresh
 * token is used instead of spending the refresh token twice.
 */
export function storedOAuthTokenProvider(options: StoredTokenOptions): TokenProvider {
  const now = options.now ?? Date.now;
  let cached: TenantTokens | undefined;
  let refreshing: Promise<TenantTokens> | undefined;

  const load = async (): Promise<TenantTokens> => {
    const row = await readTokenCiphertext(options.db, options.tenantId);
    if (!row || row.disabled) throw new HubSpotAppUninstalledError(options.portalId);
    if (!row.ciphertext)
      throw new HubSpotUnauthorizedError(`tenant ${options.tenantId} has no stored HubSpot tokens; install the app again`);
    return decryptJson<TenantTokens>(options.encryptionKey, row.ciphertext);
  };

  const fresh = (tokens: TenantTokens) => !tokens.expiresAt || Date.parse(tokens.expiresAt) - REFRESH_MARGIN_MS > now();

  const refresh = (rejected: string | undefined): Promise<TenantTokens> => {
    refreshing ??= (async () => {
      const stored = await load();
      if (stored.accessToken !== rejected && fresh(stored)) return stored;
      if (!stored.refreshToken)
        throw new HubSpotUnauthorizedError(`tenant ${options.tenantId} has no refresh token; install the app again`);
      try {
        const tokens = await refreshAccessToken(options.oauth, stored.refreshToken, now);
        const next: TenantTokens = {
          accessToken: tokens.accessToken,
          refreshToken: tokens.refreshToken,
          expiresAt: tokens.expiresAt.toISOString(),
        };
        await writeTokenCiphertext(options.db, options.tenantId, encryptJson(options.encryptionKey, next), next.expiresAt ?? null);
        return next;
      } catch (error) {
        if (error instanceof InvalidGrantError) {
          await disableTenantAccess(options.db, options.tenantId);
          throw new HubSpotAppUninstalledError(options.portalId);
        }
        throw error;
      }
    })().finally(() => {
      refreshing = undefined;
    });
    return refreshing.then((tokens) => {
      cached = tokens;
      return tokens;
    });
  };

  return {
    async current() {
      cached ??= await load();
      if (!fresh(cached)) cached = await refresh(cached.accessToken);
      return cached.accessToken;
    },
    async refreshAfterUnauthorized(rejected) {
      return (await refresh(rejected)).accessToken;
    },
  };
}
