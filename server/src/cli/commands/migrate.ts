import { openRuntime } from '../../runtime/runtime.ts';
import type { Command } from '../command.ts';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'Apply pending store migrations (PGlite in CLOSEWISE_DATA_DIR, or PostgreSQL at DATABASE_URL) and exit.',
  async run({ io }) {
    const runtime = await openRuntime(io.env, { LOG_LEVEL: 'warn' });
    try {
      io.stdout.write(`store is up to date (${runtime.store.engine})\n`);
      return 0;
    } finally {
      await runtime.close();
    }
  },
};
