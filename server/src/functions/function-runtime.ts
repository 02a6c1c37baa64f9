import { type Config, loadConfig } from '../config/config.ts';
import { ConfigError } from '../errors/errors.ts';
import { createLogger } from '../logging/logger.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { openStore } from '../store/open-store.ts';

/** Many short-lived instances each hold a pool: two connections serve one request at a time with room for a health check. */
export const FUNCTION_POOL_MAX = 2;

/**
 * What function mode demands before anything connects. An instance's disk is gone when it is recycled and
 * instances run side by side, so the embedded store cannot hold a tenant: PostgreSQL is required. HubSpot
 * signs the URL it called, which a function behind a Function URL or Cloud Run's front end cannot see
 * reliably (the scheme is lost), so the public URL must be configured when the HubSpot app is.
 */
export function functionModeConfig(env: NodeJS.ProcessEnv): Config & { DATABASE_URL: string } {
  const config = loadConfig(env);
  const { DATABASE_URL } = config;
  if (!DATABASE_URL) {
    throw new ConfigError(
      'function mode needs PostgreSQL: set DATABASE_URL (the embedded store lives on one instance’s disk, which functions do not keep or share).',
    );
  }
  if (config.HUBSPOT_CLIENT_SECRET && !config.PUBLIC_BASE_URL) {
    throw new ConfigError('function mode needs PUBLIC_BASE_URL (the Function URL or custom domain HubSpot calls): HubSpot signs that URL.');
  }
  return { ...config, DATABASE_URL };
}

export interface FunctionRuntime extends Runtime {
  config: Config & { DATABASE_URL: string };
}

/** The runtime of one function instance: validated config, a logger, and the migrated PostgreSQL store with a small pool. */
export async function openFunctionRuntime(env: NodeJS.ProcessEnv): Promise<FunctionRuntime> {
  const config = functionModeConfig(env);
  const logger = createLogger({ level: config.LOG_LEVEL });
  const store = await openStore({ databaseUrl: config.DATABASE_URL, maxConnections: config.CLOSEWISE_DB_POOL_MAX ?? FUNCTION_POOL_MAX });
  return { config, logger, store, close: () => store.close() };
}
