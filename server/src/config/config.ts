import { z } from 'zod';
import { HUBSPOT_TIERS } from '../connectors/hubspot/api-limits.ts';
import { HUBSPOT_AUTHORIZE_URL } from '../connectors/hubspot/oauth.ts';
import { ConfigError } from '../errors/errors.ts';

/** Marks a schema as holding a secret: its value is masked wherever config is logged or printed. */
const secret = <T extends z.ZodType>(schema: T) => schema.meta({ secret: true });

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Folder of the embedded PGlite store; ignored when DATABASE_URL is set. */
  CLOSEWISE_DATA_DIR: z.string().default('./.closewise'),
  /** PostgreSQL connection string; when set it replaces the embedded store. */
  DATABASE_URL: secret(z.string().url().optional()),
  /** 32-byte key (64 hex chars or base64) for AES-256-GCM encryption of CRM tokens at rest. */
  CLOSEWISE_ENCRYPTION_KEY: secret(z.string().min(32).optional()),
  /** Base URL of the HubSpot API: the real one in production, a local sandbox in tests and the demo. */
  HUBSPOT_BASE_PATH: z.string().url().default('https://api.hubapi.com'),
  /** Private-app token for single-portal installs: `serve` installs that portal at start. */
  HUBSPOT_ACCESS_TOKEN: secret(z.string().min(1).optional()),
  /**
   * The private-app portal's HubSpot subscription tier; its API limits follow it (Free/Starter 100 requests / 10 s
   * and 250,000 a day, Professional 190 and 625,000, Enterprise 190 and 1,000,000). Default: the strictest.
   */
  HUBSPOT_TIER: z.enum(HUBSPOT_TIERS, { message: 'must be free, starter, professional or enterprise' }).default('free'),
  HUBSPOT_CLIENT_ID: z.string().min(1).optional(),
  HUBSPOT_CLIENT_SECRET: secret(z.string().min(1).optional()),
  HUBSPOT_APP_ID: z.string().min(1).optional(),
  HUBSPOT_REDIRECT_URL: z.string().url().optional(),
  /**
   * HubSpot's consent page, where /oauth/hubspot/install sends the admin: app.hubspot.com by default, another
   * HubSpot host (app-eu1.hubspot.com for EU accounts) or an account-specific /oauth/<account id>/authorize;
   * a local sandbox's page in tests.
   */
  HUBSPOT_AUTHORIZE_URL: z
    .string()
    .url()
    .refine(isHttpsOrLoopback, 'must be an https URL (plain http only on localhost), e.g. https://app-eu1.hubspot.com/oauth/authorize')
    .default(HUBSPOT_AUTHORIZE_URL),
  /** Salesforce connected app (OAuth web-server flow; refreshing stored org tokens). */
  SALESFORCE_LOGIN_URL: z.string().url().default('https://login.salesforce.com'),
  SALESFORCE_CLIENT_ID: z.string().min(1).optional(),
  SALESFORCE_CLIENT_SECRET: secret(z.string().min(1).optional()),
  SALESFORCE_REDIRECT_URL: z.string().url().optional(),
  SALESFORCE_API_VERSION: z
    .string()
    .regex(/^\d+\.\d$/, 'must look like 62.0')
    .default('62.0'),
  /** Public URL of this backend, used in card links and OAuth redirects. */
  PUBLIC_BASE_URL: z.string().url().optional(),
  /** PostgreSQL pool size per process; function mode defaults to 2 (many small instances), the rest to 10. */
  CLOSEWISE_DB_POOL_MAX: z.coerce.number().int().min(1).max(100).optional(),
  /** Shared secret Cloud Scheduler sends in X-Closewise-Scheduler-Secret to the scheduled and drain functions. */
  CLOSEWISE_SCHEDULER_SECRET: secret(z.string().min(16, 'must be at least 16 characters').optional()),
  /** How long one drain invocation works the queues before leaving the rest for the next one. */
  CLOSEWISE_DRAIN_BUDGET_SECONDS: z.coerce.number().int().min(5).max(900).default(600),
});

export type Config = z.infer<typeof configSchema>;

const SECRET_KEYS: ReadonlySet<string> = new Set(
  Object.entries(configSchema.shape)
    .filter(([, schema]) => (schema as z.ZodType).meta()?.secret === true)
    .map(([key]) => key),
);

export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(key);
}

/** Reads and validates the environment; a bad value names the variable and what it must be. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const relevant = Object.fromEntries(
    Object.keys(configSchema.shape)
      .filter((key) => env[key] !== undefined && env[key] !== '')
      .map((key) => [key, env[key]]),
  );
  const parsed = configSchema.safeParse(relevant);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const name = String(first?.path[0] ?? 'environment');
    throw new ConfigError(
      `Invalid ${name}: ${first?.message ?? 'invalid value'}. Fix it in the environment (the settings file your service manager reads; .env.example lists every variable).`,
    );
  }
  return parsed.data;
}

/** An admin's browser is sent there with the OAuth state: only over TLS, unless it never leaves this machine. */
function isHttpsOrLoopback(value: string): boolean {
  const url = URL.parse(value);
  return url?.protocol === 'https:' || (url?.protocol === 'http:' && isLoopbackHost(url.hostname));
}

/** Whether `serve` bound to this address is reachable only from this machine. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(?:\.\d{1,3}){3}$/.test(bare) || bare === '::ffff:127.0.0.1';
}

/**
 * `closewise serve` in production, or reachable from other machines, must know its public origin: the HubSpot
 * signature covers the full URL, and without PUBLIC_BASE_URL the only origin at hand would be the caller's own
 * Host header. Loopback development (tests, the demo) may go without it.
 */
export function requirePublicBaseUrl(config: Pick<Config, 'NODE_ENV' | 'PUBLIC_BASE_URL'>, bindHost: string): void {
  if (config.PUBLIC_BASE_URL) return;
  const why = config.NODE_ENV === 'production' ? 'NODE_ENV=production' : isLoopbackHost(bindHost) ? null : `it binds to ${bindHost}`;
  if (why === null) return;
  throw new ConfigError(
    `PUBLIC_BASE_URL is required because ${why}: set it to the public origin HubSpot and Salesforce call, e.g. PUBLIC_BASE_URL=https://api.example.com`,
  );
}

/** A copy safe to log: secrets replaced, passwords in URLs hidden. */
export function maskConfig(config: Config): Record<string, unknown> {
  return Object.fromEntries(Object.entries(config).map(([key, value]) => [key, isSecretKey(key) && value !== undefined ? '***' : value]));
}
