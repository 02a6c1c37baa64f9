import type { Kysely } from 'kysely';
import type { SyncResult, WriteBackResult } from '../connectors/connector.ts';
import { HubSpotConnector } from '../connectors/hubspot/hubspot-connector.ts';
import { markScoresWritten, pendingScoreWrites, scoreTenant, type TrainingReport, trainTenantModels } from '../scoring/index.ts';
import type { Database } from '../store/schema.ts';
import { createStoreSyncSink } from '../store/sync-sink.ts';
import { deleteTenant, type Tenant, upsertTenant } from '../tenants/tenant-repository.ts';
import { type DemoPortal, startDemoPortal } from './demo-portal.ts';

export type DemoStep = (step: string, done: number, total: number) => void;

export interface DemoRun {
  portal: DemoPortal;
  tenant: Tenant;
  connector: HubSpotConnector;
  installed: { created: number; unchanged: number };
  sync: SyncResult;
  training: TrainingReport;
  writeBack: WriteBackResult & { deals: number; contacts: number; companies: number };
  now: Date;
}

export interface DemoOptions {
  db: Kysely<Database>;
  encryptionKey: Buffer;
  seed: number;
  onStep?: DemoStep;
}

/**
 * The main job end to end on a sandbox portal: install, sync, train on closed history, score, write back.
 * The portal's own "now" drives every time-dependent step, so the same seed gives the same results.
 */
export async function runDemo(options: DemoOptions): Promise<DemoRun> {
  const { db, seed, onStep } = options;
  onStep?.('starting sandbox portal', 0, 1);
  const portal = await startDemoPortal(seed);
  try {
    const now = new Date(portal.data.now);
    // A demo run starts from a clean tenant, so repeated runs with one seed give identical results.
    await deleteTenant(db, 'hubspot', portal.portalId);
    const tenant = await upsertTenant(db, options.encryptionKey, {
      crm: 'hubspot',
      externalId: portal.portalId,
      name: portal.data.name,
      authMode: 'private_app',
      tokens: { accessToken: portal.accessToken },
    });
    const connector = new HubSpotConnector({ accessToken: portal.accessToken, basePath: portal.url, portalId: portal.portalId });

    onStep?.('installing properties', 0, 1);
    const install = await connector.installWithReport();

    const expected = portal.data.companies.length + portal.data.contacts.length + portal.data.deals.length;
    // Object types may sync concurrently: report one running total for the records a person counts.
    const fetchedByType = new Map<string, number>();
    const sync = await connector.sync(createStoreSyncSink(db, tenant.id), {
      onProgress: ({ objectType, fetched }) => {
        if (!['company', 'contact', 'deal'].includes(objectType)) return;
        fetchedByType.set(objectType, fetched);
        onStep?.('syncing records', [...fetchedByType.values()].reduce((a, b) => a + b, 0), expected);
      },
    });

    const training = await trainTenantModels(db, tenant.id, { now, seed, onProgress: (step, done, total) => onStep?.(step, done, total) });
    await scoreTenant(db, tenant.id, { now, onProgress: (step, done, total) => onStep?.(step, done, total) });

    const writes = await pendingScoreWrites(db, tenant.id);
    const writeResult = await connector.writeScores(writes, (done) => onStep?.('writing scores back', done, writes.length));
    const failed = new Set(writeResult.failed.map((f) => f.externalId));
    await markScoresWritten(
      db,
      tenant.id,
      writes.filter((w) => !failed.has(w.externalId)),
      now,
    );
    const count = (type: string) => writes.filter((w) => w.objectType === type && !failed.has(w.externalId)).length;
    return {
      portal,
      tenant,
      connector,
      installed: { created: install.created.length, unchanged: install.unchanged.length },
      sync,
      training,
      writeBack: { ...writeResult, deals: count('deal'), contacts: count('contact'), companies: count('company') },
      now,
    };
  } catch (error) {
    await portal.stop();
    throw error;
  }
}
