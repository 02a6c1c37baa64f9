import { createHmac } from 'node:crypto';

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
 *
 * Node only (node:crypto): the server verifies with it, tests and the local card preview sign with it.
 * Kept out of the package's main entry so the HubSpot cards, which run in the browser, never load it.
 */

export const SIGNATURE_HEADER = 'x-hubspot-signature-v3';
export const TIMESTAMP_HEADER = 'x-hubspot-request-timestamp';

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
