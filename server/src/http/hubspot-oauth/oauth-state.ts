import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { BadInputError, UnauthorizedError } from '../../errors/errors.ts';

/**
 * The OAuth `state` of an install, bound to the browser that started it and good for one callback.
 *
 * /install makes a random nonce with an expiry and hands it out twice, signed each time: in the `state` the CRM
 * sends back to the callback, and in an HttpOnly, SameSite=Lax cookie on the callback's path. The callback
 * accepts only a state whose nonce matches this browser's cookie (so a callback link made in another browser —
 * an attacker's own install, or a victim's stolen code — is refused) and spends the nonce in the store (so a
 * state completes one install only, in any process). No server-side session: nothing is stored until a
 * callback passes both checks, so /install cannot be used to fill a table.
 *
 * Provider-neutral: HubSpot's router uses it now; Salesforce's web-server flow takes another `provider`.
 */
export const STATE_TTL_MS = 10 * 60 * 1000;
/** Spent nonces are kept this long after their state expires, so clock skew between processes cannot revive one. */
const SPENT_MARGIN_MS = 60 * 60 * 1000;

export interface OAuthStateGuardOptions {
  /** e.g. 'hubspot', 'salesforce': separates the cookies, signatures and spent nonces of the flows. */
  provider: string;
  /** The OAuth app's client secret (or another server secret): the key of both signatures. */
  secret: string;
  /** The redirect URI the CRM calls: the cookie is scoped to its path, and Secure when it is https. */
  callbackUrl: string;
  /** Marks a nonce spent until `keepUntil`; false when it already was. Must hold across processes (the store). */
  spendNonce(nonce: string, keepUntil: Date): Promise<boolean>;
  now?: () => number;
}

export interface StartedInstall {
  /** The `state` parameter of the authorization URL. */
  state: string;
  /** The Set-Cookie header that binds the state to this browser. */
  setCookie: string;
  /** The state's one-time nonce, for values derived from it server-side (Salesforce's PKCE verifier). */
  nonce: string;
}

export interface OAuthStateGuard {
  /** For /install. */
  start(): StartedInstall;
  /**
   * For the callback: verifies the state, matches it to the request's Cookie header and spends it; throws
   * UnauthorizedError (401) or BadInputError (400, a state already used). Returns the Set-Cookie header that
   * clears the cookie, and the nonce the state carried (the one `start` returned).
   */
  complete(state: string, cookieHeader: string | undefined): Promise<{ clearCookie: string; nonce: string }>;
}

interface SignedNonce {
  nonce: string;
  expiresAt: number;
}

export function createOAuthStateGuard(options: OAuthStateGuardOptions): OAuthStateGuard {
  const now = options.now ?? Date.now;
  const cookieName = `closewise_oauth_${options.provider}`;
  const callback = new URL(options.callbackUrl);
  const attributes = `Path=${callback.pathname}; HttpOnly; SameSite=Lax${callback.protocol === 'https:' ? '; Secure' : ''}`;
  // Different labels, so a cookie value is never accepted as a state or the other way round.
  const stateToken = signedTokens(options.secret, `${options.provider}:state`);
  const cookieToken = signedTokens(options.secret, `${options.provider}:browser`);

  return {
    start() {
      const signed = { nonce: randomBytes(18).toString('base64url'), expiresAt: now() + STATE_TTL_MS };
      return {
        state: stateToken.sign(signed),
        setCookie: `${cookieName}=${cookieToken.sign(signed)}; Max-Age=${STATE_TTL_MS / 1000}; ${attributes}`,
        nonce: signed.nonce,
      };
    },
    async complete(state, cookieHeader) {
      const fromState = stateToken.verify(state);
      if (!fromState || fromState.expiresAt < now()) {
        throw new UnauthorizedError('The install link has expired or did not come from Closewise; start the install again.');
      }
      const cookie = readCookie(cookieHeader, cookieName);
      if (cookie === undefined) {
        throw new UnauthorizedError(
          'This browser did not start this install (its Closewise install cookie is missing or expired); start the install again in this browser.',
        );
      }
      const fromCookie = cookieToken.verify(cookie);
      if (!fromCookie || !sameText(fromCookie.nonce, fromState.nonce)) {
        throw new UnauthorizedError(
          'This install was started in another browser, or a newer install replaced it; start the install again in this browser.',
        );
      }
      if (!(await options.spendNonce(fromState.nonce, new Date(fromState.expiresAt + SPENT_MARGIN_MS)))) {
        throw new BadInputError('This install link was already used; start the install again.');
      }
      return { clearCookie: `${cookieName}=; Max-Age=0; ${attributes}`, nonce: fromState.nonce };
    },
  };
}

/** `nonce.expiresAt.signature`, HMAC-SHA256 under a key derived from the secret and the token's label. */
function signedTokens(secret: string, label: string) {
  const sign = (payload: string) => createHmac('sha256', `closewise-oauth:${label}:${secret}`).update(payload).digest('base64url');
  return {
    sign: ({ nonce, expiresAt }: SignedNonce) => `${nonce}.${expiresAt}.${sign(`${nonce}.${expiresAt}`)}`,
    verify(token: string): SignedNonce | null {
      const parts = token.split('.');
      if (parts.length !== 3) return null;
      const [nonce, expires, signature] = parts as [string, string, string];
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(nonce) || !/^\d{1,16}$/.test(expires)) return null;
      if (!sameText(sign(`${nonce}.${expires}`), signature)) return null;
      return { nonce, expiresAt: Number(expires) };
    },
  };
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The value of `name` in a Cookie header; with several, the first (browsers send the most specific path first). */
function readCookie(header: string | undefined, name: string): string | undefined {
  for (const pair of (header ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
  }
  return undefined;
}
