import type { DrainResult } from '@closewise/server/functions/drain';
import type { LambdaContext } from '@closewise/server/functions/lambda-events';
import type { TickResult } from '@closewise/server/functions/schedule-tick';
import { pendingScoreWrites } from '@closewise/server/scoring/index';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENCRYPTION_KEY_HEX, type PostgresTenant, postgresHubSpotTenant } from './test-support/scored-tenant.ts';

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
    t = await postgresHubSpotTenant({ contacts: 300, seed: 5, score: false });
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

  it('drains sync, scoring and write-back across invocations (3 s, then 20 s budgets), nothing lost', async () => {
    // Slow HubSpot answers; the first invocation's 3 s budget interrupts the sync, which is handed back
    // (a first full sync is not checkpointed mid-way, so it must fit one budget: it reruns in the next).
    t.sandbox.faults.set({ latencyMs: [350, 450], seed: 5 });
    const runs: DrainResult[] = [];
    for (let i = 0; i < 6; i++) {
      const budgetSeconds = i === 0 ? 3 : 20;
      const result = await drain({ budgetSeconds }, { getRemainingTimeInMillis: () => 900_000 });
      runs.push(result);
      expect(result.elapsedMs).toBeLessThanOrEqual(budgetSeconds * 1000 + 2_000);
      if (result.drained) break;
    }
    const last = runs.at(-1);
    expect(last?.drained, JSON.stringify(runs)).toBe(true);
    expect(runs.reduce((n, r) => n + r.failed, 0)).toBe(0);
    expect(runs.length).toBeGreaterThan(1);

    const contacts = await t.store.db
      .selectFrom('crm_records')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', t.tenant.id)
      .where('object_type', '=', 'contact')
      .executeTakeFirstOrThrow();
    expect(Number(contacts.n)).toBe(t.data.contacts.length);
    expect(await pendingScoreWrites(t.store.db, t.tenant.id)).toEqual([]);
    const outcomes = await t.store.db.selectFrom('job_runs').select(['job_type', 'outcome']).execute();
    expect(outcomes.filter((r) => r.outcome === 'dead_letter' || r.outcome === 'failed')).toEqual([]);
    expect(outcomes.filter((r) => r.outcome === 'completed').map((r) => r.job_type)).toEqual(
      expect.arrayContaining(['sync', 'rescore', 'write-back']),
    );
    expect(t.sandbox.stats().byPath['POST /crm/v3/objects/contacts/batch/update']).toBeGreaterThan(0);
    for (const queue of ['closewise-sync', 'closewise-rescore', 'closewise-write-back']) expect(await queued(queue)).toBe(0);
    expect(runs[0]?.continued).toBe(1);
    process.stdout.write(
      `HubSpot requests ${t.sandbox.stats().requests}; drain invocations: ${JSON.stringify(runs.map(({ completed, continued, failed, elapsedMs }) => ({ completed, continued, failed, elapsedMs })))}\n`,
    );
  }, 300_000);
});
