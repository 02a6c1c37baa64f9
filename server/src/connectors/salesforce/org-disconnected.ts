import { ClosewiseError } from '../../errors/errors.ts';

/**
 * Salesforce refused the org's refresh token (`invalid_grant`: the app was revoked in Setup, the integration
 * user was deactivated, or the token expired under the connected app's refresh token policy). The tenant has
 * been disconnected (disabled, tokens deleted); it comes back when an admin installs Closewise again.
 */
export class SalesforceOrgDisconnectedError extends ClosewiseError {
  constructor(reason: string) {
    super(
      'UNAUTHORIZED',
      `Salesforce refused Closewise's refresh token (invalid_grant: ${reason}); the org is disconnected until an admin installs Closewise again (/oauth/salesforce/install)`,
    );
  }
}
