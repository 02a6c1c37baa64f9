import { type TrainingReport, trainTenantModels } from '../scoring/index.ts';
import type { UseCaseDeps } from './deps.ts';

export interface TrainOptions {
  /** The moment training treats as now: it learns from history closed before it (a sandbox's fixed "now" in the demo). */
  now: Date;
  /** Seeds the trainer, so one seed gives one model (the demo's repeatable summary). */
  seed?: number;
  onProgress?: (step: string, done: number, total: number) => void;
}

/**
 * Trains the tenant's models on its stored history (the retrain job, the demo). Reads the store only: no
 * connector is built, so a CRM that is down never blocks training.
 */
export async function trainTenant(deps: UseCaseDeps, tenantId: string, options: TrainOptions): Promise<TrainingReport> {
  return trainTenantModels(deps.db, tenantId, options);
}
