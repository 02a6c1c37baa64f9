import { type HubSpotSandbox, startHubSpotSandbox, type WriteSource } from '@closewise/sandboxes/hubspot';
import { generateSyntheticPortal } from '@closewise/sandboxes/seed/synthetic-portal';
import { createConnectorRegistry } from '@closewise/server/connectors/registry';
import { InProcessEngine } from '@closewise/server/jobs/in-process-engine';
import { createPostgresRateBudget } from '@closewise/server/jobs/rate-budget';
import { createRealHandlers } from '@closewise/server/jobs/real-handlers';
import { parseJobSettings } from '@closewise/server/jobs/settings';
import { readPortalStatus } from '@closewise/server/jobs/status';
import { pendingScoreWrites } from '@closewise/server/scoring/index';
import type { ObjectType } from '@closewise/server/store/schema';
import { type Tenant, upsertTenant } from '@closewise/server/tenants/tenant-repository';
import { openTestPostgres } from '@closewise/server/test-support/stores';
import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const key = Buffer.alloc(32, 5);
const PLURAL = { deal: 'deals', contact: 'contacts', company: 'companies' } as const;
/** What others overwrite, by type (the values reps and list filters read): two candidates, one differs from ours. */
const OVERWRITTEN: Record<ObjectType, Record<string, [string, string]>> = {
  deal: { closewise_deal_score: ['1', '2'], closewise_win_probability: ['3.5', '96.5'] },
  contact: {
    closewise_contact_priority: ['low', 'high'],
    closewise_likelihood_to_close: ['0.5', '99.5'],
    closewise_lead_grade: ['D4', 'A1'],
  },
  company: { closewise_engagement_level: ['lonely', 'high'] },
};
/** A person in the UI, an import and a workflow: the three kinds of outside writers the issue names. */
const SOURCES: (WriteSource | undefined)[] = [
  undefined,
  { sourceType: 'IMPORT', sourceId: 'import:4242' },
  { sourceType: 'AUTOMATION_PLATFORM', sourceId: 'enrollmentId:99' },
];

/**
 * Write-back converges on the truth: after 1,000 records' Closewise properties were overwritten in the
 * portal (by a person, an import, a workflow), the next scheduled sync job finds the outside edits in the
 * records' property history and writes Closewise's values back, one write per edited record; `status`
 * counts the edits and names the last one.
 */
