import { z } from 'zod';

/** What HubSpot knows of a marketplace app when an admin lands on its install URL (the app's Auth settings). */
export interface ConsentApp {
  clientId: string;
  redirectUris: string[];
  /** The app's required scopes; HubSpot puts `oauth` in every app's list. */
  requiredScopes: string[];
  optionalScopes: string[];
}

/** An install URL HubSpot accepts: the scopes the admin will grant, and where to send them back. */
export interface AuthorizeRequest {
  clientId: string;
  redirectUri: string;
  scope: string;
  optionalScope: string;
  state: string | undefined;
  /** The required scopes, plus the optional ones (the sandbox portal has every feature, so all of them). */
  grantedScopes: string[];
}

const authorizeQuery = z.object({
  client_id: z.string().optional(),
  redirect_uri: z.string().optional(),
  scope: z.string().optional(),
  optional_scope: z.string().optional(),
  state: z.string().optional(),
});

/** HubSpot separates scopes with (URL-encoded) spaces; a `+` left in after decoding is taken as one too. */
const scopeList = (text: string | undefined) => (text ?? '').split(/[ +]/).filter(Boolean);

// HubSpot's own wording on its "Couldn't complete the connection" page, where it is known.
const INVALID_CLIENT = 'An invalid client_id was provided. Please contact the app developer.';
const REDIRECT_MISMATCH =
  "Authorization failed because the redirect URL in the install URL is not one of the app's redirect URLs. Please contact the app developer.";
const SCOPE_MISMATCH =
  "Authorization failed because there is a mismatch between the scopes in the install URL and the app's configured scopes. Please contact the app developer.";

/**
 * Checks an install URL's query as HubSpot does before it shows the consent screen: a known client_id, a
 * redirect_uri equal to one of the app's redirect URLs (exactly: no prefix or trailing-slash leniency), and
 * `scope` naming exactly the app's required scopes (a missing one and an unconfigured one both fail), with
 * `optional_scope` only among its optional scopes. `detail` says what differed, for the test that hits it.
 */
export function checkAuthorizeRequest(
  app: ConsentApp,
  query: unknown,
): { ok: true; request: AuthorizeRequest } | { ok: false; message: string; detail?: string } {
  const parsed = authorizeQuery.safeParse(query);
  if (!parsed.success) return { ok: false, message: INVALID_CLIENT, detail: 'query parameters must be single strings' };
  const q = parsed.data;
  if (q.client_id !== app.clientId) return { ok: false, message: INVALID_CLIENT };
  if (q.redirect_uri === undefined || !app.redirectUris.includes(q.redirect_uri)) {
    return {
      ok: false,
      message: REDIRECT_MISMATCH,
      detail: `redirect_uri ${q.redirect_uri ?? '(none)'}; registered: ${app.redirectUris.join(', ')}`,
    };
  }
  const requested = new Set(scopeList(q.scope));
  const optional = scopeList(q.optional_scope);
  const missing = app.requiredScopes.filter((s) => !requested.has(s));
  const unconfigured = [...requested].filter((s) => !app.requiredScopes.includes(s));
  const notOptional = optional.filter((s) => !app.optionalScopes.includes(s));
  if (missing.length || unconfigured.length || notOptional.length) {
    const parts = [
      missing.length ? `missing from scope: ${missing.join(' ')}` : '',
      unconfigured.length ? `in scope but not required by the app: ${unconfigured.join(' ')}` : '',
      notOptional.length ? `in optional_scope but not optional in the app: ${notOptional.join(' ')}` : '',
    ];
    return { ok: false, message: SCOPE_MISMATCH, detail: parts.filter(Boolean).join('; ') };
  }
  return {
    ok: true,
    request: {
      clientId: q.client_id,
      redirectUri: q.redirect_uri,
      scope: q.scope ?? '',
      optionalScope: q.optional_scope ?? '',
      state: q.state,
      grantedScopes: [...new Set([...requested, ...optional])],
    },
  };
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** One page for HubSpot's two install screens: the account chooser and the scope review with "Connect app". */
export function consentPage(request: AuthorizeRequest, portalId: number): string {
  const fields = {
    client_id: request.clientId,
    redirect_uri: request.redirectUri,
    scope: request.scope,
    optional_scope: request.optionalScope,
    state: request.state ?? '',
  };
  const hidden = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`)
    .join('');
  const scopes = request.grantedScopes.map((s) => `<li>${escapeHtml(s)}</li>`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Connect app | HubSpot</title></head><body>
<form method="post" action="/oauth/authorize">${hidden}
<h1>Choose an account</h1>
<fieldset><legend>Accounts you can install this app in</legend>
<label><input type="radio" name="portal_id" value="${portalId}" required> Sandbox portal ${portalId}</label>
</fieldset>
<h2>The app is requesting access to</h2><ul>${scopes}</ul>
<button type="submit">Connect app</button>
</form></body></html>`;
}

/** HubSpot's error screen: the install stops there, nothing goes back to the app. */
export function connectionFailedPage(message: string, detail?: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Couldn’t complete the connection | HubSpot</title></head><body>
<h1>Couldn’t complete the connection</h1>
<p role="alert">${escapeHtml(message)}</p>${detail ? `\n<p class="sandbox-detail">${escapeHtml(detail)}</p>` : ''}
</body></html>`;
}
