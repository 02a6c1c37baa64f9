import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The OAuth `state` parameter: a random nonce and an expiry, signed, so the callback can tell that it
 * answers an install we started (CSRF) without keeping server-side sessions.
 */
export const STATE_TTL_MS = 10 * 60 * 1000;

const sign = (secret: string, payload: string) =>
  createHmac('sha256', `closewise-oauth-state:${secret}`).update(payload).digest('base64url');

export function createOAuthState(secret: string, now: number = Date.now()): string {
  const payload = `${randomBytes(12).toString('base64url')}.${now + STATE_TTL_MS}`;
  return `${payload}.${sign(secret, payload)}`;
}

export function verifyOAuthState(secret: string, state: string, now: number = Date.now()): boolean {
  const parts = state.split('.');
  if (parts.length !== 3) return false;
  const [nonce, expires, signature] = parts as [string, string, string];
  const expected = Buffer.from(sign(secret, `${nonce}.${expires}`));
  const received = Buffer.from(signature);
  if (expected.length !== received.length || !timingSafeEqual(expected, received)) return false;
  return /^\d+$/.test(expires) && Number(expires) >= now;
}
