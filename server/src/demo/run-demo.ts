import type { Kysely } from 'kysely';
import type { CrmConnector, SyncResult } from '../connectors/connector.ts';
import { markScoresWritten, pendingScoreWrites, scoreTenant, type TrainingReport, trainTenantModels } from '../scoring/index.ts';
import type { CrmKind, Database } from '../store/schema.ts';
import { createStoreSyncSink } from '../store/sync-sink.ts';
import type { Tenant } from '../tenants/tenant-repository.ts';
import { type DemoPortal, startHubSpotDemoPortal, startSalesforceDemoPortal } from './demo-portal.ts';

export type DemoStep = (step: string, done: number, total: number) => void;

export interface DemoRun {
  portal: DemoPortal;
  tenant: Tenant;
  connector: CrmConnector;
  installed: { created: number; unchanged: number };
  sync: SyncResult;
  training: TrainingReport;
  writeBack: { written: number; failed: number; deals: number; contacts: number; companies: number };
  now: Date;
}

export interface DemoOptions {
  db: Kysely<Database>;
  encryptionKey: Buffer;
  seed: number;
  crm?: CrmKind;
  onStep?: DemoStep;
}

const START: Record<CrmKind, (seed: number) => Promise<DemoPortal>> = {
  hubspot: startHubSpotDemoPortal,
  salesforce: startSalesforceDemoPortal,
};

/**
 * The main job end to end on a sandbox portal: install, sync, train on closed history, score, write back.
 * The portal's own "now" drives every time-dependent step, so the same seed gives the same results.
 */
export async function runDemo(options: DemoOptions): Promise<DemoRun> {
  const { db, seed, onStep } = options;
  onStep?.('starting sandbox portal', 0, 1);
  const portal = await START[options.crm ?? 'hubspot'](seed);
  try {
    const now = new Date(portal.data.now);
    onStep?.('installing Closewise', 0, 1);
    const { tenant, connector, installed } = await portal.connect(db, options.encryptionKey);

    const expected = portal.data.companies.length + portal.data.contacts.length + portal.data.deals.length;
    // Object types may sync concurrently: report one running total for the records a person counts.
    const fetchedByType = new Map<string, number>();
    const sync = await connector.sync(createStoreSyncSink(db, tenant.id), {
      onProgress: ({ objectType, fetched }) => {
        if (!['company', 'contact', 'deal'].includes(objectType)) return;
        fetchedByType.set(objectType, fetched);
        onStep?.(
          'syncing records',
          [...fetchedByType.values()].reduce((a, b) => a + b, 0),
          expected,
        );
      },
    });

    const training = await trainTenantModels(db, tenant.id, { now, seed, onProgress: (step, done, total) => onStep?.(step, done, total) });
    await scoreTenant(db, tenant.id, { now, onProgress: (step, done, total) => onStep?.(step, done, total) });

    const writes = await pendingScoreWrites(db, tenant.id);
    const result = await connector.writeScores(writes, (done) => onStep?.('writing scores back', done, writes.length));
    const failed = new Set(result.failed.map((f) => f.externalId));
    const written = writes.filter((w) => !failed.has(w.externalId));
    await markScoresWritten(db, tenant.id, written, now);
    const count = (type: string) => written.filter((w) => w.objectType === type).length;
    return {
      portal,
      tenant,
      connector,
      installed,
      sync,
      training,
      writeBack: {
        written: written.length,
        failed: failed.size,
        deals: count('deal'),
        contacts: count('contact'),
        companies: count('company'),
      },
      now,
    };
  } catch (error) {
    await portal.stop();
    throw error;
  }
}
