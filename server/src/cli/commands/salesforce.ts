import { BadInputError } from '../../errors/errors.ts';
import { issueSalesforceApiKey, revokeSalesforceApiKeys } from '../../http/salesforce-api/api-keys.ts';
import { openRuntime } from '../../runtime/runtime.ts';
import { findTenant } from '../../tenants/tenant-repository.ts';
import type { Command, CommandContext } from '../command.ts';

/** The installed Salesforce org named by --org (its 15/18-character org id). */
async function withOrg(
  ctx: CommandContext,
  work: (tenantId: string, db: Awaited<ReturnType<typeof openRuntime>>['store']['db']) => Promise<void>,
): Promise<number> {
  const org = ctx.values.org;
  if (typeof org !== 'string' || !/^00D[0-9A-Za-z]{12}([0-9A-Za-z]{3})?$/.test(org)) {
    throw new BadInputError(`--org must be a Salesforce org id (00D… with 15 or 18 characters), got '${org ?? ''}'`);
  }
  const runtime = await openRuntime(ctx.io.env, { LOG_LEVEL: 'warn' });
  try {
    const tenant = await findTenant(runtime.store.db, 'salesforce', org);
    if (!tenant)
      throw new BadInputError(`Salesforce org ${org} is not installed (use the org id as \`closewise status\` shows it); connect it first`);
    await work(tenant.id, runtime.store.db);
    return 0;
  } finally {
    await runtime.close();
  }
}

export const salesforceCommand: Command = {
  name: 'salesforce',
  summary: 'Manage the API keys the Salesforce package (Named Credential) uses to call this backend.',
  subcommands: [
    {
      name: 'issue-key',
      summary: "Issue an API key for an org; paste it into the External Credential's ApiKey parameter (shown once).",
      options: { org: { type: 'string' } },
      optionHelp: { org: 'the Salesforce org id (00D…)' },
      run: (ctx) =>
        withOrg(ctx, async (tenantId, db) => {
          ctx.io.stdout.write(`${await issueSalesforceApiKey(db, tenantId)}\n`);
        }),
    },
    {
      name: 'revoke-keys',
      summary: "Revoke every API key of an org (the package's calls fail until a new key is set).",
      options: { org: { type: 'string' } },
      optionHelp: { org: 'the Salesforce org id (00D…)' },
      run: (ctx) =>
        withOrg(ctx, async (tenantId, db) => {
          await revokeSalesforceApiKeys(db, tenantId);
          ctx.io.stdout.write('revoked\n');
        }),
    },
  ],
};
