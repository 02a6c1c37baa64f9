import type { Router } from 'express';
import { z } from 'zod';
import { salesforceConnectorForTenant } from '../connectors/salesforce/tenant-connector.ts';
import { ConfigError } from '../errors/errors.ts';
import type { JobEngine } from '../jobs/engine.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { getTenant } from '../tenants/tenant-repository.ts';
import { createSalesforceApiRouter } from './salesforce-api/index.ts';

/**
 * The connected app's credentials. They belong in config/config.ts (SALESFORCE_* next to HUBSPOT_*); until
 * they are there, they are read and validated here from the same environment.
 */
const salesforceEnvSchema = z.object({
  SALESFORCE_LOGIN_URL: z.url().default('https://login.salesforce.com'),
  SALESFORCE_CLIENT_ID: z.string().min(1).optional(),
  SALESFORCE_CLIENT_SECRET: z.string().min(1).optional(),
  SALESFORCE_REDIRECT_URL: z.url().optional(),
  SALESFORCE_API_VERSION: z
    .string()
    .regex(/^\d+\.\d$/)
    .default('62.0'),
});

function readSalesforceEnv(env: NodeJS.ProcessEnv) {
  const present = Object.fromEntries(Object.keys(salesforceEnvSchema.shape).flatMap((k) => (env[k] ? [[k, env[k]]] : [])));
  const parsed = salesforceEnvSchema.safeParse(present);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ConfigError(`Invalid ${String(first?.path[0] ?? 'SALESFORCE_*')}: ${first?.message ?? 'invalid value'}`);
  }
  return parsed.data;
}

/**
 * The Salesforce app's HTTP surface: the API the Apex class calls (API key per tenant). Without the
 * connected app's client id and secret, stored org tokens could not be refreshed, so nothing is mounted.
 * `jobs` is taken for parity with hubSpotAppRouters: no Salesforce job handler exists yet, so rescoring
 * runs in the request.
 */
export function salesforceAppRouters(
  runtime: Runtime,
  encryptionKey: Buffer,
  _jobs: JobEngine | null,
  env: NodeJS.ProcessEnv = process.env,
): { path: string; router: Router }[] {
  const sf = readSalesforceEnv(env);
  if (!sf.SALESFORCE_CLIENT_ID || !sf.SALESFORCE_CLIENT_SECRET) return [];
  const db = runtime.store.db;
  const oauth = {
    loginUrl: sf.SALESFORCE_LOGIN_URL,
    clientId: sf.SALESFORCE_CLIENT_ID,
    clientSecret: sf.SALESFORCE_CLIENT_SECRET,
    // Only the authorization step uses it; token refresh does not.
    redirectUri: sf.SALESFORCE_REDIRECT_URL ?? `${runtime.config.PUBLIC_BASE_URL ?? 'http://127.0.0.1'}/oauth/salesforce/callback`,
  };
  const router = createSalesforceApiRouter({
    db,
    connectorFor: async (tenantId) =>
      salesforceConnectorForTenant({
        db,
        encryptionKey,
        tenant: await getTenant(db, tenantId),
        oauth,
        apiVersion: sf.SALESFORCE_API_VERSION,
      }),
  });
  return [{ path: '/', router }];
}
