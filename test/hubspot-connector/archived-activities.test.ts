import type { HubSpotSandbox } from '@closewise/sandboxes/hubspot';
import { generateSyntheticPortal } from '@closewise/sandboxes/seed/synthetic-portal';
import type { HubSpotConnector } from '@closewise/server/connectors/hubspot/hubspot-connector';
import { historyCounts } from '@closewise/server/scoring/features/engagement';
import { loadTenantData, type TenantActivity } from '@closewise/server/scoring/tenant-data';
import { type InstalledHubSpotTenant, installHubSpotTenant } from '@closewise/server/test-support/hubspot-tenant';
import type { TestStore } from '@closewise/server/test-support/stores';
import { syncIntoStore } from '@closewise/server/use-cases/sync-tenant';
import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Activities (engagements) deleted in HubSpot stop counting: an incremental sync reads their archivals (list
 * endpoint with archived=true, per engagement type), the store marks them archived (rows kept), and the
 * scoring loader no longer links them to any record, so engagement features leave them out.
 */
describe('activities archived in HubSpot', () => {
  const portal = generateSyntheticPortal({ seed: 43, contacts: 80 });
  let sandbox: HubSpotSandbox;
  let store: TestStore;
  let connector: HubSpotConnector;
  let tenantId: string;
  let installed: InstalledHubSpotTenant | undefined;

  beforeAll(async () => {
    installed = await installHubSpotTenant(portal, 'activity archive portal');
    ({ sandbox, store, connector, tenantId } = installed);
  }, 120_000);
  afterAll(async () => {
    await installed?.stop();
  });

  const activityRows = () =>
    store.db
      .selectFrom('activities')
      .select(['kind', 'external_id', 'archived', 'occurred_at', 'properties'])
      .where('tenant_id', '=', tenantId)
      .orderBy('kind')
      .orderBy('external_id')
      .execute();
  /** Every activity the scoring loader links to some record, as `kind:id`. */
  const linkedActivities = async () => {
    const data = await loadTenantData(store.db, tenantId);
    return { data, keys: new Set([...data.activities.values()].flat().map((a) => `${a.kind}:${a.id}`)) };
  };

  it('an incremental sync archives a deleted email and meeting; scoring no longer sees them; a second sync changes nothing', async () => {
    await syncIntoStore(store.db, tenantId, connector);
    const before = await linkedActivities();
    // A record with both an email and a meeting, so its engagement count shows both leaving.
    const found = [...before.data.activities].find(
      ([, activities]) => activities.some((a) => a.kind === 'email') && activities.some((a) => a.kind === 'meeting'),
    );
    expect(found).toBeDefined();
    const [recordKey, list] = found as [string, TenantActivity[]];
    const email = list.find((a) => a.kind === 'email') as TenantActivity;
    const meeting = list.find((a) => a.kind === 'meeting') as TenantActivity;
    const countBefore = historyCounts(list, Number.POSITIVE_INFINITY).total;
    const rowsBefore = await activityRows();
    expect(rowsBefore.every((r) => !r.archived)).toBe(true);

    const client = new Client({ accessToken: sandbox.privateAppToken, basePath: sandbox.url });
    await client.crm.objects.basicApi.archive('emails', email.id);
    await client.crm.objects.basicApi.archive('meetings', meeting.id);
    const run = await syncIntoStore(store.db, tenantId, connector);
    expect(run.counts['archived:email']).toBe(1);
    expect(run.counts['archived:meeting']).toBe(1);
    expect(run.counts['archived:call']).toBe(0);
    expect(run.nextCursors['archived:email']).toBeTruthy();

    // (a) Archived, never deleted: the same rows, exactly those two flagged.
    const rowsAfter = await activityRows();
    expect(rowsAfter).toHaveLength(rowsBefore.length);
    expect(rowsAfter.filter((r) => r.archived).map((r) => `${r.kind}:${r.external_id}`)).toEqual([
      `email:${email.id}`,
      `meeting:${meeting.id}`,
    ]);

    // (b) The scoring loader links them to no record any more; the record's engagement count drops by two.
    const after = await linkedActivities();
    expect(after.keys.has(`email:${email.id}`)).toBe(false);
    expect(after.keys.has(`meeting:${meeting.id}`)).toBe(false);
    expect([...before.keys].filter((k) => !after.keys.has(k)).sort()).toEqual([`email:${email.id}`, `meeting:${meeting.id}`]);
    expect(historyCounts(after.data.activities.get(recordKey) ?? [], Number.POSITIVE_INFINITY).total).toBe(countBefore - 2);

    // (c) The next incremental sync changes nothing (re-reading the overlap only marks them again).
    const again = await syncIntoStore(store.db, tenantId, connector);
    expect(again.counts['archived:email']).toBeLessThanOrEqual(1);
    expect(await activityRows()).toEqual(rowsAfter);
    expect((await linkedActivities()).keys).toEqual(after.keys);
  });
});
