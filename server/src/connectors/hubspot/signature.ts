import { timingSafeEqual } from 'node:crypto';
import { computeSignatureV3, type SignatureInput } from '@closewise/contract/hubspot-signature';

/** Verifying HubSpot's v3 signature; the algorithm itself is shared with the signers in @closewise/contract. */

/** HubSpot rejects anything older than five minutes; we do the same (and refuse timestamps that far in the future). */
export const MAX_SIGNATURE_AGE_MS = 5 * 60 * 1000;

export type SignatureFailure = 'missing_headers' | 'bad_timestamp' | 'expired' | 'mismatch';

export type SignatureVerdict = { valid: true } | { valid: false; reason: SignatureFailure };

export interface VerifyOptions {
  clientSecret: string;
  /** Current time in epoch ms; injectable so tests can check the age limit without sleeping. */
  now?: number;
  maxAgeMs?: number;
}

export function verifySignatureV3(
  request: Omit<SignatureInput, 'timestamp'> & { signature: string | undefined; timestamp: string | undefined },
  options: VerifyOptions,
): SignatureVerdict {
  const { signature, timestamp } = request;
  if (!signature || !timestamp) return { valid: false, reason: 'missing_headers' };
  if (!/^\d{1,16}$/.test(timestamp)) return { valid: false, reason: 'bad_timestamp' };
  const age = (options.now ?? Date.now()) - Number(timestamp);
  const maxAge = options.maxAgeMs ?? MAX_SIGNATURE_AGE_MS;
  if (age > maxAge || age < -maxAge) return { valid: false, reason: 'expired' };

  const expected = Buffer.from(computeSignatureV3(options.clientSecret, { ...request, timestamp }), 'utf8');
  const received = Buffer.from(signature, 'utf8');
  // timingSafeEqual needs equal lengths; a length mismatch is a mismatch, and leaks only the (public) length.
  if (expected.length !== received.length || !timingSafeEqual(expected, received)) return { valid: false, reason: 'mismatch' };
  return { valid: true };
}
