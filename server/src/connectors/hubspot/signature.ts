import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * HubSpot request signature v3 (card `hubspot.fetch` calls and webhooks).
 *
 *   source    = METHOD + URI + rawBody + timestamp
 *   signature = base64(HMAC-SHA256(clientSecret, source))
 *
 * The URI is the full URL HubSpot called (scheme, host, path, query) with a fixed set of
 * percent-escapes decoded first, exactly as HubSpot's docs describe; any other escape stays as sent.
 * @hubspot/api-client's `Signature.isValid` skips that decoding and throws on stale timestamps,
 * which is why this module exists.
 */

export const SIGNATURE_HEADER = 'x-hubspot-signature-v3';
export const TIMESTAMP_HEADER = 'x-hubspot-request-timestamp';

/** HubSpot rejects anything older than five minutes; we do the same (and refuse timestamps that far in the future). */
export const MAX_SIGNATURE_AGE_MS = 5 * 60 * 1000;

/** The escapes HubSpot decodes in the URI before hashing. Nothing else is decoded (e.g. %20 stays %20). */
const DECODED_ESCAPES: Readonly<Record<string, string>> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};

const ESCAPE_PATTERN = /%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi;

export function decodeSignedUri(uri: string): string {
  return uri.replace(ESCAPE_PATTERN, (encoded) => DECODED_ESCAPES[encoded.toUpperCase()] ?? encoded);
}

export interface SignatureInput {
  method: string;
  /** Full URL as HubSpot called it, e.g. https://api.closewise.io/api/hubspot/cards/deals/1?portalId=7 */
  uri: string;
  /** Body bytes exactly as received (empty for GET). */
  rawBody: Buffer | string;
  /** Epoch milliseconds, as sent in X-HubSpot-Request-Timestamp. */
  timestamp: string;
}

/** Computes the base64 v3 signature; used to verify, and by tests and the local preview to sign like HubSpot. */
export function computeSignatureV3(clientSecret: string, input: SignatureInput): string {
  return createHmac('sha256', clientSecret)
    .update(input.method.toUpperCase())
    .update(decodeSignedUri(input.uri))
    .update(typeof input.rawBody === 'string' ? Buffer.from(input.rawBody, 'utf8') : input.rawBody)
    .update(input.timestamp)
    .digest('base64');
}

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
