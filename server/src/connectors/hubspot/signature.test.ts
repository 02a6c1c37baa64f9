import { computeSignatureV3 } from '@closewise/contract/hubspot-signature';
import { describe, expect, it } from 'vitest';
import { MAX_SIGNATURE_AGE_MS, verifySignatureV3 } from './signature.ts';

const secret = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';
const now = 1_790_000_000_000;
const body = '{"example_field":"example_value"}';
const uri = 'https://www.example.com/webhook_uri?portalId=42';

function signed(overrides: Partial<{ method: string; uri: string; rawBody: string; timestamp: string; signature: string }> = {}) {
  const base = { method: 'POST', uri, rawBody: body, timestamp: String(now) };
  const input = { ...base, ...overrides };
  return { ...input, signature: overrides.signature ?? computeSignatureV3(secret, input) };
}

describe('verifySignatureV3', () => {
  const options = { clientSecret: secret, now };

  it('accepts a fresh, correctly signed request', () => {
    expect(verifySignatureV3(signed(), options)).toEqual({ valid: true });
  });

  it('accepts a request signed on the escaped URI the client sent', () => {
    const request = signed({ uri: 'https://x.io/cards?email=a%40b.io' });
    expect(verifySignatureV3({ ...request, uri: 'https://x.io/cards?email=a%40b.io' }, options)).toEqual({ valid: true });
  });

  it('rejects a tampered body, method, URI or secret', () => {
    const request = signed();
    expect(verifySignatureV3({ ...request, rawBody: body.replace('value', 'v4lue') }, options)).toEqual({
      valid: false,
      reason: 'mismatch',
    });
    expect(verifySignatureV3({ ...request, method: 'PUT' }, options)).toEqual({ valid: false, reason: 'mismatch' });
    expect(verifySignatureV3({ ...request, uri: `${uri}0` }, options)).toEqual({ valid: false, reason: 'mismatch' });
    expect(verifySignatureV3(request, { ...options, clientSecret: 'other' })).toEqual({ valid: false, reason: 'mismatch' });
  });

  it('rejects a signature of another length without throwing', () => {
    expect(verifySignatureV3(signed({ signature: 'abc' }), options)).toEqual({ valid: false, reason: 'mismatch' });
  });

  it('rejects timestamps older than five minutes, and accepts one just inside', () => {
    const old = signed({ timestamp: String(now - MAX_SIGNATURE_AGE_MS - 1) });
    expect(verifySignatureV3(old, options)).toEqual({ valid: false, reason: 'expired' });
    const edge = signed({ timestamp: String(now - MAX_SIGNATURE_AGE_MS + 1000) });
    expect(verifySignatureV3(edge, options)).toEqual({ valid: true });
  });

  it('rejects timestamps far in the future (a replay cannot be pre-dated)', () => {
    expect(verifySignatureV3(signed({ timestamp: String(now + MAX_SIGNATURE_AGE_MS + 1) }), options)).toEqual({
      valid: false,
      reason: 'expired',
    });
  });

  it('rejects missing headers and non-numeric timestamps', () => {
    expect(verifySignatureV3({ ...signed(), signature: undefined }, options)).toEqual({ valid: false, reason: 'missing_headers' });
    expect(verifySignatureV3({ ...signed(), timestamp: undefined }, options)).toEqual({ valid: false, reason: 'missing_headers' });
    expect(verifySignatureV3(signed({ timestamp: '17e11' }), options)).toEqual({ valid: false, reason: 'bad_timestamp' });
  });

  it('hashes the raw body bytes (non-ASCII survives)', () => {
    const raw = Buffer.from('{"title":"Rückruf – José"}', 'utf8');
    const request = { method: 'POST', uri, rawBody: raw, timestamp: String(now) };
    const signature = computeSignatureV3(secret, request);
    expect(verifySignatureV3({ ...request, signature }, options)).toEqual({ valid: true });
    expect(verifySignatureV3({ ...request, rawBody: raw.toString('latin1'), signature }, options).valid).toBe(false);
  });
});
