import { statSync } from 'node:fs';
import { Client } from '@hubspot/api-client';
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/objects/tasks/index.js';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshotPath } from './test-support/browser.ts';
import { type DemoEndpoints, startDemo } from './test-support/demo-process.ts';

/**
 * The acceptance path end to end: `npm run demo -- --serve` (sandbox portal, sync, train, score, backend),
 * then the printed preview link in real Chromium, then "Create task", then the task in the sandbox portal
 * read back with the real @hubspot/api-client.
 */
describe('demo → preview → Create task → sandbox portal', () => {
  let demo: Awaited<ReturnType<typeof startDemo>> | undefined;
  let endpoints: DemoEndpoints;
  let browser: Browser;

  beforeAll(async () => {
    demo = await startDemo(6 * 60_000);
    endpoints = demo.endpoints;
    browser = await launchChromium();
  }, 7 * 60_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
  });

  async function tasksTitled(title: string) {
    const client = new Client({ accessToken: endpoints.sandboxToken, basePath: endpoints.sandboxUrl });
    const page = await client.crm.objects.tasks.searchApi.doSearch({
      filterGroups: [{ filters: [{ propertyName: 'hs_task_subject', operator: FilterOperatorEnum.Eq, value: title }] }],
      properties: ['hs_task_subject', 'hs_timestamp'],
      limit: 100,
      after: '0',
      sorts: [],
    });
    return page.results;
  }

  it('shows a sandbox deal’s probability, a reason and an action, and creates the task in the portal', async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 1200 } });
    await page.goto(endpoints.previewUrl);

    const probability = page.getByTestId('win-probability');
    await expect.poll(() => probability.textContent(), { timeout: 15_000 }).toMatch(/Chance to win \(calibrated\)\s*\d{1,3}%/);
    const reasons = page.locator('[data-testid="reasons-positive"] li, [data-testid="reasons-negative"] li');
    expect(await reasons.count()).toBeGreaterThan(0);
    expect((await reasons.first().textContent())?.trim().length).toBeGreaterThan(10);

    const createButtons = page.locator('button[data-testid^="create-task-"]');
    expect(await createButtons.count(), 'the sandbox deal should have at least one action with a task').toBeGreaterThan(0);
    const button = createButtons.first();
    const buttonTestId = (await button.getAttribute('data-testid')) ?? '';
    await button.click();
    await expect.poll(() => page.getByTestId(buttonTestId).textContent(), { timeout: 20_000 }).toBe('Task created');

    const toast = (await page.getByTestId('toast').textContent()) ?? '';
    const title = /^Task created: (.+)$/.exec(toast.trim())?.[1];
    expect(title, `toast was "${toast}"`).toBeTruthy();

    const found = await tasksTitled(title!);
    expect(found).toHaveLength(1);
    // …and it sits on the deal the preview showed.
    const dealId = /\/preview\/deals\/(\d+)/.exec(endpoints.previewUrl)?.[1];
    const client = new Client({ accessToken: endpoints.sandboxToken, basePath: endpoints.sandboxUrl });
    const associations = await client.crm.associations.v4.batchApi.getPage('tasks', 'deals', { inputs: [{ id: found[0]!.id }] });
    expect(associations.results.flatMap((r) => r.to.map((to) => String(to.toObjectId)))).toContain(dealId);

    const file = screenshotPath('demo-preview-deal.png');
    await page.screenshot({ path: file, fullPage: true });
    expect(statSync(file).size).toBeGreaterThan(10_000);
    await page.close();
  });
});
