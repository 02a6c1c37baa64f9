import type { Config } from '../../config/config.ts';
import type { SalesforceSettings } from '../registry.ts';

/** Where Salesforce sends the admin back after consent, unless SALESFORCE_REDIRECT_URL says otherwise. */
export const SALESFORCE_CALLBACK_PATH = '/oauth/salesforce/callback';

/**
 * The connected app from SALESFORCE_* (config/config.ts), or null without its consumer key and secret. The
 * callback URL is SALESFORCE_REDIRECT_URL, else PUBLIC_BASE_URL + /oauth/salesforce/callback; `redirectUri`
 * is null when neither is set (token refresh does not need one; an install does).
 */
export function salesforceSettingsFromConfig(
  config: Pick<
    Config,
    | 'SALESFORCE_CLIENT_ID'
    | 'SALESFORCE_CLIENT_SECRET'
    | 'SALESFORCE_LOGIN_URL'
    | 'SALESFORCE_REDIRECT_URL'
    | 'SALESFORCE_API_VERSION'
    | 'PUBLIC_BASE_URL'
  >,
): { settings: SalesforceSettings; redirectUri: string | null } | null {
  if (!config.SALESFORCE_CLIENT_ID || !config.SALESFORCE_CLIENT_SECRET) return null;
  const redirectUri =
    config.SALESFORCE_REDIRECT_URL ??
    (config.PUBLIC_BASE_URL ? `${config.PUBLIC_BASE_URL.replace(/\/+$/, '')}${SALESFORCE_CALLBACK_PATH}` : null);
  return {
    settings: {
      oauth: {
        loginUrl: config.SALESFORCE_LOGIN_URL.replace(/\/+$/, ''),
        clientId: config.SALESFORCE_CLIENT_ID,
        clientSecret: config.SALESFORCE_CLIENT_SECRET,
        // Refreshing and revoking tokens do not send it; only an install does, and it then has one.
        redirectUri: redirectUri ?? `http://127.0.0.1${SALESFORCE_CALLBACK_PATH}`,
      },
      apiVersion: config.SALESFORCE_API_VERSION,
    },
    redirectUri,
  };
}
