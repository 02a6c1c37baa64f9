/**
 * The one place the scoring core reaches the ML engine (server/src/ml): training, loading a scorer,
 * and the metrics. The scoring core never trains trees itself.
 */

export type { DriftCheck, FeatureDef, FeatureSpec, ModelBundle, Scorer } from '../ml/index.ts';
export { checkDriftOfRows, eceNoise, expectedCalibrationError, loadScorer, parseFeatureSpec, rocAuc, trainModel } from '../ml/index.ts';
