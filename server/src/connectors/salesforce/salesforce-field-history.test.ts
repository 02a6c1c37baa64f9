import { randomBytes } from 'node:crypto';
import { type SalesforceSandbox, startSalesforceSandbox } from '@closewise/sandboxes/salesforce/sandbox';
import type { PortalData } from '@closewise/sandboxes/seed/portal-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listModels } from '../../scoring/model-store.ts';
import { loadTenantData } from '../../scoring/tenant-data.ts';
import { smallPortal } from '../../scoring/test-support/fixtures.ts';
import { type TrainingReport, trainTenantModels } from '../../scoring/train.ts';
import { createStoreSyncSink } from '../../store/sync-sink.ts';
import { openTestPglite, type TestStore } from '../../test-support/stores.ts';
import { installSalesforceTenant } from './install-tenant.ts';
import { salesforceConnectorForTenant } from './tenant-connector.ts';

const closedAtOf = (deal: PortalData['deals'][number]) => {
  const stages = deal.history['dealstage']!;
  return Date.parse(stages[stages.length - 1]!.timestamp);
};

/** Two fields filled in when a deal closes: a close reason (tracked) and a signing date (not tracked). */
function plantLeaks(portal: PortalData): PortalData {
  portal.customProperties.push(
    { objectType: 'deal', name: 'close_reason', label: 'Close reason', type: 'string', fieldType: 'text' },
    { objectType: 'deal', name: 'signed_on', label: 'Signed on', type: 'date', fieldType: 'date' },
  );
  for (const deal of portal.deals) {
    const stage = deal.properties['dealstage'];
    if (stage !== 'closedwon' && stage !== 'closedlost') continue;
    const closedAt = closedAtOf(deal);
    const reason = stage === 'closedwon' ? ['price', 'features', 'relationship'] : ['budget', 'timing', 'competitor'];
    deal.properties['close_reason'] = reason[deal.id.length % 3]!;
    deal.history['close_reason'] = [{ value: deal.properties['close_reason'], timestamp: new Date(closedAt).toISOString() }];
    const signed = new Date(closedAt + 86_400_000).toISOString();
    deal.properties['signed_on'] = signed.slice(0, 10);
    deal.history['signed_on'] = [{ value: signed.slice(0, 10), timestamp: signed }];
  }
  return portal;
}

/**
 * Field history through the real connector: the sandbox org tracks Close_Reason__c (and the standard fields
 * the models read) but not Signed_On__c. The tracked field's history shows it set at the close, so the
 * post-outcome guard catches it; the untracked one has no history and is excluded as 'history unknown'.
 */
