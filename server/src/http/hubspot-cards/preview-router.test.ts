import type { AddressInfo } from 'node:net';
import { createCardPreview } from '@closewise/hubspot-app/preview';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createCardPreviewRouter } from './preview-router.ts';
import { createHubSpotCardRouter } from './router.ts';
import { createFakeDeps } from './test-support/fake-deps.ts';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

/** The real card router and the preview on one app, as the dev backend mounts them. */
async function startWithPreview(portalId = '111') {
  const fake = createFakeDeps();
  const app = express();
  app.use(createHubSpotCardRouter(fake.deps));
  // No apiBaseUrl: the preview calls the card API on the origin its page was requested on.
  app.use(createCardPreviewRouter(createCardPreview({ clientSecret: fake.deps.clientSecret, portalId })));
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise((resolve) => server.close(() => resolve()));
  return { origin, fake };
}

function buttonNode(html: string, label: string): number {
  const match = new RegExp(`data-node="(\\d+)"[^>]*>(?:⏳ )?${label}<`).exec(html);
  if (!match) throw new Error(`no button "${label}" in ${html.slice(0, 200)}`);
  return Number(match[1]);
}

describe('card preview', () => {
  it('renders the deal card through the signed card API, then creates a task from a click', async () => {
    const { origin, fake } = await startWithPreview();
    const page = await fetch(`${origin}/preview/deals/101`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Chance to win (calibrated)');
    expect(html).toContain('62%');
    expect(html).toContain('Close date pushed back twice.');
    expect(html).toContain('Book a follow-up with the champion this week.');
    const session = /data-session="([^"]+)"/.exec(html)?.[1];

    const click = await fetch(`${origin}/preview/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ session, node: buttonNode(html, 'Create task'), event: 'onClick' }),
    });
    const result = (await click.json()) as { html: string };
    expect(result.html).toContain('Task created');
    expect(result.html).toContain('Task created: Follow up with champion');
    expect(fake.tasks).toMatchObject([{ tenantId: 'tenant-a', id: '101', title: 'Follow up with champion' }]);
  });

  it('shows the card API error when the record belongs to another portal', async () => {
    const { origin } = await startWithPreview();
    const html = await (await fetch(`${origin}/preview/deals/202`)).text();
    expect(html).toContain('Closewise could not load this score');
    expect(html).toContain('Closewise has no deal 202 for this portal.');
    expect(html).not.toContain('11%');
  });

  it('answers 400 to a bad preview path and 410 to an unknown session', async () => {
    const { origin } = await startWithPreview();
    expect((await fetch(`${origin}/preview/tickets/1`)).status).toBe(400);
    const stale = await fetch(`${origin}/preview/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ session: '6f1c1a8e-6a43-4a9f-8a3c-6a1b2c3d4e5f', node: 0, event: 'onClick' }),
    });
    expect(stale.status).toBe(410);
  });
});
