import { z } from 'zod';
import { UnauthorizedError } from '../../errors/errors.ts';

/**
 * The OAuth token set of one org, kept only as ciphertext. The connector takes the encrypt/decrypt pair
 * (server/src/security/token-crypto.ts with the tenant key) and a place to keep the text (the tenants
 * table in production, memory in tests), so no plain token ever reaches the store or a log.
 */
export const tokenSetSchema = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
  instanceUrl: z.url(),
  /** https://login.salesforce.com/id/<orgId>/<userId> from the token response. */
  identityUrl: z.string().optional(),
  issuedAt: z.iso.datetime(),
});
export type TokenSet = z.infer<typeof tokenSetSchema>;

export interface TokenCipher {
  encrypt(value: TokenSet): string;
  decrypt(text: string): unknown;
}

export interface EncryptedTokenStore {
  load(): Promise<string | null>;
  save(ciphertext: string): Promise<void>;
}

export function memoryTokenStore(initial: string | null = null): EncryptedTokenStore & { current(): string | null } {
  let value = initial;
  return {
    load: async () => value,
    save: async (ciphertext) => {
      value = ciphertext;
    },
    current: () => value,
  };
}

export async function loadTokens(store: EncryptedTokenStore, cipher: TokenCipher): Promise<TokenSet> {
  const text = await store.load();
  if (!text) throw new UnauthorizedError('Salesforce is not connected: no tokens stored; run the OAuth flow first');
  const parsed = tokenSetSchema.safeParse(cipher.decrypt(text));
  if (!parsed.success) throw new UnauthorizedError('stored Salesforce tokens are unreadable; reconnect the org');
  return parsed.data;
}

export async function saveTokens(store: EncryptedTokenStore, cipher: TokenCipher, tokens: TokenSet): Promise<void> {
  await store.save(cipher.encrypt(tokenSetSchema.parse(tokens)));
}

/** The usual cipher: AES-256-GCM under the tenant key (token-crypto.ts). */
export function aesTokenCipher(
  key: Buffer,
  crypto: { encryptJson(key: Buffer, value: unknown): string; decryptJson(key: Buffer, text: string): unknown },
): TokenCipher {
  return { encrypt: (value) => crypto.encryptJson(key, value), decrypt: (text) => crypto.decryptJson(key, text) };
}
