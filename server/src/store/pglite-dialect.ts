import type { PGlite } from '@electric-sql/pglite';
import { PostgresDialect } from 'kysely';

/**
 * Kysely talks to pg-style pools. PGlite is one in-process connection, so this adapter hands out
 * that connection to one holder at a time: a transaction's statements never interleave with another's.
 */
export function createPgliteDialect(db: PGlite): PostgresDialect {
  let queue: Promise<void> = Promise.resolve();

  const connect = async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const turn = queue;
    queue = queue.then(() => released);
    await turn;
    return {
      async query(sql: string, parameters: readonly unknown[]) {
        const result = await db.query<Record<string, unknown>>(sql, parameters as unknown[]);
        const command = sql.trimStart().split(/\s+/, 1)[0]?.toUpperCase() ?? '';
        return { command, rowCount: result.affectedRows ?? result.rows.length, rows: result.rows };
      },
      release,
    };
  };

  return new PostgresDialect({ pool: { connect, end: async () => db.close() } as never });
}
