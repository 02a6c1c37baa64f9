import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type HubSpotSandbox, startHubSpotSandbox } from '@closewise/sandboxes/hubspot';
import { generateSyntheticPortal } from '@closewise/sandboxes/seed/synthetic-portal';
import { type ClosewiseProcess, freePort, startClosewise } from '@closewise/server/test-support/closewise-process';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshotPath } from './test-support/browser.ts';
import { runClosewise } from './test-support/closewise-cli.ts';
import { signedCardRead } from './test-support/signed-card.ts';

/** The app as the developer project declares it to HubSpot: its required and optional scopes. */
const appAuth = (
  JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'hubspot-app', 'src', 'app', 'app-hsmeta.json'), 'utf8')) as {
    config: { auth: { requiredScopes: string[]; optionalScopes: string[] } };
  }
).config.auth;

interface DealCard {
  state: string;
  winProbability?: number;
  model?: { source: string; version: string };
}

/**
 * Issue #14, the marketplace (OAuth) mode as docs/install-hubspot.md tells an admin to run it: `closewise serve`
 * (its own process, the guide's environment, the embedded store) against a sandbox portal whose app has the
 * scopes hubspot-app's app-hsmeta.json declares and only the guide's callback URL. The admin opens
 * /oauth/hubspot/install in Chromium, lands on HubSpot's consent page (HUBSPOT_AUTHORIZE_URL), chooses the
 * account and clicks "Connect app"; the callback installs the portal and queues the first sync, which trains
 * and scores it; then a card read signed as HubSpot signs hubspot.fetch answers a win probability from the
 * portal's own model, with no 429 from HubSpot on the way.
 */
