import { describe, expect, it } from 'vitest';
import { createOAuthStateGuard, type OAuthStateGuardOptions } from './oauth-state.ts';

/** The guard on its own, with a spent-nonce set standing in for the store (the router test runs the real one). */
function guard(overrides: Partial<OAuthStateGuardOptions> = {}) {
  const spent = new Set<string>();
  return createOAuthStateGuard({
    provider: 'salesforce',
    secret: 's3cret',
    callbackUrl: 'https://api.closewise.test/oauth/salesforce/callback',
    spendNonce: async (nonce) => !spent.has(nonce) && Boolean(spent.add(nonce)),
    ...overrides,
  });
}
const cookieOf = (setCookie: string) => setCookie.split(';')[0] ?? '';

describe('OAuth state guard', () => {
  it('marks the cookie Secure when the callback is https, names it per provider, and clears it on success', async () => {
    const started = guard().start();
    expect(started.setCookie).toMatch(/^closewise_oauth_salesforce=/);
    expect(started.setCookie.split('; ')).toEqual(
      expect.arrayContaining(['HttpOnly', 'SameSite=Lax', 'Secure', 'Path=/oauth/salesforce/callback']),
    );
    const { clearCookie } = await guard().complete(started.state, `other=1; ${cookieOf(started.setCookie)}`);
    expect(clearCookie).toBe('closewise_oauth_salesforce=; Max-Age=0; Path=/oauth/salesforce/callback; HttpOnly; SameSite=Lax; Secure');
  });

  it('does not accept one provider’s state and cookie for another, nor a cookie whose signature was altered', async () => {
    const hubspot = guard({ provider: 'hubspot' }).start();
    await expect(guard().complete(hubspot.state, cookieOf(hubspot.setCookie))).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const own = guard().start();
    const tampered = `${cookieOf(own.setCookie).slice(0, -2)}xx`;
    await expect(guard().complete(own.state, tampered)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('refuses an expired state even with its cookie, and spends a state once', async () => {
    let clock = 1_000_000;
    const g = guard({ now: () => clock });
    const first = g.start();
    clock += 10 * 60 * 1000 + 1;
    await expect(g.complete(first.state, cookieOf(first.setCookie))).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const second = g.start();
    await g.complete(second.state, cookieOf(second.setCookie));
    await expect(g.complete(second.state, cookieOf(second.setCookie))).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });
});
