import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import pg from 'pg';
import type { Logger } from '../logging/logger.ts';
import { asStoreError } from './lost-connection.ts';

/**
 * A checked-out client whose lost connection surfaces as StoreUnreachableError. pg emits 'error' on a client
 * whose socket dies while it is checked out; the pool listens only on idle clients, so without the listener
 * `openResilientPool` adds, one `pg_terminate_backend` crashed the process ("Unhandled 'error' event").
 */
class ClassifyingClient implements PostgresPoolClient {
  readonly #client: pg.PoolClient;
  constructor(client: pg.PoolClient) {
    this.#client = client;
  }

  query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query<R>(
    sqlOrCursor: string | PostgresCursor<R>,
    parameters: ReadonlyArray<unknown> = [],
  ): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    if (typeof sqlOrCursor !== 'string') throw new TypeError('cursors are not configured on this store');
    return this.#client.query<R & pg.QueryResultRow>(sqlOrCursor, [...parameters]).then(
      (result) => ({ command: result.command as PostgresQueryResult<R>['command'], rowCount: result.rowCount ?? 0, rows: result.rows }),
      (error: unknown) => {
        throw asStoreError(error);
      },
    );
  }

  release(destroy?: boolean): void {
    // pg drops a client whose connection broke by itself; `destroy` is Kysely's explicit request.
    this.#client.release(destroy === true);
  }
}

/** Keeps a client's connection loss from becoming an uncaught 'error' event; the query in flight rejects by itself. */
export function survivingConnectionLoss(pool: pg.Pool, logger?: Logger): pg.Pool {
  const onLost = (error: Error) => logger?.warn({ err: error }, 'database connection lost; the pool reconnects on next use');
  // Idle clients: pg removes them from the pool and emits here.
  pool.on('error', onLost);
  // Checked-out clients: pg emits on the client itself; once per client, for its whole life.
  pool.on('connect', (client) => client.on('error', onLost));
  return pool;
}

/**
 * The store's pool for Kysely: every connection survives the database dropping it, a failed connect or a lost
 * connection is a StoreUnreachableError, and the next query simply opens a new connection (pg's pool
 * reconnects on demand; the retry with backoff belongs to the unit of work — a job attempt, a request).
 */
export function openResilientPool(config: pg.PoolConfig, logger?: Logger): PostgresPool {
  const pool = survivingConnectionLoss(new pg.Pool(config), logger);
  return {
    options: pool.options,
    async connect() {
      try {
        return new ClassifyingClient(await pool.connect());
      } catch (error) {
        throw asStoreError(error);
      }
    },
    end: () => pool.end(),
  };
}