describe('Salesforce field history (sandbox org, real jsforce, real store)', () => {
  const portal = plantLeaks(smallPortal(41));
  let sandbox: SalesforceSandbox;
  let store: TestStore;
  let tenantId: string;
  let report: TrainingReport;
  let connector: ReturnType<typeof salesforceConnectorForTenant>;
  let cursors: Record<string, string>;

  beforeAll(async () => {
    sandbox = await startSalesforceSandbox({ untrackedHistory: { Opportunity: ['Signed_On__c'] } });
    sandbox.loadPortal(portal);
    store = await openTestPglite();
    const oauth = {
      loginUrl: sandbox.loginUrl,
      clientId: sandbox.clientId,
      clientSecret: sandbox.clientSecret,
      redirectUri: 'http://127.0.0.1/closewise/oauth/salesforce/callback',
    };
    const params = new URLSearchParams({ response_type: 'code', client_id: oauth.clientId, redirect_uri: oauth.redirectUri, state: 't' });
    const callback = await sandbox.approveAuthorization(`${oauth.loginUrl}/services/oauth2/authorize?${params.toString()}`);
    const key = randomBytes(32);
    const tenant = await installSalesforceTenant(store.db, key, {
      oauth,
      code: callback.searchParams.get('code') ?? '',
      name: 'field history',
      apiVersion: sandbox.apiVersion,
    });
    tenantId = tenant.id;
    connector = salesforceConnectorForTenant({ db: store.db, encryptionKey: key, tenant, oauth, apiVersion: sandbox.apiVersion });
    const sync = await connector.sync(createStoreSyncSink(store.db, tenant.id));
    expect(sync.status.state).toBe('complete');
    cursors = sync.nextCursors;
    report = await trainTenantModels(store.db, tenant.id, { now: new Date(portal.now), targets: ['deal_win_at_creation'] });
  }, 240_000);
  afterAll(async () => {
    await sandbox?.stop();
    await store?.dispose();
  });

  it('stores the history of tracked fields (job title, country, industry, owner, custom) and none of untracked ones', async () => {
    const data = await loadTenantData(store.db, tenantId);
    const hasHistory = (records: typeof data.deals, property: string) =>
      records.filter((r) => r.properties[property]).every((r) => (r.history.get(property)?.length ?? 0) > 0);
    expect(hasHistory(data.contacts, 'job_title')).toBe(true);
    expect(hasHistory(data.contacts, 'country')).toBe(true);
    expect(hasHistory(data.companies, 'industry')).toBe(true);
    expect(hasHistory(data.deals, 'owner_id')).toBe(true);
    expect(hasHistory(data.deals, 'custom:Close_Reason__c')).toBe(true);
    const signed = data.deals.filter((d) => d.properties['custom:Signed_On__c']);
    expect(signed.length).toBeGreaterThan(50);
    expect(signed.every((d) => !d.history.has('custom:Signed_On__c'))).toBe(true);
  });

  it('catches the tracked post-outcome field, excludes the untracked one as history unknown, keeps the rest', async () => {
    const excluded = report.models[0]!.excludedFeatures;
    const reasonOf = (name: string) => excluded.find((e) => e.feature === name)?.reason;
    expect(reasonOf('deal_custom_Close_Reason__c')).toMatch(/changes after the outcome/);
    expect(reasonOf('deal_custom_Signed_On__c')).toMatch(/^history unknown:/);
    expect(excluded.map((e) => e.feature).filter((n) => n !== 'deal_custom_Close_Reason__c' && n !== 'deal_custom_Signed_On__c')).toEqual(
      [],
    );
    const [model] = await listModels(store.db, tenantId, 'deal_win_at_creation');
    expect(model!.card.excludedFeatures.find((e) => e.feature === 'deal_custom_Signed_On__c')?.reason).toMatch(/history unknown/);
    const used = model!.card.features.map((f) => f.name);
    expect(used).not.toContain('deal_custom_Close_Reason__c');
    expect(used).not.toContain('deal_custom_Signed_On__c');
    expect(used).toContain('deal_custom_Competitor_Involved__c');
  });

  it('records an edit of a tracked field in OpportunityFieldHistory, not one of an untracked field; the next incremental sync stores it', async () => {
    const opp = sandbox.records('Opportunity').find((o) => o.IsClosed === false)!;
    const before = sandbox.records('OpportunityFieldHistory').length;
    sandbox.editRecord(String(opp.Id), { Close_Reason__c: 'edited', Signed_On__c: '2026-01-01' });
    const rows = sandbox.records('OpportunityFieldHistory').slice(before);
    expect(rows.map((r) => [r.OpportunityId, r.Field, r.NewValue])).toEqual([[opp.Id, 'Close_Reason__c', 'edited']]);
    const next = await connector.sync(createStoreSyncSink(store.db, tenantId), { cursors });
    expect(next.counts.deal).toBe(1);
    const data = await loadTenantData(store.db, tenantId);
    const history = data.deals.find((d) => d.id === opp.Id || d.key === opp.Id)?.history.get('custom:Close_Reason__c');
    expect(history?.map((h) => h.value)).toEqual([null, 'edited']);
  });
});
