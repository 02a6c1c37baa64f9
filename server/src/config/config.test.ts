import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/errors.ts';
import { loadConfig, maskConfig, requirePublicBaseUrl } from './config.ts';

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

describe('requirePublicBaseUrl (closewise serve)', () => {
  it('refuses production, and any non-loopback bind, without PUBLIC_BASE_URL, naming what to set', () => {
    expect(() => requirePublicBaseUrl(loadConfig({ NODE_ENV: 'production' }), '127.0.0.1')).toThrow(
      /PUBLIC_BASE_URL is required because NODE_ENV=production/,
    );
    expect(() => requirePublicBaseUrl(loadConfig({}), '0.0.0.0')).toThrow(
      /PUBLIC_BASE_URL is required because it binds to 0\.0\.0\.0: set it/,
    );
    expect(() => requirePublicBaseUrl(loadConfig({}), '10.0.0.5')).toThrow(ConfigError);
  });

  it('lets loopback development and any configured origin start', () => {
    for (const host of ['127.0.0.1', 'localhost', '::1', '[::1]', '127.0.0.2'])
      expect(() => requirePublicBaseUrl(loadConfig({}), host)).not.toThrow();
    expect(() =>
      requirePublicBaseUrl(loadConfig({ NODE_ENV: 'production', PUBLIC_BASE_URL: 'https://api.example.com' }), '0.0.0.0'),
    ).not.toThrow();
  });
});

describe('HUBSPOT_AUTHORIZE_URL', () => {
  it("defaults to HubSpot's consent page and takes another HubSpot host or a local sandbox", () => {
    expect(loadConfig({}).HUBSPOT_AUTHORIZE_URL).toBe('https://app.hubspot.com/oauth/authorize');
    const eu = 'https://app-eu1.hubspot.com/oauth/authorize';
    expect(loadConfig({ HUBSPOT_AUTHORIZE_URL: eu }).HUBSPOT_AUTHORIZE_URL).toBe(eu);
    expect(loadConfig({ HUBSPOT_AUTHORIZE_URL: 'http://127.0.0.1:4010/oauth/authorize' }).HUBSPOT_AUTHORIZE_URL).toBe(
      'http://127.0.0.1:4010/oauth/authorize',
    );
  });

  it('refuses what is not a URL, and plain http off this machine (the state would travel in clear)', () => {
    expect(() => loadConfig({ HUBSPOT_AUTHORIZE_URL: 'app.hubspot.com' })).toThrow(/^Invalid HUBSPOT_AUTHORIZE_URL: /);
    expect(() => loadConfig({ HUBSPOT_AUTHORIZE_URL: 'http://app.hubspot.com/oauth/authorize' })).toThrow(
      /Invalid HUBSPOT_AUTHORIZE_URL: must be an https URL \(plain http only on localhost\)/,
    );
    expect(() => loadConfig({ HUBSPOT_AUTHORIZE_URL: 'ftp://app.hubspot.com/oauth/authorize' })).toThrow(ConfigError);
  });
});
