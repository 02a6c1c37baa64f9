import { describe, expect, it } from 'vitest';
import { loadConfig, maskConfig } from './config.ts';

describe('config', () => {
  it('applies defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.CLOSEWISE_DATA_DIR).toBe('./.closewise');
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.PORT).toBe(3000);
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'not a url' })).toThrow(/DATABASE_URL/);
  });

  it('masks every secret and nothing else', () => {
    const masked = maskConfig(
      loadConfig({
        DATABASE_URL: 'postgres://u:pw@db:5432/x',
        HUBSPOT_ACCESS_TOKEN: 'pat-secret',
        HUBSPOT_CLIENT_SECRET: 'cs',
        CLOSEWISE_ENCRYPTION_KEY: 'k'.repeat(64),
        HOST: '0.0.0.0',
      }),
    );
    expect(masked.DATABASE_URL).toBe('***');
    expect(masked.HUBSPOT_ACCESS_TOKEN).toBe('***');
    expect(masked.HUBSPOT_CLIENT_SECRET).toBe('***');
    expect(masked.CLOSEWISE_ENCRYPTION_KEY).toBe('***');
    expect(masked.HOST).toBe('0.0.0.0');
    expect(JSON.stringify(masked)).not.toMatch(/pat-secret|pw@/);
  });
});
