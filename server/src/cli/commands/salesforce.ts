import { disconnectSalesforceOrg } from '../../connectors/registry.ts';
import { salesforceSettingsFromConfig } from '../../connectors/salesforce/settings-from-config.ts';
import { BadInputError, ConfigError } from '../../errors/errors.ts';
import { issueSalesforceApiKey, revokeSalesforceApiKeys } from '../../http/salesforce-api/api-keys.ts';
import { openRuntime, type Runtime } from '../../runtime/runtime.ts';
import { resolveEncryptionKey } from '../../security/encryption-key.ts';
import { findTenant, type Tenant } from '../../tenants/tenant-repository.ts';
import type { Command, CommandContext } from '../command.ts';

/** The installed Salesforce org named by --org (its 15/18-character org id). */
async function withOrg(ctx: CommandContext, work: (tenant: Tenant, runtime: Runtime) => Promise<void>): Promise<number> {
  const org = ctx.values.org;
  if (typeof org !== 'string' || !/^00D[0-9A-Za-z]{12}([0-9A-Za-z]{3})?$/.test(org)) {
    throw new BadInputError(`--org must be a Salesforce org id (00D… with 15 or 18 characters), got '${org ?? ''}'`);
  }
  const runtime = await openRuntime(ctx.io.env, { LOG_LEVEL: 'warn' });
  try {
    const tenant = await findTenant(runtime.store.db, 'salesforce', org);
    if (!tenant)
      throw new BadInputError(`Salesforce org ${org} is not installed (use the org id as \`closewise status\` shows it); connect it first`);
    await work(tenant, runtime);
    return 0;
  } finally {
    await runtime.close();
  }
}

const REVOCATION_NOTE = {
  revoked: 'its refresh token (and every access token issued from it) was revoked at Salesforce',
  already_invalid: 'Salesforce no longer honoured its token (revoked in Setup, or expired)',
  no_tokens: 'no tokens were stored',
} as const;

export const salesforceCommand: Command = {
  name: 'salesforce',
  summary: 'Manage connected Salesforce orgs: the API keys the package (Named Credential) uses, and disconnecting an org.',
  subcommands: [
    {
      name: 'issue-key',
      summary: "Issue an API key for an org; paste it into the External Credential's ApiKey parameter (shown once).",
      options: { org: { type: 'string' } },
      optionHelp: { org: 'the Salesforce org id (00D…)' },
      run: (ctx) =>
        withOrg(ctx, async (tenant, runtime) => {
          if (tenant.status === 'disabled')
            throw new BadInputError(
              `Salesforce org ${tenant.externalId} is disconnected; install Closewise again (/oauth/salesforce/install), then issue a key`,
            );
          ctx.io.stdout.write(`${await issueSalesforceApiKey(runtime.store.db, tenant.id)}\n`);
        }),
    },
    {
      name: 'revoke-keys',
      summary: "Revoke every API key of an org (the package's calls fail until a new key is set).",
      options: { org: { type: 'string' } },
      optionHelp: { org: 'the Salesforce org id (00D…)' },
      run: (ctx) =>
        withOrg(ctx, async (tenant, runtime) => {
          await revokeSalesforceApiKeys(runtime.store.db, tenant.id);
          ctx.io.stdout.write('revoked\n');
        }),
    },
    {
      name: 'disconnect',
      summary: 'Uninstall an org: revoke its OAuth tokens at Salesforce, delete them, disable the org and revoke its API keys.',
      details:
        'The synced data stays, so installing again (/oauth/salesforce/install) resumes where it stopped. If Salesforce cannot be reached, nothing changes and the command fails: run it again.',
      options: { org: { type: 'string' } },
      optionHelp: { org: 'the Salesforce org id (00D…)' },
      run: (ctx) =>
        withOrg(ctx, async (tenant, runtime) => {
          const salesforce = salesforceSettingsFromConfig(runtime.config);
          if (!salesforce)
            throw new ConfigError(
              'set SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET (and SALESFORCE_LOGIN_URL if not login.salesforce.com): the connected app revokes the tokens',
            );
          const db = runtime.store.db;
          const { revocation } = await disconnectSalesforceOrg(db, resolveEncryptionKey(runtime.config), salesforce.settings.oauth, tenant);
          await revokeSalesforceApiKeys(db, tenant.id);
          ctx.io.stdout.write(
            `disconnected Salesforce org ${tenant.externalId}: ${REVOCATION_NOTE[revocation]}; its API keys are revoked\n`,
          );
        }),
    },
  ],
};
