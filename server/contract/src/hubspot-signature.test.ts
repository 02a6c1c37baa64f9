import { createHmac } from 'node:crypto';
import { Signature } from '@hubspot/api-client';
import { describe, expect, it } from 'vitest';
import { computeSignatureV3, decodeSignedUri } from './hubspot-signature.ts';

const secret = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';
const now = 1_790_000_000_000;
const body = '{"example_field":"example_value"}';
const uri = 'https://www.example.com/webhook_uri?portalId=42';

describe('computeSignatureV3', () => {
  it('matches the HubSpot SDK for a URI without escapes (independent implementation)', () => {
    const sdk = Signature.getSignature('POST', 'v3', { signature: '', clientSecret: secret, requestBody: body, url: uri, timestamp: now });
    expect(computeSignatureV3(secret, { method: 'POST', uri, rawBody: body, timestamp: String(now) })).toBe(sdk);
  });

  it('hashes the URI with the documented escapes decoded, and only those', () => {
    const sent = 'https://x.io/a%3Ab%2Fc?q=%40me%2C%28x%29%20y%25';
    expect(decodeSignedUri(sent)).toBe('https://x.io/a:b/c?q=@me,(x)%20y%25');
    const expected = createHmac('sha256', secret).update(`GET${'https://x.io/a:b/c?q=@me,(x)%20y%25'}${now}`).digest('base64');
    expect(computeSignatureV3(secret, { method: 'GET', uri: sent, rawBody: '', timestamp: String(now) })).toBe(expected);
  });

  it('decodes lower-case escapes too', () => {
    expect(decodeSignedUri('/a%3a%2fb')).toBe('/a:/b');
  });
});
