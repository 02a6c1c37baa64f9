import type { Kysely } from 'kysely';
import type { SyncProgress, SyncResult } from '../connectors/connector.ts';
import type { TrainingReport } from '../scoring/index.ts';
import type { CrmKind, Database } from '../store/schema.ts';
import type { Tenant } from '../tenants/tenant-repository.ts';
import { rescoreScope, syncTenant, trainTenant, type UseCaseDeps, type WriteBackOutcome, writeBackPending } from '../use-cases/index.ts';
import { type DemoPortal, type DemoPortalKind, startHubSpotDemoPortal, startSalesforceDemoPortal } from './demo-portal.ts';

export type DemoStep = (step: string, done: number, total: number) => void;

export interface DemoRun {
  portal: DemoPortal;
  tenant: Tenant;
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
  /** HubSpot only: the synthetic portal (default) or the Maven sample data. */
  portal?: DemoPortalKind;
  onStep?: DemoStep;
}

const START: Record<CrmKind, (seed: number, kind: DemoPortalKind) => Promise<DemoPortal>> = {
  hubspot: startHubSpotDemoPortal,
  salesforce: (seed) => startSalesforceDemoPortal(seed),
};

/** Object types may sync concurrently: one running total for the records a person counts, against the portal's size. */
function recordsSyncProgress(portal: DemoPortal, onStep: DemoStep | undefined): SyncProgress {
  const expected = portal.data.companies.length + portal.data.contacts.length + portal.data.deals.length;
  const fetchedByType = new Map<string, number>();
  return ({ objectType, fetched }) => {
    if (!['company', 'contact', 'deal'].includes(objectType)) return;
    fetchedByType.set(objectType, fetched);
    onStep?.(
      'syncing records',
      [...fetchedByType.values()].reduce((a, b) => a + b, 0),
      expected,
    );
  };
}

/** What the summary reports of the write-back: the writes marked written (the CRM took them), per object type. */
function writeBackCounts(outcome: WriteBackOutcome): DemoRun['writeBack'] {
  const failed = new Set(outcome.failed.map((f) => f.externalId));
  const written = outcome.writes.filter((w) => !failed.has(w.externalId));
  const count = (type: string) => written.filter((w) => w.objectType === type).length;
  return { written: written.length, failed: failed.size, deals: count('deal'), contacts: count('contact'), companies: count('company') };
}

/**
 * The main job end to end on a sandbox portal: install, sync, train on closed history, score, write back,
 * through the same use cases as the jobs. The portal's own "now" drives every time-dependent step, so the
 * same seed gives the same results.
 */
export async function runDemo(options: DemoOptions): Promise<DemoRun> {
  const { db, seed, onStep } = options;
  const step: DemoStep = (name, done, total) => onStep?.(name, done, total);
  step('starting sandbox portal', 0, 1);
  const portal = await START[options.crm ?? 'hubspot'](seed, options.portal ?? 'synthetic');
  try {
    const now = new Date(portal.data.now);
    step('installing Closewise', 0, 1);
    const { tenant, connectors, installed } = await portal.connect(db, options.encryptionKey);
    const deps: UseCaseDeps = { db, connectors };

    const sync = await syncTenant(deps, tenant.id, { onProgress: recordsSyncProgress(portal, onStep) });
    const training = await trainTenant(deps, tenant.id, { now, seed, onProgress: step });
    // Scored first, written after: the write-back reports its own progress line.
    await rescoreScope(deps, tenant.id, { kind: 'tenant' }, { now, writeBack: 'later', onProgress: step });
    const writeBack = await writeBackPending(deps, tenant.id, {
      writtenAt: now,
      onProgress: (done, total) => step('writing scores back', done, total),
    });
    return { portal, tenant, installed, sync, training, writeBack: writeBackCounts(writeBack), now };
  } catch (error) {
    await portal.stop();
    throw error;
  }
}
