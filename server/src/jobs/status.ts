import type { Kysely } from 'kysely';
import { PgBoss } from 'pg-boss';
import { portalSettingsSchema } from '../store/columns/tenant-settings.ts';
import type { Database } from '../store/schema.ts';
import { type CrmApiPause, selectCrmApiPausesOfAllTenants } from '../store/tables/crm-api-pauses.ts';
import { type OutsideEditSummary, selectOutsideEditSummariesOfAllTenants } from '../store/tables/crm-outside-edits.ts';
import { lastCompletedRuns, liveOpenRuns, problemRuns } from '../store/tables/job-runs.ts';
import { selectActiveModelVersionsOfAllTenants } from '../store/tables/models.ts';
import { selectTenantSettings } from '../store/tables/settings.ts';
import { selectLastSyncedAtPerTenant } from '../store/tables/sync-state.ts';
import { selectAllTenantSummaries } from '../store/tables/tenants.ts';
import { JOB_TYPES } from './job-types.ts';
import { DEAD_LETTER_QUEUE, QUEUE_PREFIX, queueOf } from './pg-boss-engine.ts';
import { RunLog } from './run-log.ts';

export interface PortalStatus {
  tenantId: string;
  name: string;
  crm: string;
  portal: string;
  /** How the portal is connected: `private app (<tier>)` or `oauth`. */
  mode: string;
  active: boolean;
  /** Set while the CRM's API allowance is spent: "daily API limit reached; resumes at …". */
  paused: string | null;
  lastSync: Date | null;
  lastTraining: Date | null;
  /** Active model version per target, e.g. { deal_win_at_creation: 3 }. */
  modelVersions: Record<string, number>;
  /** Jobs waiting (queued or waiting for a retry); null when the queue is not readable from here (embedded engine). */
  queueDepth: number | null;
  running: string[];
  /** Failed attempts in the last 24 hours (each was or will be retried), runs of workers that died among them. */
  failures24h: number;
  lastFailure: string | null;
  /** Jobs given up: invalid payload or retries exhausted. */
  deadLetters: number;
  lastDeadLetter: string | null;
  /** The drift check of each active model's card (population stability, calibration on the newest slice). */
  drift: ModelDriftStatus[];
  /** Edits of Closewise's CRM properties by others (workflows, imports, people), found and written over by the sync. */
  outsideEdits: { count: number; last: string | null };
}

export interface ModelDriftStatus {
  target: string;
  version: number;
  /** False for a card without the check (older models, priors) or one trained without time. */
  checked: boolean;
  /** The card's plain-language drift warning; null when the check passed or did not run. */
  warning: string | null;
  newestRows: number | null;
  /** The feature that moved most, with its population stability index. */
  largestShift: { feature: string; psi: number } | null;
  newestEce: number | null;
  eceBound: number | null;
}

interface QueueCounts {
  waiting: Map<string, number>;
  dead: Map<string, number>;
}

/** Waiting and dead-lettered jobs per portal, read from pg-boss; null when pg-boss is not installed there. */
export async function readQueueCounts(databaseUrl: string): Promise<QueueCounts | null> {
  const boss = new PgBoss({
    connectionString: databaseUrl,
    schedule: false,
    supervise: false,
    migrate: false,
    registerInstance: false,
    max: 2,
  });
  boss.on('error', () => undefined);
  try {
    await boss.start();
  } catch {
    return null;
  }
  try {
    if (!(await boss.isInstalled())) return null;
    const waiting = new Map<string, number>();
    const dead = new Map<string, number>();
    const add = (map: Map<string, number>, data: unknown) => {
      const tenantId = (data as { tenantId?: unknown } | null)?.tenantId;
      if (typeof tenantId === 'string') map.set(tenantId, (map.get(tenantId) ?? 0) + 1);
    };
    const names = new Set((await boss.getQueues()).map((q) => q.name));
    for (const type of JOB_TYPES) {
      if (!names.has(queueOf(type))) continue;
      for (const job of await boss.findJobs(queueOf(type), { queued: true, limit: 100_000 })) add(waiting, job.data);
    }
    if (names.has(DEAD_LETTER_QUEUE)) {
      for (const job of await boss.findJobs(DEAD_LETTER_QUEUE, { queued: true, limit: 100_000 })) {
        if (job.sourceName?.startsWith(QUEUE_PREFIX)) add(dead, job.data);
      }
    }
    return { waiting, dead };
  } finally {
    await boss.stop({ graceful: false, close: true });
  }
}

/**
 * Per portal: last sync, last training, model versions, queue depth, failures and dead letters.
 * Everything but the queue depth comes from the store (the run log, models, sync state), so it reads the
 * same under both engines.
 */
