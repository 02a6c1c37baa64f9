import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ConfigError } from '../errors/errors.ts';

/**
 * AES-256-GCM for CRM tokens at rest. The stored text is `v1.<iv>.<tag>.<ciphertext>` (base64url parts),
 * so a future key rotation can tell formats apart. GCM's tag makes tampering fail loudly on decrypt.
 */
const VERSION = 'v1';

export function parseEncryptionKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) {
    throw new ConfigError(
      'CLOSEWISE_ENCRYPTION_KEY must be 32 bytes: 64 hex characters or 44 base64 characters (generate one with `openssl rand -hex 32`).',
    );
  }
  return key;
}

export function encryptJson(key: Buffer, value: unknown): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
}

export function decryptJson<T = unknown>(key: Buffer, text: string): T {
  const [version, iv, tag, ciphertext] = text.split('.');
  if (version !== VERSION || !iv || !tag || ciphertext === undefined)
    throw new ConfigError('stored token is not in a format this version can read');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  try {
    const plain = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as T;
  } catch {
    throw new ConfigError('stored token could not be decrypted: CLOSEWISE_ENCRYPTION_KEY differs from the key it was encrypted with');
  }
}