describe('write-back repairs drift in the CRM', () => {
  let store: Awaited<ReturnType<typeof openTestPostgres>>;
  let sandbox: HubSpotSandbox;
  let tenant: Tenant;
  let engine: InProcessEngine;
  const data = generateSyntheticPortal({ seed: 12, contacts: 800 });

  beforeAll(async () => {
    store = await openTestPostgres();
    sandbox = await startHubSpotSandbox();
    sandbox.loadPortal(data);
    tenant = await upsertTenant(store.db, key, {
      crm: 'hubspot',
      externalId: String(sandbox.portalId),
      name: 'Drift portal',
      authMode: 'private_app',
      tokens: { accessToken: sandbox.privateAppToken },
    });
    await (
      await createConnectorRegistry({ db: store.db, encryptionKey: key, hubspot: { basePath: sandbox.url } }).forTenant(tenant)
    ).install();
    engine = new InProcessEngine({
      db: store.db,
      handlers: createRealHandlers({
        db: store.db,
        encryptionKey: key,
        hubSpotBasePath: sandbox.url,
        budget: createPostgresRateBudget(store.db, { requests: 104, windowMs: 10_000 }),
      }),
      settings: parseJobSettings({ schedules: { sync: 'off', rescore: 'off', retrain: 'off' }, concurrency: 2 }),
      worker: 'embedded',
    });
    await engine.start();
  }, 120_000);

  afterAll(async () => {
    await engine?.stop({ graceMs: 1000 });
    await sandbox?.stop();
    await store?.dispose();
  });

  async function completed(type: string, count: number): Promise<void> {
    for (let i = 0; i < 1200; i++) {
      const runs = await store.db.selectFrom('job_runs').select(['outcome', 'error']).where('job_type', '=', type).execute();
      const failed = runs.find((r) => r.outcome === 'dead_letter' || r.outcome === 'failed');
      if (failed) throw new Error(`${type} failed: ${failed.error}`);
      if (runs.filter((r) => r.outcome === 'completed').length >= count) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${type} did not complete`);
  }

  const client = () => new Client({ accessToken: sandbox.privateAppToken, basePath: sandbox.url });

  /** Closewise's properties of these records as the portal holds them now. */
  async function portalValues(type: ObjectType, ids: string[]): Promise<Map<string, Record<string, string | null>>> {
    const out = new Map<string, Record<string, string | null>>();
    for (let i = 0; i < ids.length; i += 100) {
      const page = await client().crm.objects.batchApi.read(PLURAL[type], {
        inputs: ids.slice(i, i + 100).map((id) => ({ id })),
        properties: Object.keys(OVERWRITTEN[type]),
        propertiesWithHistory: [],
      });
      for (const r of page.results) out.set(r.id, r.properties);
    }
    return out;
  }

  it('the next sync job restores 1,000 overwritten records with one write each, and status reports the edits', async () => {
    await engine.enqueue('sync', { tenantId: tenant.id });
    await completed('sync', 1);
    await engine.enqueue('rescore', { tenantId: tenant.id, now: data.now, writeBackShards: 1 });
    await completed('rescore', 1);
    await completed('write-back', 1);
    expect(await pendingScoreWrites(store.db, tenant.id)).toEqual([]);
    // The sync after our own write-back re-reads every record we wrote (our writes moved their modified
    // dates): none of that is an outside edit.
    await engine.enqueue('sync', { tenantId: tenant.id });
    await completed('sync', 2);
    expect((await readPortalStatus(store.db, null)).find((p) => p.tenantId === tenant.id)?.outsideEdits?.count ?? 0).toBe(0);

    const scored = await store.db
      .selectFrom('scores')
      .select(['object_type', 'external_id'])
      .where('tenant_id', '=', tenant.id)
      .where('written_back_at', 'is not', null)
      .orderBy('object_type')
      .orderBy('external_id')
      .execute();
    expect(scored.length).toBeGreaterThanOrEqual(1000);
    const victims = scored.slice(0, 1000).map((r) => ({ type: r.object_type, id: r.external_id }));
    const ids = (type: ObjectType) => victims.filter((v) => v.type === type).map((v) => v.id);
    const truth = new Map<string, Record<string, string | null>>();
    for (const type of ['deal', 'contact', 'company'] as const) {
      for (const [id, values] of await portalValues(type, ids(type))) truth.set(`${type}/${id}`, values);
    }
    const writesBefore = new Map((['deal', 'contact', 'company'] as const).map((t) => [t, sandbox.apiWritesPerRecord(PLURAL[t])]));

    // Someone else overwrites them: values that differ from every record's own.
    victims.forEach((v, i) => {
      const own = truth.get(`${v.type}/${v.id}`) ?? {};
      const changed = Object.fromEntries(
        Object.entries(OVERWRITTEN[v.type]).map(([name, [first, second]]) => [name, own[name] === first ? second : first]),
      );
      sandbox.simulateUserUpdate(PLURAL[v.type], v.id, changed, SOURCES[i % SOURCES.length]);
    });
    const drifted = await portalValues('deal', ids('deal'));
    expect([...drifted.values()].every((values) => values.closewise_deal_score !== null)).toBe(true);

    // The next scheduled cycle: the sync job (as the 15-minute schedule queues it).
    await engine.enqueue('sync', { tenantId: tenant.id });
    await completed('sync', 3);

    let restored = 0;
    for (const type of ['deal', 'contact', 'company'] as const) {
      for (const [id, values] of await portalValues(type, ids(type))) {
        const expected = truth.get(`${type}/${id}`) ?? {};
        const same = Object.keys(OVERWRITTEN[type]).every((name) => values[name] === expected[name]);
        if (same) restored++;
      }
    }
    expect(restored).toBe(1000);

    // One write per edited record, none for the others.
    const extra = (type: ObjectType) => {
      const before = writesBefore.get(type) ?? new Map<string, number>();
      const after = sandbox.apiWritesPerRecord(PLURAL[type]);
      return [...after].map(([id, n]) => ({ id, n: n - (before.get(id) ?? 0) }));
    };
    const victimSet = new Set(victims.map((v) => `${v.type}/${v.id}`));
    for (const type of ['deal', 'contact', 'company'] as const) {
      for (const { id, n } of extra(type)) expect(n, `${type} ${id}`).toBe(victimSet.has(`${type}/${id}`) ? 1 : 0);
    }

    const status = (await readPortalStatus(store.db, null)).find((p) => p.tenantId === tenant.id);
    expect(status?.outsideEdits.count).toBe(victims.reduce((n, v) => n + Object.keys(OVERWRITTEN[v.type]).length, 0));
    expect(status?.outsideEdits.last).toMatch(/ by (CRM_UI userId:7000001|IMPORT import:4242|AUTOMATION_PLATFORM enrollmentId:99) at /);

    // Converged: the sync after the repair (which re-reads the records it wrote) finds nothing new.
    await engine.enqueue('sync', { tenantId: tenant.id });
    await completed('sync', 4);
    const again = (await readPortalStatus(store.db, null)).find((p) => p.tenantId === tenant.id);
    expect(again?.outsideEdits.count).toBe(status?.outsideEdits.count);
    const unrepaired = await store.db
      .selectFrom('crm_outside_edits')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', tenant.id)
      .where('repaired_at', 'is', null)
      .executeTakeFirstOrThrow();
    expect(Number(unrepaired.n)).toBe(0);
  }, 300_000);
});