describe('HubSpot install: browser OAuth → first sync → training → signed card read with a score', () => {
  let sandbox: HubSpotSandbox;
  let serve: ClosewiseProcess | undefined;
  let browser: Browser;
  let origin: string;
  /** The environment docs/install-hubspot.md gives `closewise serve` for an OAuth app (and `closewise status`). */
  let guideEnv: Record<string, string>;
  let openDealIds: string[];
  const dataDir = mkdtempSync(join(tmpdir(), 'closewise-hubspot-oauth-'));
  const started = Date.now();

  beforeAll(async () => {
    origin = `http://127.0.0.1:${await freePort()}`;
    sandbox = await startHubSpotSandbox({
      oauth: {
        // The app's redirect URL: ${CLOSEWISE_API_BASE_URL}/oauth/hubspot/callback with the profile set to this backend.
        redirectUris: [`${origin}/oauth/hubspot/callback`],
        requiredScopes: appAuth.requiredScopes,
        optionalScopes: appAuth.optionalScopes,
      },
    });
    const portal = generateSyntheticPortal({ seed: 14, contacts: 300 });
    const { ids } = sandbox.loadPortal(portal);
    // Open deals: the ones Closewise scores (a closed deal's card shows its outcome instead).
    const closedStages = new Set(portal.pipelines.flatMap((p) => p.stages.filter((s) => s.closed).map((s) => s.id)));
    openDealIds = portal.deals
      .filter((d) => !closedStages.has(d.properties['dealstage'] ?? ''))
      .map((d) => ids.deals.get(d.id) ?? '')
      .filter(Boolean);
    guideEnv = {
      CLOSEWISE_DATA_DIR: dataDir,
      CLOSEWISE_ENCRYPTION_KEY: 'd'.repeat(64),
      PUBLIC_BASE_URL: origin,
      HUBSPOT_CLIENT_ID: sandbox.oauth.clientId,
      HUBSPOT_CLIENT_SECRET: sandbox.oauth.clientSecret,
      HUBSPOT_APP_ID: sandbox.oauth.appId,
      HUBSPOT_REDIRECT_URL: `${origin}/oauth/hubspot/callback`,
      HUBSPOT_AUTHORIZE_URL: sandbox.oauth.authorizeUrl,
      HUBSPOT_BASE_PATH: sandbox.url,
      // The one-machine setup: the embedded store, whatever the shell running the tests has set.
      DATABASE_URL: '',
    };
    serve = await startClosewise(['serve', '--port', new URL(origin).port], guideEnv, /Closewise backend on/);
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await sandbox?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("connects the portal on HubSpot's consent page and lands on the install's success answer", async () => {
    const page = await browser.newPage();
    await page.goto(`${origin}/oauth/hubspot/install`);
    await expect.poll(() => page.title()).toBe('Connect app | HubSpot');
    const consent = new URL(page.url());
    expect(`${consent.origin}${consent.pathname}`).toBe(sandbox.oauth.authorizeUrl);
    // The scopes the backend asks for are the app's: HubSpot would stop on a mismatch before this page.
    expect((await page.getByRole('listitem').allTextContents()).sort()).toEqual([...appAuth.requiredScopes].sort());

    await page.getByRole('radio', { name: `Sandbox portal ${sandbox.portalId}` }).check();
    const callback = page.waitForResponse((response) => new URL(response.url()).pathname === '/oauth/hubspot/callback');
    await page.getByRole('button', { name: 'Connect app' }).click();
    const landed = await callback;
    await page.waitForURL((url) => url.pathname === '/oauth/hubspot/callback');
    await page.screenshot({ path: screenshotPath('hubspot-install-success.png') });
    expect(landed.status()).toBe(200);
    const answer = (await landed.json()) as Record<string, unknown>;
    expect(answer).toMatchObject({ installed: true, portalId: String(sandbox.portalId) });
    expect(answer['propertiesCreated']).toBeGreaterThan(0);
    // The state cookie is spent with the install: the same link cannot complete a second one.
    expect((await page.context().cookies()).filter((c) => c.name.startsWith('closewise_oauth'))).toEqual([]);
    await page.close();
  }, 60_000);

  it('scores the portal with its own model after the queued first sync, and a signed card read returns the probability', async () => {
    expect(openDealIds.length).toBeGreaterThan(0);
    let card: { id: string; body: DealCard } | undefined;
    let last: unknown;
    const deadline = Date.now() + 90_000;
    // Scored by a model trained on this portal: the first sync, training and rescoring have all run.
    while (!card && Date.now() < deadline) {
      for (const id of openDealIds.slice(0, 10)) {
        const read = await signedCardRead(
          origin,
          sandbox.oauth.clientSecret,
          `/api/hubspot/cards/deals/${id}?portalId=${sandbox.portalId}`,
        );
        last = read;
        const body = read.body as DealCard | undefined;
        if (read.status === 200 && body?.state === 'scored' && body.model?.source === 'portal') {
          card = { id, body };
          break;
        }
      }
      if (!card) await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    expect(card, `no deal scored by the portal's model; last answer: ${JSON.stringify(last)}`).toBeDefined();
    expect(typeof card?.body.winProbability).toBe('number');
    expect(card?.body.winProbability).toBeGreaterThanOrEqual(0);
    expect(card?.body.winProbability).toBeLessThanOrEqual(100);

    // HubSpot's signature covers the URL as configured (PUBLIC_BASE_URL): unsigned or signed for another origin is refused.
    const path = `/api/hubspot/cards/deals/${card?.id}?portalId=${sandbox.portalId}`;
    expect((await fetch(`${origin}${path}`)).status).toBe(401);
    expect((await signedCardRead(origin, 'not-the-client-secret', path)).status).toBe(401);

    const stats = sandbox.stats();
    expect(stats.rateLimited).toBe(0);
    console.log(
      JSON.stringify({
        test: 'hubspot oauth install',
        deal: card?.id,
        winProbability: card?.body.winProbability,
        model: card?.body.model,
        requests: stats.requests,
        rateLimited: stats.rateLimited,
        ms: Date.now() - started,
      }),
    );
  }, 120_000);

  it('`closewise status` shows the portal connected through OAuth, synced, with trained models', async () => {
    await serve?.stop();
    serve = undefined;
    const status = await runClosewise(['status', '--json'], guideEnv);
    expect(status.code, status.stderr).toBe(0);
    const { portals } = JSON.parse(status.stdout) as {
      portals: { portal: string; mode: string; active: boolean; lastSync: string | null; modelVersions: Record<string, number> }[];
    };
    expect(portals).toHaveLength(1);
    expect(portals[0]).toMatchObject({ portal: String(sandbox.portalId), mode: 'oauth', active: true, lastSync: expect.any(String) });
    expect(Object.keys(portals[0]?.modelVersions ?? {}).length).toBeGreaterThan(0);
  }, 60_000);
});
