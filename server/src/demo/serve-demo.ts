import { randomBytes } from 'node:crypto';
import { createCardPreview } from '@closewise/hubspot-app/preview';
import { createStoreCardDeps } from '../cards/hubspot-card-deps.ts';
import type { CommandIo } from '../cli/command.ts';
import { createConnectorRegistry } from '../connectors/registry.ts';
import { buildApp } from '../http/app.ts';
import { createCardPreviewRouter } from '../http/hubspot-cards/preview-router.ts';
import { CARD_API_PREFIX, createHubSpotCardRouter } from '../http/hubspot-cards/router.ts';
import { createStoreIdempotencyStore } from '../http/hubspot-cards/store-idempotency.ts';
import { listen } from '../http/listen.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { waitForStopSignal } from '../runtime/wait-for-signal.ts';
import { selectTopScoredId } from '../store/tables/scores.ts';
import type { DemoRun } from './run-demo.ts';

/**
 * Keeps the backend (card API + local card preview) and the sandbox portal running after the demo, until
 * Ctrl-C or SIGTERM. The demo app's client secret is made up per run: the preview signs its requests with it
 * exactly as HubSpot would, so the card API verifies every request as in production.
 */
export async function serveDemo(runtime: Runtime, run: DemoRun, encryptionKey: Buffer, io: CommandIo): Promise<void> {
  const { db } = runtime.store;
  const clientSecret = randomBytes(24).toString('hex');
  const deps = createStoreCardDeps({
    db,
    clientSecret,
    logger: runtime.logger,
    scoringNow: () => run.now,
    connectors: createConnectorRegistry({ db, encryptionKey, hubspot: { basePath: run.portal.url } }),
  });
  const preview = createCardPreview({ clientSecret, portalId: run.portal.portalId });
  const app = buildApp({
    db,
    logger: runtime.logger,
    routers: [
      { path: '/', router: createHubSpotCardRouter({ ...deps, idempotency: createStoreIdempotencyStore(db, { logger: runtime.logger }) }) },
      { path: '/', router: createCardPreviewRouter(preview) },
    ],
  });
  const server = await listen(app, '127.0.0.1', 0);
  const dealId = (await selectTopScoredId(db, run.tenant.id, 'deal')) ?? '0';
  io.stdout.write(
    [
      '',
      `Backend: ${server.url}  (health: ${server.url}/healthz)`,
      `Card endpoint of deal ${dealId} (HubSpot-signed requests only): ${server.url}${CARD_API_PREFIX}/cards/deals/${dealId}?portalId=${run.portal.portalId}`,
      `Open the card preview in a browser: ${server.url}/preview/deals/${dealId}`,
      `Sandbox HubSpot portal ${run.portal.portalId}: ${run.portal.url}`,
      `Sandbox token: ${run.portal.accessToken}`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  await waitForStopSignal();
  await server.close();
}
