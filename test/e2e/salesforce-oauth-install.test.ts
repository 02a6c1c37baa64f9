import { randomBytes } from 'node:crypto';
import { type SalesforceSandbox, startSalesforceSandbox } from '@closewise/sandboxes/salesforce/sandbox';
import { generateSyntheticPortal } from '@closewise/sandboxes/seed/synthetic-portal';
import { type ClosewiseProcess, freePort, startClosewise } from '@closewise/server/test-support/closewise-process';
import { openTestPostgres } from '@closewise/server/test-support/stores';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshotPath } from './test-support/browser.ts';
import { runClosewise } from './test-support/closewise-cli.ts';

/**
 * Issue #14, a real install as docs/install-salesforce.md tells an admin to do it: `closewise serve` (its own
 * process, with the guide's environment) against the Salesforce sandbox, whose connected app requires PKCE
 * and knows only the guide's callback URL. The admin opens /oauth/salesforce/install in Chromium, clicks
 * Allow on Salesforce's consent page and lands on the success page; the first sync it queued runs; then
 * `closewise salesforce issue-key` (another process) gives the key the Named Credential sends, and the
 * Apex's rescore call with it writes a score into the Opportunity. Last, `closewise salesforce disconnect`
 * revokes the org's tokens at Salesforce.
 */
describe('Salesforce install: browser OAuth → first sync → issue-key → Apex rescore → disconnect', () => {
  let store: Awaited<ReturnType<typeof openTestPostgres>>;
  let sandbox: SalesforceSandbox;
  let serve: ClosewiseProcess;
  let browser: Browser;
  let origin: string;
  /** The environment docs/install-salesforce.md gives `closewise serve` and the CLI commands. */
  let guideEnv: Record<string, string>;
  let orgId = '';
  let apiKey = '';

  beforeAll(async () => {
    store = await openTestPostgres();
    origin = `http://127.0.0.1:${await freePort()}`;
    sandbox = await startSalesforceSandbox({ redirectUris: [`${origin}/oauth/salesforce/callback`], requirePkce: true });
    sandbox.loadPortal(generateSyntheticPortal({ seed: 14, contacts: 300 }));
    guideEnv = {
      DATABASE_URL: store.databaseUrl,
      CLOSEWISE_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      PUBLIC_BASE_URL: origin,
      SALESFORCE_LOGIN_URL: sandbox.loginUrl,
      SALESFORCE_CLIENT_ID: sandbox.clientId,
      SALESFORCE_CLIENT_SECRET: sandbox.clientSecret,
      CLOSEWISE_JOBS: 'embedded',
    };
    serve = await startClosewise(['serve', '--port', new URL(origin).port], guideEnv, /Closewise backend on/);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await sandbox?.stop();
    await store?.dispose();
  });

  it('connects the org through the consent page and shows the next step', async () => {
    const page = await browser.newPage();
    await page.goto(`${origin}/oauth/salesforce/install`);
    await expect.poll(() => page.title()).toBe('Allow Access? | Salesforce');
    expect(new URL(page.url()).searchParams.get('code_challenge_method')).toBe('S256');
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL((url) => url.pathname === '/oauth/salesforce/callback');
    await page.screenshot({ path: screenshotPath('salesforce-install-success.png') });
    expect(await page.locator('h1').textContent()).toBe('Closewise is connected to Salesforce');
    orgId = (await page.locator('#org-id').textContent()) ?? '';
    expect(orgId).toMatch(/^00D\w{15}$/);
    expect(await page.locator('#next-step').textContent()).toBe(`closewise salesforce issue-key --org ${orgId}`);
    expect(await page.locator('[role=alert]').count()).toBe(0);
    await page.close();
  }, 60_000);

  it('runs the first sync, training and scoring the install queued (closewise status, the Opportunity fields)', async () => {
    let portal: { portal: string; active: boolean; lastSync: string | null; lastTraining: string | null } | undefined;
    for (let i = 0; i < 120 && !portal?.lastTraining; i++) {
      const status = await runClosewise(['status', '--json'], guideEnv);
      expect(status.code, status.stderr).toBe(0);
      portal = (JSON.parse(status.stdout) as { portals: NonNullable<typeof portal>[] }).portals.find((p) => p.portal === orgId);
      if (!portal?.lastTraining) await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    expect(portal).toMatchObject({ active: true, lastSync: expect.any(String), lastTraining: expect.any(String) });
    // The queued scoring writes the fields a rep's list views and the card read, with nobody clicking anything.
    const written = () =>
      sandbox.records('Opportunity').filter((o) => o.IsClosed === false && typeof o.Closewise_Win_Probability__c === 'number');
    for (let i = 0; i < 120 && written().length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(written().length).toBeGreaterThan(0);
  }, 300_000);

  it('issues the key in another process, and the Apex rescore call with it writes a score to the Opportunity', async () => {
    const issued = await runClosewise(['salesforce', 'issue-key', '--org', orgId], guideEnv);
    expect(issued.code, issued.stderr).toBe(0);
    apiKey = issued.stdout.trim();
    expect(apiKey).toMatch(/^cwsf_/);

    const open = sandbox.records('Opportunity').find((o) => o.IsClosed === false);
    const id = String(open?.Id);
    // As ClosewiseController.cls sends it through the Closewise_Backend Named Credential.
    const apex = (method: string, path: string, body?: string) =>
      fetch(`${origin}/api/salesforce${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${apiKey}`,
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body }),
      });
    const rescore = await apex('POST', `/records/Opportunity/${id}/rescore`, '{}');
    const result = await rescore.json();
    expect(rescore.status, JSON.stringify(result)).toBe(200);
    expect(result).toMatchObject({ scoredAt: expect.any(String), failed: 0 });

    const probability = sandbox.record(id)?.Closewise_Win_Probability__c;
    console.log(JSON.stringify({ opportunity: id, winProbability: probability, rescore: result }));
    expect(typeof probability).toBe('number');
    expect(probability).toBeGreaterThanOrEqual(0);
    expect(probability).toBeLessThanOrEqual(100);
    // The score came from a trained model, which the card's model status names.
    const model = (await (await apex('GET', '/models/Opportunity')).json()) as { version: number | null };
    expect(model.version).toBeGreaterThanOrEqual(1);
    const reasons = (await (await apex('GET', `/records/Opportunity/${id}/reasons`)).json()) as unknown[];
    expect(reasons.length).toBeGreaterThan(0);
  }, 180_000);

  it('disconnects the org: tokens revoked at Salesforce, the org disabled, its key refused', async () => {
    const live = sandbox.stats().liveRefreshTokens;
    const disconnected = await runClosewise(['salesforce', 'disconnect', '--org', orgId], guideEnv);
    expect(disconnected.code, disconnected.stderr).toBe(0);
    expect(disconnected.stdout).toContain('refresh token (and every access token issued from it) was revoked at Salesforce');
    expect(sandbox.stats()).toMatchObject({ tokenRevocations: 1, liveRefreshTokens: live - 1 });

    const status = await runClosewise(['status', '--json'], guideEnv);
    expect((JSON.parse(status.stdout) as { portals: { portal: string; active: boolean }[] }).portals).toContainEqual(
      expect.objectContaining({ portal: orgId, active: false }),
    );
    const refused = await fetch(`${origin}/api/salesforce/models/Opportunity`, { headers: { Authorization: `Bearer ${apiKey}` } });
    expect(refused.status).toBe(401);
  }, 60_000);
});
