import { statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createCardPreview } from '@closewise/hubspot-app/preview';
import { createCardPreviewRouter } from '@closewise/server/http/hubspot-cards/preview-router';
import { createHubSpotCardRouter } from '@closewise/server/http/hubspot-cards/router';
import { createFakeDeps } from '@closewise/server/http/hubspot-cards/test-support/fake-deps';
import express from 'express';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshotPath } from './test-support/browser.ts';

/**
 * The preview page in real headless Chromium, against the real card router (signature, tenancy,
 * idempotency) with an in-memory backend behind our seam. The full-stack version with the demo and
 * the sandbox portal is demo-preview.test.ts.
 */
describe('card preview in Chromium', () => {
  let browser: Browser;
  let origin: string;
  let fake: ReturnType<typeof createFakeDeps>;
  let server: ReturnType<express.Express['listen']>;

  beforeAll(async () => {
    fake = createFakeDeps();
    const app = express();
    app.use(createHubSpotCardRouter(fake.deps));
    server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    app.use(createCardPreviewRouter(createCardPreview({ apiBaseUrl: origin, clientSecret: fake.deps.clientSecret, portalId: '111' })));
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
  });

  it('shows probability, reasons and actions, and "Create task" creates exactly one task', async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 1100 } });
    await page.goto(`${origin}/preview/deals/101`);
    const probability = page.getByTestId('win-probability');
    await expect.poll(() => probability.textContent()).toContain('62%');
    expect(await probability.textContent()).toContain('Chance to win (calibrated)');
    expect(await page.getByTestId('reasons-negative').textContent()).toContain('Close date pushed back twice.');
    expect(await page.getByTestId('action-follow-up-champion').textContent()).toContain('Book a follow-up with the champion');

    const create = page.getByTestId('create-task-follow-up-champion');
    await create.click();
    await expect.poll(() => page.getByTestId('create-task-follow-up-champion').textContent(), { timeout: 10_000 }).toBe('Task created');
    expect(await page.getByTestId('toast').textContent()).toBe('Task created: Follow up with champion');
    expect(await page.getByTestId('create-task-follow-up-champion').isDisabled()).toBe(true);
    expect(fake.tasks).toHaveLength(1);

    const file = screenshotPath('card-preview-deal.png');
    await page.screenshot({ path: file, fullPage: true });
    expect(statSync(file).size).toBeGreaterThan(10_000);
    await page.close();
  });

  it.each([
    ['won', '103', 'Closed won', /Last Closewise win probability before close: 72%/],
    ['lost', '104', 'Closed lost', /Closewise did not score this deal while it was open\./],
  ])('shows a closed %s deal with its outcome and last score, and no rescore button', async (outcome, id, tag, lastScore) => {
    const page = await browser.newPage({ viewport: { width: 900, height: 600 } });
    await page.goto(`${origin}/preview/deals/${id}`);
    await expect.poll(() => page.getByTestId('deal-outcome').textContent()).toBe(tag);
    expect(await page.getByTestId('closed-on').textContent()).toMatch(/^Closed on Nov 2\d, 2026, in stage 'Closed (Won|Lost)'\.$/);
    expect(await page.getByTestId('last-score').textContent()).toMatch(lastScore);
    expect(await page.getByTestId('rescore-now').count()).toBe(0);
    expect(await page.getByRole('button').count()).toBe(0);
    const file = screenshotPath(`card-preview-deal-closed-${outcome}.png`);
    await page.screenshot({ path: file, fullPage: true });
    expect(statSync(file).size).toBeGreaterThan(5_000);
    await page.close();
  });

  it.each([
    ['deal', 'deals/105', '+7.4 pts since 3 Nov', 'Two meetings held in the last 14 days (+9.1 pts)'],
    ['contact', 'contacts/205', '−4 pts since 15 Nov', 'No email opened in 30 days (−4.2 pts)'],
  ])('shows what changed on a rescored %s card', async (kind, path, summary, mover) => {
    const page = await browser.newPage({ viewport: { width: 900, height: 1200 } });
    await page.goto(`${origin}/preview/${path}`);
    await expect.poll(() => page.getByTestId('what-changed').textContent()).toBe(summary);
    expect(await page.getByTestId('what-changed-movers').textContent()).toContain(mover);
    const file = screenshotPath(`card-preview-${kind}-what-changed.png`);
    await page.screenshot({ path: file, fullPage: true });
    expect(statSync(file).size).toBeGreaterThan(10_000);
    await page.close();
  });

  it.each([
    ['deal', 'deals/105', 'Book a meeting: about 72% (+9.1 pts)'],
    ['contact', 'contacts/205', 'Send an email: about 14% (+2.5 pts)'],
  ])('shows what would raise it on a %s card, labelled as estimates', async (kind, path, first) => {
    const page = await browser.newPage({ viewport: { width: 900, height: 1400 } });
    await page.goto(`${origin}/preview/${path}`);
    await expect.poll(() => page.getByTestId('would-raise').textContent()).toContain(first);
    expect(await page.getByText('What would raise it (estimates)').count()).toBe(1);
    const file = screenshotPath(`card-preview-${kind}-would-raise.png`);
    await page.screenshot({ path: file, fullPage: true });
    expect(statSync(file).size).toBeGreaterThan(10_000);
    await page.close();
  });

  it('shows a retryable error for a record of another portal', async () => {
    const page = await browser.newPage();
    await page.goto(`${origin}/preview/deals/202`);
    expect(await page.getByRole('alert').first().textContent()).toContain('Closewise has no deal 202 for this portal.');
    expect(await page.getByTestId('retry').isVisible()).toBe(true);
    await page.close();
  });
});
