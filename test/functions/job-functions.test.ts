import type { PortalData } from '@closewise/sandboxes/seed/portal-data';
import type { DrainResult } from '@closewise/server/functions/drain';
import type { LambdaContext } from '@closewise/server/functions/lambda-events';
import type { TickResult } from '@closewise/server/functions/schedule-tick';
import { pendingScoreWrites } from '@closewise/server/scoring/index';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENCRYPTION_KEY_HEX, type PostgresTenant, postgresHubSpotTenant } from './test-support/scored-tenant.ts';

/**
 * Big enough that its sync, scoring and write-back need more than one 20 s invocation at the sandbox's
 * HubSpot limits (110 requests per 10 s; the jobs plan for 95% of it): about 370 requests, so ≥ 25 s
 * however fast the machine (on this one the sync alone takes about 27 s of store and HubSpot time).
 */
const PORTAL_CONTACTS = 3000;

type Tick = (event: unknown) => Promise<TickResult>;
type Drain = (event: unknown, context?: LambdaContext) => Promise<DrainResult>;

/**
 * The scheduled and drain Lambda handlers on PostgreSQL with a sandbox portal: a tick enqueues the due jobs
 * once per minute however often it is invoked, and drain invocations with a 20 s budget sync, score and
 * write back the whole portal across invocations, with every record written and nothing failed or lost.
 */
