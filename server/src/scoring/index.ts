/**
 * The scoring core's seam: what the demo, the jobs and the HTTP API call. CRM-neutral: it reads the store
 * the connectors fill and produces the scores the connectors write back.
 */
export { type ForecastReport, forecast } from './forecast.ts';
export { insightsFromScore, insightsFromScoreRow, type RecordInsights, readRecordInsights } from './insights.ts';
export { isRetrainDue, listModels, rollbackModel } from './model-store.ts';
export { retrainIfDue } from './schedule.ts';
export { type ScoringReport, scoreRecords, scoreTenant } from './score.ts';
export { type ScoringSettings, scoringSettingsSchema } from './settings.ts';
export { MODEL_TARGETS, type TrainedModelReport, type TrainingReport, trainTenantModels } from './train.ts';
export { markScoresWritten, pendingScoreWrites } from './write-back.ts';
