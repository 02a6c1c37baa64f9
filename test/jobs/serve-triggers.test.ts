import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HUBSPOT_REQUIRED_SCOPES } from '@closewise/contract';
import { type HubSpotSandbox, startHubSpotSandbox } from '@closewise/sandboxes/hubspot';
import { generateSyntheticPortal } from '@closewise/sandboxes/seed/synthetic-portal';
import { queueOf } from '@closewise/server/jobs/pg-boss-engine';
import { type ClosewiseProcess, freePort, startClosewise } from '@closewise/server/test-support/closewise-process';
import { openTestPostgres } from '@closewise/server/test-support/stores';
import { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const RECORDS = 40;
const EVENTS = 1_000;

/**
 * Issue #18: on PostgreSQL, `closewise serve` queues the jobs its routes trigger for the workers. An OAuth
 * install queues the first sync; 1,000 webhook events (sent, signed, by the sandbox as HubSpot sends them)
 * queue rescoring of exactly the records they changed, while the refreshes stay inside the portal's shared
 * budget (HubSpot's limits on in the sandbox: 0 × 429) and read the portal's metadata once, not per record.
 */
describe('closewise serve on PostgreSQL queues the jobs its routes trigger', () => {
  let store: Awaited<ReturnType<typeof openTestPostgres>>;
  let sandbox: HubSpotSandbox;
  let serve: ClosewiseProcess;
  let origin: string;
  let contacts: string[];
  const dataDir = mkdtempSync(join(tmpdir(), 'closewise-triggers-'));
  let boss: PgBoss;

  beforeAll(async () => {
    store = await openTestPostgres();
    origin = `http://127.0.0.1:${await freePort()}`;
    sandbox = await startHubSpotSandbox({
      oauth: { redirectUris: [`${origin}/oauth/hubspot/callback`] },
      webhooks: {
        targetUrl: `${origin}/webhooks/hubspot`,
        subscriptions: [{ subscriptionType: 'object.propertyChange', objectType: 'contact', propertyName: 'firstname' }],
      },
    });
    // pg-boss's schema is installed here first, so the queues read the same before and after serve starts.
    boss = new PgBoss({ connectionString: store.databaseUrl, schedule: false, supervise: false, registerInstance: false });
    boss.on('error', () => undefined);
    await boss.start();
    const { ids } = sandbox.loadPortal(generateSyntheticPortal({ seed: 11, contacts: 80 }));
    contacts = [...ids.contacts.values()].slice(0, RECORDS);
    serve = await startClosewise(
      ['serve', '--port', new URL(origin).port],
      {
        DATABASE_URL: store.databaseUrl,
        CLOSEWISE_ENCRYPTION_KEY: 'b'.repeat(64),
        CLOSEWISE_DATA_DIR: dataDir,
        PUBLIC_BASE_URL: origin,
        HUBSPOT_CLIENT_ID: sandbox.oauth.clientId,
        HUBSPOT_CLIENT_SECRET: sandbox.oauth.clientSecret,
        HUBSPOT_APP_ID: sandbox.oauth.appId,
        HUBSPOT_REDIRECT_URL: `${origin}/oauth/hubspot/callback`,
        HUBSPOT_BASE_PATH: sandbox.url,
        LOG_LEVEL: 'warn',
      },
      /Closewise backend on/,
    );
  }, 120_000);

  /** The payloads waiting in a job type's queue (none when nothing ever created the queue). */
  async function queued(type: Parameters<typeof queueOf>[0]): Promise<unknown[]> {
    if (!(await boss.getQueue(queueOf(type)))) return [];
    return (await boss.findJobs(queueOf(type), { queued: true, limit: 10_000 })).map((job) => job.data);
  }

  afterAll(async () => {
    await serve?.stop();
    await boss?.stop({ graceful: false });
    await sandbox?.stop();
    await store?.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('queues the first sync, then training and scoring, when a portal installs the app through OAuth', async () => {
    const install = await fetch(`${origin}/oauth/hubspot/install`, { redirect: 'manual' });
    expect(install.status).toBe(302);
    const state = new URL(install.headers.get('location') ?? '').searchParams.get('state') ?? '';
    // Whatever the install set in the browser (a state cookie) goes back with the callback, as a browser would.
    const cookie = install.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const code = sandbox.oauth.authorize({ redirectUri: `${origin}/oauth/hubspot/callback`, scopes: [...HUBSPOT_REQUIRED_SCOPES] });
    const callback = await fetch(`${origin}/oauth/hubspot/callback?${new URLSearchParams({ code, state })}`, {
      redirect: 'manual',
      headers: cookie ? { cookie } : {},
    });
    expect(callback.status, await callback.text()).toBeLessThan(400);
    const tenant = await store.db.selectFrom('tenants').select('id').where('external_id', '=', String(sandbox.portalId)).executeTakeFirst();
    expect(tenant).toBeDefined();
    // The install's chain: training and scoring follow the first sync.
    expect(await queued('sync')).toEqual([{ tenantId: tenant?.id, followUps: ['retrain', 'rescore'] }]);
  }, 60_000);

  it('queues rescoring of exactly the records 1,000 webhook events changed, with no 429', async () => {
    sandbox.resetStats();
    for (let i = 0; i < EVENTS; i++) {
      sandbox.simulateUserUpdate('contacts', contacts[i % RECORDS] as string, { firstname: `Name ${i}` });
    }
    await sandbox.webhooks.drain();
    const delivered = sandbox.webhooks.deliveries();
    const accepted = delivered.filter((d) => d.status === 200 || d.status === 204);
    expect(accepted.reduce((sum, d) => sum + d.eventCount, 0)).toBe(EVENTS);

    const tenant = await store.db.selectFrom('tenants').select('id').executeTakeFirstOrThrow();
    let jobs: unknown[] = [];
    for (let i = 0; i < 900; i++) {
      const pending = await store.db
        .selectFrom('webhook_events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '=', 'pending')
        .executeTakeFirstOrThrow();
      jobs = await queued('record-rescore');
      if (Number(pending.n) === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const rescored = jobs.flatMap((job) => {
      const data = job as { tenantId: string; objectType: string; externalIds: string[] };
      expect(data).toMatchObject({ tenantId: tenant.id, objectType: 'contact' });
      return data.externalIds;
    });
    expect(new Set(rescored)).toEqual(new Set(contacts));
    expect(rescored.length).toBeLessThanOrEqual(EVENTS);

    const stats = sandbox.stats();
    expect(stats.rateLimited).toBe(0);
    // The portal's pipelines and property lists are read once for all refreshes, not once per record.
    const metadataReads = Object.entries(stats.byPath)
      .filter(([path]) => path.startsWith('GET /crm/v3/properties/') || path.startsWith('GET /crm/v3/pipelines/'))
      .reduce((sum, [, n]) => sum + n, 0);
    expect(metadataReads).toBeLessThanOrEqual(5);
    console.log(
      JSON.stringify({
        events: EVENTS,
        records: RECORDS,
        rescoreJobs: jobs.length,
        requests: stats.requests,
        rateLimited: stats.rateLimited,
        metadataReads,
      }),
    );
  }, 180_000);
});
