import { createHash, createHmac } from 'node:crypto';

/**
 * PKCE (RFC 7636, S256) for the web-server flow. The verifier never leaves the server: it is derived from
 * the install's one-time state nonce under a server key (HMAC-SHA256), so the callback that spends that
 * nonce recomputes it, and /install stores nothing (a visitor cannot fill a table by opening it). Only its
 * challenge, base64url(SHA-256(verifier)), goes to Salesforce in the authorization URL.
 */
export interface Pkce {
  codeVerifier: string;
  codeChallenge: string;
}

/** 43 base64url characters (256 bits): the shortest verifier RFC 7636 allows, and as strong as it needs. */
export function pkceForNonce(key: Buffer | string, nonce: string): Pkce {
  const codeVerifier = createHmac('sha256', key).update(`closewise-oauth:salesforce:pkce:${nonce}`).digest('base64url');
  return { codeVerifier, codeChallenge: createHash('sha256').update(codeVerifier).digest('base64url') };
}