export async function readPortalStatus(db: Kysely<Database>, queues: QueueCounts | null, now: Date = new Date()): Promise<PortalStatus[]> {
  // Runs whose worker died are closed first, so they count as the failures they are, not as "running".
  await new RunLog(db).failDeadRuns();
  const tenants = await selectAllTenantSummaries(db);
  const lastDone = await lastCompletedRuns(db, ['sync', 'retrain']);
  const syncState = await selectLastSyncedAtPerTenant(db);
  const models = await selectActiveModelVersionsOfAllTenants(db);
  const dayAgo = new Date(Date.now() - 86_400_000);
  const problems = await problemRuns(db, dayAgo);
  const running = await liveOpenRuns(db);
  const outsideEdits = await selectOutsideEditSummariesOfAllTenants(db);
  const pauses = await selectCrmApiPausesOfAllTenants(db);
  const tiers = new Map<string, string | undefined>();
  for (const t of tenants) {
    if (t.authMode === 'private_app')
      tiers.set(t.id, portalSettingsSchema.parse((await selectTenantSettings(db, t.id))?.['portal'] ?? {}).tier);
  }

  const toDate = (value: unknown) => (value ? new Date(value as string | Date) : null);
  const latest = (a: Date | null, b: Date | null) => (a && b ? (a > b ? a : b) : (a ?? b));

  return tenants.map((t) => {
    const done = (type: string) => toDate(lastDone.find((r) => r.tenant_id === t.id && r.job_type === type)?.at);
    const own = models.filter((m) => m.tenantId === t.id);
    const trainedAt = own.reduce<Date | null>((acc, m) => latest(acc, m.trainedAt), null);
    const failures = problems.filter((p) => p.tenant_id === t.id && p.outcome === 'failed');
    const deadRuns = problems.filter((p) => p.tenant_id === t.id && p.outcome === 'dead_letter');
    return {
      tenantId: t.id,
      name: t.name,
      crm: t.crm,
      portal: t.externalId,
      mode: t.authMode === 'private_app' ? `private app (${tiers.get(t.id) ?? 'tier unknown'})` : t.authMode,
      active: t.status === 'active',
      paused: describePause(
        pauses.find((p) => p.tenantId === t.id),
        now,
      ),
      lastSync: latest(done('sync'), syncState.find((s) => s.tenantId === t.id)?.at ?? null),
      lastTraining: latest(done('retrain'), trainedAt),
      modelVersions: Object.fromEntries(own.map((m) => [m.target, m.version])),
      queueDepth: queues ? (queues.waiting.get(t.id) ?? 0) : null,
      running: running.filter((r) => r.tenant_id === t.id).map((r) => `${r.job_type} on ${r.worker}`),
      failures24h: failures.length,
      lastFailure: failures.at(-1) ? `${failures.at(-1)?.job_type}: ${failures.at(-1)?.error ?? ''}` : null,
      deadLetters: Math.max(deadRuns.length, queues?.dead.get(t.id) ?? 0),
      lastDeadLetter: deadRuns.at(-1) ? `${deadRuns.at(-1)?.job_type}: ${deadRuns.at(-1)?.error ?? ''}` : null,
      outsideEdits: describeOutsideEdits(outsideEdits.find((o) => o.tenantId === t.id)),
      drift: own.map(driftStatusOf),
    };
  });
}

function driftStatusOf(model: Awaited<ReturnType<typeof selectActiveModelVersionsOfAllTenants>>[number]): ModelDriftStatus {
  const drift = model.drift;
  if (!drift?.checked)
    return {
      target: model.target,
      version: model.version,
      checked: false,
      warning: null,
      newestRows: null,
      largestShift: null,
      newestEce: null,
      eceBound: null,
    };
  return {
    target: model.target,
    version: model.version,
    checked: true,
    warning: drift.warning,
    newestRows: drift.newestSlice.rows,
    largestShift: drift.psi[0] ?? null,
    newestEce: drift.newestEce,
    eceBound: drift.eceBound,
  };
}

/** "daily API limit reached; resumes at 2026-…" while a pause lasts; a pause whose time has come reads as none. */
function describePause(pause: CrmApiPause | undefined, now: Date): string | null {
  if (!pause || pause.resumeAt.getTime() <= now.getTime()) return null;
  return `daily API limit reached; resumes at ${pause.resumeAt.toISOString()}`;
}

/** "deal 123 closewise_deal_score set to 2 by CRM_UI userId:7 at 2025-…" — who overwrote what, last. */
function describeOutsideEdits(summary: OutsideEditSummary | undefined): PortalStatus['outsideEdits'] {
  const last = summary?.last;
  if (!summary || !last) return { count: 0, last: null };
  const by = [last.sourceType, last.sourceId].filter(Boolean).join(' ');
  return {
    count: summary.count,
    last: `${last.objectType} ${last.externalId} ${last.property} set to ${JSON.stringify(last.value ?? '')} by ${by} at ${last.changedAt.toISOString()}`,
  };
}
