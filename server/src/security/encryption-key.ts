import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../config/config.ts';
import { ConfigError } from '../errors/errors.ts';
import { parseEncryptionKey } from './token-crypto.ts';

let processLifetimeKey: Buffer | undefined;

/**
 * The key that encrypts CRM tokens at rest. Production must pass CLOSEWISE_ENCRYPTION_KEY; on a developer's
 * machine a key is generated once into the data folder (owner-only permissions) so the demo needs no setup.
 */
export function resolveEncryptionKey(config: Pick<Config, 'CLOSEWISE_ENCRYPTION_KEY' | 'NODE_ENV' | 'CLOSEWISE_DATA_DIR'>): Buffer {
  if (config.CLOSEWISE_ENCRYPTION_KEY) return parseEncryptionKey(config.CLOSEWISE_ENCRYPTION_KEY);
  if (config.NODE_ENV === 'production') {
    throw new ConfigError('CLOSEWISE_ENCRYPTION_KEY is required in production (generate one with `openssl rand -hex 32`).');
  }
  // An in-memory store lives as long as the process, and so may its key: writing it to disk would create a
  // folder literally named "memory:" in the working directory.
  if (config.CLOSEWISE_DATA_DIR.startsWith('memory://')) {
    processLifetimeKey ??= randomBytes(32);
    return processLifetimeKey;
  }
  const dir = resolve(config.CLOSEWISE_DATA_DIR);
  const file = join(dir, 'encryption.key');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  }
  return parseEncryptionKey(readFileSync(file, 'utf8'));
}
