// The ML engine's public surface. It knows nothing about CRMs: features, labels, time.
export type {
  Calibration,
  CalibrationBin,
  ColumnarData,
  Contribution,
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
  TrainInput,
} from './types.ts';
export { trainModel } from './train.ts';
export { loadScorer, type MatrixScorer } from './scorer.ts';
export { brier, calibrationTable, expectedCalibrationError, liftByDecile, logLoss, metricSet, rocAuc } from './metrics.ts';
export { crossValidate, timeHoldoutEvaluation, type CrossValidationResult, type HoldoutResult } from './evaluate.ts';
export { stratifiedFolds, timeHoldout } from './split-data.ts';
export { writeReportHtml, type ReportInput } from './report-html.ts';
export { defaultParams } from './params.ts';
export { parseFeatureSpec } from './feature-spec.ts';
