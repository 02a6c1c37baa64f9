import type { PGlite } from '@electric-sql/pglite';
import { type PostgresCursor, PostgresDialect, type PostgresPool, type PostgresPoolClient, type PostgresQueryResult } from 'kysely';

type Command = PostgresQueryResult<unknown>['command'];
const COMMANDS: ReadonlySet<string> = new Set<Command>(['UPDATE', 'DELETE', 'INSERT', 'SELECT', 'MERGE', 'COMMIT', 'ROLLBACK']);

/** The statement's command tag as pg reports it; Kysely reads it to count affected rows and detect a rolled-back commit. */
function commandOf(sql: string): Command {
  const word = sql.trimStart().split(/\s+/, 1)[0]?.toUpperCase() ?? '';
  // Kysely only acts on the tags above; any other statement (BEGIN, CREATE, ANALYZE …) behaves like a SELECT for it.
  return COMMANDS.has(word) ? (word as Command) : 'SELECT';
}

/** The one PGlite connection, lent to one holder at a time: a transaction's statements never interleave with another's. */
class PgliteClient implements PostgresPoolClient {
  readonly #db: PGlite;
  readonly release: () => void;
  constructor(db: PGlite, release: () => void) {
    this.#db = db;
    this.release = release;
  }

  query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query<R>(
    sqlOrCursor: string | PostgresCursor<R>,
    parameters: ReadonlyArray<unknown> = [],
  ): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    if (typeof sqlOrCursor !== 'string') throw new TypeError('PGlite has no cursors: stream queries need PostgreSQL');
    return this.#run<R>(sqlOrCursor, parameters);
  }

  async #run<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> {
    const result = await this.#db.query<R>(sql, [...parameters]);
    return { command: commandOf(sql), rowCount: result.affectedRows ?? result.rows.length, rows: result.rows };
  }
}

/** Kysely talks to pg-style pools; this one hands out PGlite's single connection in turn. */
function createPglitePool(db: PGlite): PostgresPool {
  let queue: Promise<void> = Promise.resolve();
  return {
    options: {},
    async connect() {
      let release!: () => void;
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      const turn = queue;
      queue = queue.then(() => released);
      await turn;
      return new PgliteClient(db, release);
    },
    end: async () => db.close(),
  };
}

export function createPgliteDialect(db: PGlite): PostgresDialect {
  return new PostgresDialect({ pool: createPglitePool(db) });
}
