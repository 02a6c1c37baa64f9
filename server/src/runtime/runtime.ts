import { type Config, loadConfig } from '../config/config.ts';
import { createLogger, type Logger } from '../logging/logger.ts';
import { openStore, type Store } from '../store/open-store.ts';

/** What every long-running command needs: validated config, a logger, and a migrated store. */
export interface Runtime {
  config: Config;
  logger: Logger;
  store: Store;
  close(): Promise<void>;
}

export async function openRuntime(env: NodeJS.ProcessEnv, overrides: Partial<Config> = {}): Promise<Runtime> {
  const config = { ...loadConfig(env), ...overrides };
  const logger = createLogger({ level: config.LOG_LEVEL });
  const store = await openStore({ databaseUrl: config.DATABASE_URL, dataDir: config.CLOSEWISE_DATA_DIR, logger });
  return { config, logger, store, close: () => store.close() };
}
