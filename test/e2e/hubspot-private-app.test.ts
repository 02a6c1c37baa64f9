import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type HubSpotSandbox, startHubSpotSandbox } from '@closewise/sandboxes/hubspot';
import { generateSyntheticPortal } from '@closewise/sandboxes/seed/synthetic-portal';
import { type ClosewiseProcess, freePort, startClosewise } from '@closewise/server/test-support/closewise-process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedCardRead, waitForScoredDeal } from './test-support/signed-card.ts';

/**
 * Issue #14, private-app mode as docs/install-hubspot.md says to run it: `closewise serve` with
 * HUBSPOT_ACCESS_TOKEN (and the app's client secret, for signed cards) against a Free-tier sandbox portal
 * installs the portal at start, syncs, trains and scores it, and answers a signed card read with a score;
 * a restart installs nothing twice; `closewise status` shows the tenant.
 */
describe('closewise serve in private-app mode', () => {
  let sandbox: HubSpotSandbox;
  let serve: ClosewiseProcess | undefined;
  let origin: string;
  let env: Record<string, string>;
  let dealIds: string[];
  const dataDir = mkdtempSync(join(tmpdir(), 'closewise-private-app-'));

  beforeAll(async () => {
    sandbox = await startHubSpotSandbox({ tier: 'free', timeZone: 'America/New_York' });
    const { ids } = sandbox.loadPortal(generateSyntheticPortal({ seed: 21, contacts: 300 }));
    dealIds = [...ids.deals.values()];
    origin = `http://127.0.0.1:${await freePort()}`;
    env = {
      CLOSEWISE_DATA_DIR: dataDir,
      CLOSEWISE_ENCRYPTION_KEY: 'c'.repeat(64),
      PUBLIC_BASE_URL: origin,
      HUBSPOT_BASE_PATH: sandbox.url,
      HUBSPOT_ACCESS_TOKEN: sandbox.privateAppToken,
      HUBSPOT_CLIENT_SECRET: sandbox.oauth.clientSecret,
      HUBSPOT_APP_ID: sandbox.oauth.appId,
      LOG_LEVEL: 'warn',
    };
  }, 60_000);

  afterAll(async () => {
    await serve?.stop();
    await sandbox?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const propertyCreates = () =>
    Object.entries(sandbox.stats().byPath)
      .filter(([path]) => /^POST \/crm\/v3\/properties\/[^/]+$/.test(path))
      .reduce((n, [, count]) => n + count, 0);

  it('installs the portal at start, scores it, and answers a signed card read with a score', async () => {
    const started = Date.now();
    serve = await startClosewise(['serve', '--port', new URL(origin).port], env, /Closewise backend on/);
    expect(serve.out()).toContain(
      `HubSpot private app: portal ${sandbox.portalId} (installed; tier free: 100 requests / 10 s, 250,000 a day)`,
    );
    const scored = await waitForScoredDeal(origin, sandbox.oauth.clientSecret, sandbox.portalId, dealIds.slice(0, 40), 240_000);
    expect(scored.body.winProbability).toBeGreaterThanOrEqual(0);
    const unsigned = await fetch(`${origin}/api/hubspot/cards/deals/${scored.id}?portalId=${sandbox.portalId}`);
    expect(unsigned.status).toBe(401);
    const stats = sandbox.stats();
    expect(stats.rateLimited).toBe(0);
    expect(propertyCreates()).toBeGreaterThan(0);
    console.log(
      JSON.stringify({ test: 'private-app serve', requests: stats.requests, rateLimited: stats.rateLimited, ms: Date.now() - started }),
    );
  }, 300_000);

  it('installs nothing twice when serve restarts, and `closewise status` shows the tenant', async () => {
    const creates = propertyCreates();
    await serve?.stop();
    serve = await startClosewise(['serve', '--port', new URL(origin).port], env, /Closewise backend on/);
    expect(serve.out()).toContain(`portal ${sandbox.portalId} (already installed`);
    expect(propertyCreates()).toBe(creates);
    const card = await signedCardRead(
      origin,
      sandbox.oauth.clientSecret,
      `/api/hubspot/cards/deals/${dealIds[0]}?portalId=${sandbox.portalId}`,
    );
    expect(card.status).toBe(200);
    await serve.stop();
    serve = undefined;
    const status = await startClosewise(['status', '--json'], env, /\}\s*$/);
    await status.exited;
    const { portals } = JSON.parse(status.out()) as { portals: { portal: string; mode: string; lastSync: string | null }[] };
    expect(portals).toHaveLength(1);
    expect(portals[0]).toMatchObject({ portal: String(sandbox.portalId), mode: 'private app (free)' });
    expect(portals[0]?.lastSync).not.toBeNull();
  }, 180_000);

  it('says at start that cards are not mounted without the client secret, and serves no card route', async () => {
    const { HUBSPOT_CLIENT_SECRET: _secret, ...withoutSecret } = env;
    const port = await freePort();
    const bare = await startClosewise(
      ['serve', '--port', String(port)],
      { ...withoutSecret, HUBSPOT_CLIENT_SECRET: '', PUBLIC_BASE_URL: `http://127.0.0.1:${port}` },
      /Closewise backend on/,
    );
    try {
      expect(bare.out()).toMatch(/HUBSPOT_CLIENT_SECRET is not set: .* the card API and webhooks are NOT mounted/);
      const res = await fetch(`http://127.0.0.1:${port}/api/hubspot/cards/deals/1?portalId=${sandbox.portalId}`);
      expect(res.status).toBe(404);
    } finally {
      await bare.stop();
    }
  }, 120_000);
});
