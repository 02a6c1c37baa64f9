/**
 * Where the cards find the Closewise backend. A HubSpot project profile can set the
 * CLOSEWISE_API_BASE_URL variable (context.variables) per environment; the fallback is production.
 * It must also be listed in app-hsmeta.json permittedUrls.fetch, or hubspot.fetch refuses it.
 */
export const DEFAULT_API_BASE_URL = 'https://api.closewise.io';

export function backendUrlFrom(variables: Record<string, unknown> | undefined): string {
  const value = variables?.['CLOSEWISE_API_BASE_URL'];
  return typeof value === 'string' && value.startsWith('https://') ? value : DEFAULT_API_BASE_URL;
}
