// The ML engine's public surface. It knows nothing about CRMs: features, labels, time.

export { checkDriftOfRows, ECE_TOLERANCE, eceNoise, PSI_DRIFT } from './drift.ts';
export { type CrossValidationResult, crossValidate, type HoldoutResult, timeHoldoutEvaluation } from './evaluate.ts';
export { parseFeatureSpec } from './feature-spec.ts';
export { brier, calibrationTable, expectedCalibrationError, liftByDecile, logLoss, metricSet, rocAuc } from './metrics.ts';
export { defaultParams } from './params.ts';
export { type ReportInput, writeReportHtml } from './report-html.ts';
export { loadScorer, type MatrixScorer } from './scorer.ts';
export { stratifiedFolds, timeHoldout } from './split-data.ts';
export { trainModel } from './train.ts';
export type {
  Calibration,
  CalibrationBin,
  ColumnarData,
  Contribution,
  DriftCheck,
  Explanation,
  FeatureDef,
  FeatureSpec,
  FeatureSpecEntry,
  FeatureValue,
  GbdtParams,
  ImportanceEntry,
  LiftDecile,
  MetricSet,
  ModelBundle,
  ModelCard,
  Scorer,
  SliceInfo,
  TrainInput,
} from './types.ts';
