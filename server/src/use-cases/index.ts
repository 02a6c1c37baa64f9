// The use cases: the only code that calls both the CRM connectors and scoring. Routers, jobs and the CLI call these.
export { createSuggestedTask } from './create-suggested-task.ts';
export type { UseCaseDeps } from './deps.ts';
export { type AffectedRecord, eraseRecordForPrivacy, removeMergedRecords } from './erase-record.ts';
export { refreshTenantRecord } from './refresh-record.ts';
export { repairOutsideEdits } from './repair-outside-edits.ts';
export { type RecordRescore, rescoreRecord } from './rescore-record.ts';
export { type RescoreOptions, type RescoreOutcome, type RescoreScope, rescoreScope } from './rescore-scope.ts';
export { syncTenant } from './sync-tenant.ts';
export { type TrainOptions, trainTenant } from './train-tenant.ts';
export { countPendingWrites, type WriteBackOptions, type WriteBackOutcome, writeBackPending } from './write-back-pending.ts';
