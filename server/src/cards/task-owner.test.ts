import { generateSyntheticPortal } from '@closewise/sandboxes/seed/synthetic-portal';
import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCardApi } from '../http/hubspot-cards/test-support/signed-client.ts';
import { createStoreSyncSink } from '../store/sync-sink.ts';
import { type InstalledHubSpotTenant, installHubSpotTenant } from '../test-support/hubspot-tenant.ts';
import { createStoreCardDeps } from './hubspot-card-deps.ts';

/**
 * issue #19: "Clicking 'Create task' as user U creates a task owned by U's owner id in the sandbox". The click goes
 * through the real card API, signed as hubspot.fetch signs it (HubSpot appends userId, userEmail, appId and portalId
 * to the URL it signs), to the real connector and the sandbox portal, where the task is read back with the SDK.
 */
describe('Create task assigns the task to the HubSpot user who clicked', () => {
  const portal = generateSyntheticPortal({ seed: 19, contacts: 40 });
  let installed: InstalledHubSpotTenant;
  let api: Awaited<ReturnType<typeof startCardApi>>;
  let client: Client;
  let dealId: string;

  beforeAll(async () => {
    installed = await installHubSpotTenant(portal, 'task owner portal');
    const { store, tenantId, connector, sandbox, ids } = installed;
    await connector.sync(createStoreSyncSink(store.db, tenantId));
    api = await startCardApi(
      createStoreCardDeps({ db: store.db, clientSecret: 'owner-secret', connectors: { forTenant: async () => connector } }),
    );
    client = new Client({ accessToken: sandbox.privateAppToken, basePath: sandbox.url, numberOfApiCallRetries: 6 });
    dealId = [...ids.deals.values()][0]!;
  }, 120_000);
  afterAll(async () => {
    await api?.close();
    await installed?.stop();
  });

  const click = (query: string, idempotencyKey: string, title = 'Call the champion') =>
    api.request('POST', `/api/hubspot/cards/deals/${dealId}/actions/create-task?portalId=${installed.sandbox.portalId}${query}`, {
      idempotencyKey,
      actionId: 'follow-up',
      title,
      dueDate: '2026-11-05',
    });
  const ownerOfTask = async (taskId: string) =>
    (await client.crm.objects.tasks.basicApi.getById(taskId, ['hubspot_owner_id', 'hs_task_subject'])).properties;

  it("owns the task by the clicking user's owner id, not by their user id, and says so on a replay too", async () => {
    const owners = (await client.crm.owners.ownersApi.getPage()).results;
    const user = owners[1]!;
    expect(String(user.userId)).not.toBe(user.id); // the two ids differ, so using the wrong one would show
    const query = `&userId=${user.userId}&userEmail=${encodeURIComponent(user.email ?? '')}&appId=77`;
    const first = await click(query, 'owner-key-0001');
    expect(first.status, first.text).toBe(201);
    expect(first.body).toMatchObject({ created: true, assignedToYou: true });
    const taskId = (first.body as { taskId: string }).taskId;
    expect(await ownerOfTask(taskId)).toMatchObject({ hubspot_owner_id: user.id, hs_task_subject: 'Call the champion' });

    const replay = await click(query, 'owner-key-0001');
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual({ taskId, created: false, assignedToYou: true });
  });

  it('creates the task unassigned, and says so, for a user HubSpot has no owner record for', async () => {
    const res = await click('&userId=424242&appId=77', 'owner-key-0002', 'Nobody owns this');
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({ created: true, assignedToYou: false });
    const properties = await ownerOfTask((res.body as { taskId: string }).taskId);
    expect(properties.hs_task_subject).toBe('Nobody owns this');
    expect(properties.hubspot_owner_id ?? '').toBe('');
  });

  it('refuses a malformed or contradictory user id with a 400 and creates nothing', async () => {
    expect((await click('&userId=abc', 'owner-key-0003', 'Refused task')).status).toBe(400);
    expect((await click('&userId=1&userId=2', 'owner-key-0004', 'Refused task')).status).toBe(400);
    expect(await taskSubjects()).not.toContain('Refused task');
  });

  /** Every task subject in the portal, through the SDK's paging. */
  async function taskSubjects(): Promise<string[]> {
    const subjects: string[] = [];
    let after: string | undefined;
    do {
      const page = await client.crm.objects.tasks.basicApi.getPage(100, after, ['hs_task_subject']);
      subjects.push(...page.results.map((t) => t.properties.hs_task_subject ?? ''));
      after = page.paging?.next?.after;
    } while (after);
    return subjects;
  }
});