describe('scheduled and drain functions', () => {
  let t: PostgresTenant;
  let tick: Tick;
  let drain: Drain;

  beforeAll(async () => {
    t = await postgresHubSpotTenant({ contacts: PORTAL_CONTACTS, seed: 5, score: false });
    Object.assign(process.env, {
      DATABASE_URL: t.store.databaseUrl,
      HUBSPOT_BASE_PATH: t.sandbox.url,
      CLOSEWISE_ENCRYPTION_KEY: ENCRYPTION_KEY_HEX,
      NODE_ENV: 'production',
      LOG_LEVEL: 'silent',
      CLOSEWISE_SCHEDULE_SYNC: '*/15 * * * *',
      CLOSEWISE_SCHEDULE_RESCORE: '*/15 * * * *',
      CLOSEWISE_SCHEDULE_RETRAIN: 'off',
    });
    tick = ((await import('@closewise/server/functions/lambda-scheduled')) as { handler: Tick }).handler;
    drain = ((await import('@closewise/server/functions/lambda-drain')) as { handler: Drain }).handler;
    t.sandbox.resetStats();
  }, 120_000);

  afterAll(async () => {
    await t?.stop();
  });

  const listRequests = () =>
    Object.entries(t.sandbox.stats().byPath)
      .filter(([path]) => LIST_PATH.test(path))
      .reduce((n, [, v]) => n + v, 0);
  /** pg-boss jobs that ran out of retries (state `failed`), in any queue. */
  const deadLettered = async () => {
    const { rows } = await sql<{ n: string }>`select count(*) as n from pgboss.job where state = 'failed'`.execute(t.store.db);
    return Number(rows[0]?.n);
  };
  const queued = async (queue: string) => {
    const result = await t.store.db
      .selectFrom('pgboss.job' as never)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('name' as never, '=', queue as never)
      .where('state' as never, 'in', ['created', 'retry', 'active'] as never)
      .executeTakeFirstOrThrow();
    return Number(result.n);
  };

  it('enqueues the due jobs once per minute slot', async () => {
    // Two deliveries of the 10:15 tick (EventBridge Scheduler input and an EventBridge rule's `time`), then 10:16.
    const first = await tick({ scheduledTime: '2025-06-02T10:15:00Z' });
    const again = await tick({ version: '0', 'detail-type': 'Scheduled Event', source: 'aws.events', time: '2025-06-02T10:15:40Z' });
    const notDue = await tick({ scheduledTime: '2025-06-02T10:16:00Z' });
    expect(first.due).toEqual(['sync', 'rescore']);
    expect(first.fannedOut).toEqual({ sync: { queued: 1, coalesced: 0 }, rescore: { queued: 1, coalesced: 0 } });
    expect(again.alreadyTaken).toEqual(['sync', 'rescore']);
    expect(again.fannedOut).toEqual({});
    expect(notDue.due).toEqual([]);
    expect(await queued('closewise-sync')).toBe(1);
    expect(await queued('closewise-rescore')).toBe(1);
  });

  it('drains sync, scoring and write-back across 20 s invocations, the sync resuming where the budget stopped it', async () => {
    const runs: DrainResult[] = [];
    const listsAfter: number[] = [];
    for (let i = 0; i < 6; i++) {
      const result = await drain({ budgetSeconds: 20 }, { getRemainingTimeInMillis: () => 900_000 });
      runs.push(result);
      listsAfter.push(listRequests());
      // Stopped and handed back within 2 s of the budget (Lambda's timeout keeps 5 s more: lambda-drain.ts).
      expect(result.elapsedMs).toBeLessThanOrEqual(20_000 + 2_000);
      if (result.drained) break;
    }
    const fullRead = fullReadPages(t.data);
    process.stdout.write(
      `drain invocations (20 s budget): ${JSON.stringify(runs.map(({ completed, continued, deferred, failed, elapsedMs }) => ({ completed, continued, deferred, failed, elapsedMs })))}; ` +
        `HubSpot list requests after each ${JSON.stringify(listsAfter)}, one full read ${fullRead}, all requests ${t.sandbox.stats().requests}\n`,
    );
    expect(runs.at(-1)?.drained, JSON.stringify(runs)).toBe(true);
    expect(runs.length).toBeGreaterThan(1);
    expect(runs[0]?.continued).toBe(1);
    expect(runs.reduce((n, r) => n + r.failed, 0)).toBe(0);

    // The first invocation read over half the portal. Resuming re-reads at most each unfinished stream's
    // pages since its last checkpoint (one association batch); starting over would re-read all it read.
    const reread = (listsAfter.at(-1) ?? 0) - fullRead;
    expect(listsAfter[0]).toBeGreaterThan(fullRead / 2);
    expect(reread).toBeLessThanOrEqual(MAX_REREAD_PAGES);
    expect(reread).toBeLessThan(listsAfter[0] ?? 0);

    const stored = await t.store.db
      .selectFrom('crm_records')
      .select(['object_type', (eb) => eb.fn.countAll<number>().as('n')])
      .where('tenant_id', '=', t.tenant.id)
      .groupBy('object_type')
      .execute();
    const count = (type: string) => Number(stored.find((r) => r.object_type === type)?.n ?? 0);
    expect({ company: count('company'), contact: count('contact'), deal: count('deal') }).toEqual({
      company: t.data.companies.length,
      contact: t.data.contacts.length,
      deal: t.data.deals.length,
    });
    const activities = await t.store.db
      .selectFrom('activities')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', t.tenant.id)
      .executeTakeFirstOrThrow();
    expect(Number(activities.n)).toBe(t.data.activities.length);

    expect(await pendingScoreWrites(t.store.db, t.tenant.id)).toEqual([]);
    expect(t.sandbox.stats().byPath['POST /crm/v3/objects/contacts/batch/update']).toBeGreaterThan(0);
    const outcomes = await t.store.db.selectFrom('job_runs').select(['job_type', 'outcome']).execute();
    expect(outcomes.filter((r) => r.outcome === 'dead_letter' || r.outcome === 'failed')).toEqual([]);
    expect(outcomes.filter((r) => r.outcome === 'released').map((r) => r.job_type)).toContain('sync');
    expect(outcomes.filter((r) => r.outcome === 'completed').map((r) => r.job_type)).toEqual(
      expect.arrayContaining(['sync', 'rescore', 'write-back']),
    );
    for (const queue of ['closewise-sync', 'closewise-rescore', 'closewise-write-back']) expect(await queued(queue)).toBe(0);
    expect(await deadLettered()).toBe(0);
  }, 180_000);
});

/** HubSpot list requests: one page of records per request (`GET /crm/v3/objects/contacts?after=…`). */
const LIST_PATH = /^GET \/crm\/v3\/objects\/[a-z]+$/;

/** Pages of one association batch (1,000 records) per stream: the most a resumed full sync reads again. */
const MAX_REREAD_PAGES = 1000 / 100 + 1000 / 50 + 1000 / 50 + 5 * (1000 / 100);

/** The list pages one full read of the portal takes: 50 a page with property history (contacts, deals), else 100. */
function fullReadPages(data: PortalData): number {
  const pages = (n: number, size: number) => Math.max(1, Math.ceil(n / size));
  const kinds = ['email', 'call', 'meeting', 'note', 'task'] as const;
  return (
    pages(data.companies.length, 100) +
    pages(data.contacts.length, 50) +
    pages(data.deals.length, 50) +
    kinds.reduce((n, kind) => n + pages(data.activities.filter((a) => a.kind === kind).length, 100), 0)
  );
}
