import { statSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshotPath } from './test-support/browser.ts';
import { composedText } from './test-support/composed-text.ts';
import { bundleLwcPreview } from './test-support/lwc-bundle.ts';
import { serveLwcPreview } from './test-support/lwc-preview-server.ts';

// Record ids of test-support/lwc-preview/fixtures.js.
const OPEN_OPPORTUNITY_ID = '006000000000001AAA';
const CLOSED_OPPORTUNITY_ID = '006000000000002AAA';
const LEAD_ID = '00Q000000000001AAA';

/**
 * The real Closewise LWCs (salesforce-lwc/force-app/main/default/lwc), compiled with the LWC compiler and
 * rendered in headless Chromium with native shadow DOM. Lightning base components are sfdx-lwc-jest stubs or our
 * preview stand-ins and Apex answers from fixtures (test-support/lwc-preview/): this checks what the cards render
 * and says, not Salesforce's own components. Playwright locators pierce the open shadow roots.
 */
describe('Salesforce LWC cards in Chromium', () => {
  let browser: Browser;
  let preview: Awaited<ReturnType<typeof serveLwcPreview>>;

  beforeAll(async () => {
    preview = await serveLwcPreview(await bundleLwcPreview());
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await preview?.close();
  });

  async function open(card: string, record: string, height: number): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 520, height } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(`${preview.origin}/?card=${card}&record=${record}`);
    return { page, errors };
  }

  async function screenshot(page: Page, name: string): Promise<void> {
    const file = screenshotPath(name);
    await page.screenshot({ path: file, fullPage: true });
    expect(statSync(file).size).toBeGreaterThan(10_000);
  }

  it('shows win probability, what changed and what would raise it on an open opportunity', async () => {
    const { page, errors } = await open('opportunity', OPEN_OPPORTUNITY_ID, 900);
    const card = page.locator('c-closewise-opportunity-card');
    await expect.poll(() => card.locator('.probability').textContent()).toBe('62% win probability');
    expect(await card.locator('.score').getAttribute('aria-label')).toBe('Win probability 62%');
    expect(await card.getByRole('heading', { name: 'Closewise win probability' }).count()).toBe(1);
    expect(await composedText(card.locator('.deal-score'))).toBe('Deal score 4 of 5');

    const changed = card.locator('c-closewise-what-changed');
    await expect.poll(() => changed.locator('.summary').textContent()).toBe('+7.4 pts since 3 Nov');
    expect(await changed.getByRole('heading', { name: 'What changed' }).count()).toBe(1);
    expect(await changed.locator('.movers li').allTextContents()).toEqual([
      'Two meetings held in the last 14 days (+9.1 pts)',
      'Close date pushed back twice (−1.7 pts)',
    ]);

    const raise = card.locator('c-closewise-would-raise');
    await expect
      .poll(() => raise.locator('.suggestions li').allTextContents())
      .toEqual(['Book a meeting: about 72% (+9.1 pts)', 'Log a call: about 66% (+3.6 pts)']);
    expect(await raise.getByRole('heading', { name: 'What would raise it (estimates)' }).count()).toBe(1);
    expect(await card.getByRole('button', { name: 'Rescore now' }).isVisible()).toBe(true);
    expect(errors).toEqual([]);
    await screenshot(page, 'salesforce-opportunity-card.png');
    await page.close();
  });

  it('shows the outcome and the last score on a closed won opportunity, and no rescore action', async () => {
    const { page, errors } = await open('opportunity', CLOSED_OPPORTUNITY_ID, 600);
    const card = page.locator('c-closewise-opportunity-card');
    await expect.poll(() => composedText(card.locator('.outcome'))).toBe('Closed won');
    expect(await composedText(card.locator('.closed-on'))).toBe("Closed on Nov 24, 2026, in stage 'Closed Won'.");
    expect(await composedText(card.locator('.last-score'))).toMatch(
      /^Last Closewise win probability before close: 72%, scored Nov 20, 2026, \d\d:\d\d [AP]M\.$/,
    );
    expect(await card.getByRole('button').count()).toBe(0);
    expect(await card.locator('c-closewise-would-raise').count()).toBe(0);
    expect(errors).toEqual([]);
    await screenshot(page, 'salesforce-opportunity-closed.png');
    await page.close();
  });

  it('shows likelihood, priority, what changed and what would raise it on a lead', async () => {
    const { page, errors } = await open('lead', LEAD_ID, 900);
    const card = page.locator('c-closewise-lead-card');
    await expect.poll(() => card.locator('.likelihood').textContent()).toBe('18% likely to close within 90 days');
    expect(await card.getByRole('heading', { name: 'Closewise lead score' }).count()).toBe(1);
    expect(await composedText(card.locator('[data-id="priority"]'))).toBe('Priority Low');
    expect(await composedText(card.locator('[data-id="grade"]'))).toBe('Grade C');

    const changed = card.locator('c-closewise-what-changed');
    await expect.poll(() => changed.locator('.summary').textContent()).toBe('−4 pts since 15 Nov');
    expect(await changed.locator('.movers li').allTextContents()).toEqual(['No email opened in 30 days (−4.2 pts)']);

    const raise = card.locator('c-closewise-would-raise');
    await expect.poll(() => raise.locator('.suggestions li').allTextContents()).toEqual(['Send an email: about 21% (+2.5 pts)']);
    expect(await raise.getByRole('heading', { name: 'What would raise it (estimates)' }).count()).toBe(1);
    expect(errors).toEqual([]);
    await screenshot(page, 'salesforce-lead-card.png');
    await page.close();
  });
});
