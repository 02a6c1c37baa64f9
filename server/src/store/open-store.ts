import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import pg from 'pg';
import { StoreUnreachableError } from '../errors/errors.ts';
import type { Logger } from '../logging/logger.ts';
import { migrationProvider } from './migrations/index.ts';
import { createPgliteDialect } from './pglite-dialect.ts';
import { openResilientPool } from './resilient-pool.ts';
import type { Database } from './schema.ts';

export interface Store {
  db: Kysely<Database>;
  engine: 'pglite' | 'postgres';
  close(): Promise<void>;
}

export interface StoreOptions {
  /** PostgreSQL connection string; when absent the embedded PGlite store is used. */
  databaseUrl?: string | undefined;
  /** Folder for PGlite's files; 'memory://' keeps everything in memory (tests). */
  dataDir?: string;
  /** Pool size for PostgreSQL. */
  maxConnections?: number;
  /** Told about connections the database dropped (they are replaced on next use). */
  logger?: Logger;
}

// PostgreSQL's int8 and numeric arrive as strings by default; counts and sums are safe as numbers here.
pg.types.setTypeParser(20, (value) => Number(value));

/** Opens the store, checks it answers, and applies pending migrations before anything else uses it. */
export async function openStore(options: StoreOptions): Promise<Store> {
  const store = options.databaseUrl
    ? await openPostgres(options.databaseUrl, options.maxConnections ?? 10, options.logger)
    : await openPglite(options.dataDir ?? './.closewise');
  try {
    await migrate(store.db);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

async function openPglite(dataDir: string): Promise<Store> {
  const location = dataDir === 'memory://' ? undefined : resolve(dataDir, 'pgdata');
  if (location) mkdirSync(location, { recursive: true });
  const pglite = location ? new PGlite(location) : new PGlite();
  await pglite.waitReady;
  const db = new Kysely<Database>({ dialect: createPgliteDialect(pglite) });
  return { db, engine: 'pglite', close: () => db.destroy() };
}

/** How long a query may wait for a pooled connection before it fails. */
const POOL_WAIT_MS = 60_000;

async function openPostgres(databaseUrl: string, max: number, logger: Logger | undefined): Promise<Store> {
  // Unreachable is told within seconds by a probe of its own. The pool's timeout also bounds the wait for a
  // free connection, which under load (a scoring run's bulk reads queued behind each other) takes longer
  // than a connect: a short one there failed healthy work with "timeout exceeded when trying to connect".
  const probe = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 3000 });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.end();
  } catch (error) {
    await probe.end().catch(() => undefined);
    throw new StoreUnreachableError(
      `cannot reach PostgreSQL at ${describeHost(databaseUrl)}: ${(error as Error).message || (error as NodeJS.ErrnoException).code}. Check DATABASE_URL or start the database.`,
    );
  }
  // A dropped connection, idle or checked out, must not crash the process; the pool replaces it on next use.
  const pool = openResilientPool({ connectionString: databaseUrl, max, connectionTimeoutMillis: POOL_WAIT_MS }, logger);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, engine: 'postgres', close: () => db.destroy() };
}

function describeHost(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `${url.hostname}:${url.port || '5432'}`;
  } catch {
    return 'the configured DATABASE_URL';
  }
}

async function migrate(db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error || failed) {
    throw new Error(`store migration ${failed?.migrationName ?? ''} failed: ${(error as Error)?.message ?? 'unknown error'}`);
  }
}
