import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveEncryptionKey } from './encryption-key.ts';

describe('resolveEncryptionKey without CLOSEWISE_ENCRYPTION_KEY (a developer machine)', () => {
  const cwd = process.cwd();
  let dir: string | undefined;
  afterEach(() => {
    process.chdir(cwd);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the key of an in-memory store in memory: no "memory:" folder appears in the working directory', () => {
    dir = mkdtempSync(join(tmpdir(), 'cw-key-'));
    process.chdir(dir);
    const config = { CLOSEWISE_DATA_DIR: 'memory://', NODE_ENV: 'development' } as const;
    const key = resolveEncryptionKey(config);
    expect(key).toHaveLength(32);
    expect(resolveEncryptionKey(config).equals(key)).toBe(true);
    expect(existsSync(join(dir, 'memory:'))).toBe(false);
  });

  it('generates the key once into the data folder and reads it back after that', () => {
    dir = mkdtempSync(join(tmpdir(), 'cw-key-'));
    const config = { CLOSEWISE_DATA_DIR: join(dir, 'data'), NODE_ENV: 'development' } as const;
    const key = resolveEncryptionKey(config);
    expect(readFileSync(join(dir, 'data', 'encryption.key'), 'utf8')).toBe(key.toString('hex'));
    expect(resolveEncryptionKey(config).equals(key)).toBe(true);
  });
});
