import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptJson, encryptJson, parseEncryptionKey } from './token-crypto.ts';

describe('token encryption at rest', () => {
  const key = randomBytes(32);

  it('round-trips a token set and never stores the plain text', () => {
    const tokens = { accessToken: 'pat-na1-secret', refreshToken: 'refresh-secret' };
    const stored = encryptJson(key, tokens);
    expect(stored).not.toContain('secret');
    expect(decryptJson(key, stored)).toEqual(tokens);
    expect(encryptJson(key, tokens)).not.toBe(stored);
  });

  it('refuses a tampered ciphertext or the wrong key', () => {
    const stored = encryptJson(key, { a: 1 });
    const parts = stored.split('.');
    const tampered = [...parts.slice(0, 3), Buffer.from('x').toString('base64url') + (parts[3] ?? '')].join('.');
    expect(() => decryptJson(key, tampered)).toThrow(/could not be decrypted/);
    expect(() => decryptJson(randomBytes(32), stored)).toThrow(/could not be decrypted/);
  });

  it('accepts hex and base64 keys of 32 bytes and explains a bad one', () => {
    expect(parseEncryptionKey('ab'.repeat(32))).toHaveLength(32);
    expect(parseEncryptionKey(randomBytes(32).toString('base64'))).toHaveLength(32);
    expect(() => parseEncryptionKey('short')).toThrow(/64 hex characters/);
  });
});
