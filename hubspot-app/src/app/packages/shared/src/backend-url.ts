/**
 * Where the cards and the settings page find the Closewise backend: the CLOSEWISE_API_BASE_URL variable of the
 * HubSpot project profile the app was built with (src/hsprofile.<name>.json). HubSpot substitutes the same variable
 * into app-hsmeta.json (permittedUrls.fetch, auth.redirectUrls) and webhooks-hsmeta.json (targetUrl) at build time
 * and hands the profile's variables to every UI extension as `context.variables`, so one profile value moves all
 * four. There is deliberately no fallback URL: a build without the variable must not quietly call someone else's
 * backend (hubspot.fetch would refuse it anyway, since permittedUrls.fetch comes from the same variable).
 */
export const BACKEND_URL_VARIABLE = 'CLOSEWISE_API_BASE_URL';

export const BACKEND_NOT_CONFIGURED_MESSAGE =
  `This Closewise app was built without a valid ${BACKEND_URL_VARIABLE} (an https origin). ` +
  'Set it in the project profile (hubspot-app/src/hsprofile.<name>.json) and upload again with --profile <name>.';

/** The backend origin without a trailing slash, or null when the profile did not provide an https origin. */
export function backendUrlFrom(variables: Record<string, unknown> | undefined): string | null {
  const value = variables?.[BACKEND_URL_VARIABLE];
  if (typeof value !== 'string') return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.pathname !== '/' || url.search || url.hash) return null;
  return url.origin;
}
