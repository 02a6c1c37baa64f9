import type { ColumnFormat } from './csv/column-format.ts';

/**
 * Public types of the ML engine. The engine knows nothing about CRMs: it sees named features,
 * 0/1 labels and optional timestamps.
 */
export type FeatureValue = number | string | null; // null/NaN/'' = missing

export interface FeatureDef {
  name: string;
  type: 'numeric' | 'categorical';
  /** +1: the score may only rise with this feature; -1: only fall; 0/absent: free. */
  monotone?: -1 | 0 | 1;
}

export interface GbdtParams {
  learningRate: number;
  maxIterations: number;
  maxLeaves: number;
  /** 0 = no depth limit (leaf-wise growth bounded by maxLeaves only). */
  maxDepth: number;
  minSamplesLeaf: number;
  minHessianLeaf: number;
  l2: number;
  /** Bins for non-missing values (≤ 255); missing values get a bin of their own. */
  maxBins: number;
  rowSubsample: number;
  colSubsample: number;
  /** Stop when the validation log loss has not improved for this many iterations; 0 disables. */
  earlyStoppingRounds: number;
  /** Share of the rows that drives early stopping and the model choice (and calibration when calibrationFraction is 0). */
  validationFraction: number;
  /**
   * Share of the rows, apart from the early-stopping slice, that calibration is fitted on. 0 (the default) =
   * calibrate on the early-stopping slice, so the trees fit on the rest, as HistGradientBoosting's do.
   */
  calibrationFraction: number;
  /**
   * Share of the rows trainModel keeps out of fitting, early stopping and calibration, for the card's hold-out
   * figures. 0 = none (the card then reports the calibration slice, flagged); cross-validation ignores it.
   */
  testFraction: number;
  calibration: 'platt' | 'isotonic' | 'none';
  /**
   * Most frequent categorical levels kept per column (rarer ones are treated as missing). Above 255 levels,
   * binning groups neighbouring levels in positive-rate order, so high-cardinality columns keep their signal.
   */
  maxCategories: number;
  /**
   * Levels seen on fewer training rows than this are pooled into the column's "other" level, which also
   * takes levels never seen in training: its effect is learned from the rare levels, not borrowed from missing.
   */
  minCategoryCount: number;
  /** Prior weight when ordering categorical levels by their smoothed positive rate. */
  categorySmoothing: number;
}

/** Columnar training data: numbers (NaN = missing) or strings (null/'' = missing) per feature name. */
export type ColumnarData = Record<string, ArrayLike<FeatureValue>>;

export interface TrainInput {
  features: FeatureDef[];
  /** Row objects, or give `columns` instead (cheaper for millions of rows). */
  rows?: Record<string, FeatureValue>[];
  columns?: ColumnarData;
  labels: ArrayLike<number>;
  /** When given, the validation/calibration split is the newest slice (no peeking at the future). */
  time?: ArrayLike<number>;
  seed?: number;
  params?: Partial<GbdtParams>;
  /**
   * Models fitted on the fit slice and compared on the validation (early-stopping) slice, by AUC; the best is
   * calibrated and exported. Default both; the logistic regression is left out when a feature is monotone.
   */
  candidates?: ModelKind[];
}

/** The gradient-boosted trees, or the L2-regularised logistic regression (linear-fit.ts). */
export type ModelKind = 'gbdt' | 'logistic';

/** Which model was chosen and what every candidate scored on the validation slice (uncalibrated). */
export interface ModelSelection {
  chosen: ModelKind;
  /** The validation slice is the newest rows when time was given, else a stratified random slice. */
  validation: 'time' | 'stratified';
  candidates: { kind: ModelKind; auc: number; logLoss: number }[];
}

/** Platt `bounds`: calibrated probabilities are clamped to the range the calibration slice's labels support. */
export type Calibration =
  | { method: 'none' }
  | { method: 'platt'; a: number; b: number; bounds?: [number, number] }
  | { method: 'isotonic'; x: number[]; y: number[] };

/** What the calibration guard found (calibration-guard.ts); a model without spread predicts the prevalence. */
export interface CalibrationCheck {
  method: Calibration['method'];
  noSpread: boolean;
  /** Why the fit was bounded or fell back ('' when nothing happened). */
  note: string;
}

export interface FeatureSpecEntry {
  name: string;
  type: 'numeric' | 'categorical';
  monotone?: -1 | 0 | 1;
  /**
   * Categorical only: level → code is the index in this list. The entry '' (never a real level: empty cells
   * are missing) is the "other" level: rare training levels and levels unseen in training get its code.
   * Without it (older specs), unseen levels are missing.
   */
  levels?: string[];
}

/**
 * How a record becomes the model's input tensor: column i of a float32 [N, F] tensor is feature i,
 * numbers as they are, categorical levels as their code, missing as NaN (the trees route NaN to
 * the branch learned during training).
 */
export interface FeatureSpec {
  format: 'closewise.feature-spec';
  version: 1;
  inputName: string;
  /** Output holding class probabilities [N, 2]; the positive class is column `positiveIndex`. */
  probabilityOutput: string;
  positiveIndex: number;
  features: FeatureSpecEntry[];
  calibration: Calibration;
  target?: { name: string; positive: string };
  /** How the training CSV was read (`model train`): scoring refuses files whose columns changed type. */
  source?: CsvSource;
}

export interface CsvSource {
  encoding: 'utf-8' | 'latin1';
  columns: Record<string, ColumnFormat>;
}

export interface CalibrationBin {
  bin: number;
  lower: number;
  upper: number;
  count: number;
  meanPredicted: number;
  observedRate: number;
}

export interface LiftDecile {
  decile: number;
  rows: number;
  positives: number;
  rate: number;
  lift: number;
  cumulativeGain: number;
}

export interface ImportanceEntry {
  feature: string;
  gain: number;
  splits: number;
}

export interface MetricSet {
  rows: number;
  positives: number;
  auc: number;
  logLoss: number;
  brier: number;
  ece: number;
  calibration: CalibrationBin[];
  lift: LiftDecile[];
}

export interface ModelCard {
  format: 'closewise.model-card';
  version: 1;
  trainedAt: string;
  data: {
    rows: number;
    features: number;
    positives: number;
    positiveRate: number;
    trainRows: number;
    validationRows: number;
    calibrationRows: number;
    testRows: number;
  };
  /** Which rows did what: trees fitted, early stopping, calibration, and the untouched test slice. */
  slices: { by: 'time' | 'stratified'; fit: SliceInfo; earlyStopping: SliceInfo; calibration: SliceInfo; test: SliceInfo };
  params: GbdtParams & { seed: number };
  /** Trees of the exported model (0 when the logistic regression was chosen). */
  iterations: number;
  selection: ModelSelection;
  /** The logistic regression's L2 strength, chosen on the validation slice, when it was a candidate. */
  logistic?: { l2: number };
  /**
   * Metrics on the test slice (rows used neither for fitting, early stopping nor calibration); when the
   * test fraction is 0, on the calibration slice, and `holdoutSlice` says so.
   */
  holdout: MetricSet;
  holdoutSlice: 'test' | 'calibration';
  calibration: CalibrationCheck;
  /** Levels pooled into "other" per categorical feature (rare in training). */
  otherLevels: { feature: string; levels: number; rows: number }[];
  /** Plain-language problems a reader of the card must see (e.g. a model without spread). */
  warnings: string[];
  importance: ImportanceEntry[];
  /**
   * Drift between the rows the trees were fitted on and the newest rows (the test slice, else the calibration
   * slice); its warning is also in `warnings`. Not checked without time.
   */
  drift: DriftCheck;
  /** Filled by callers that ran cross-validation or a time hold-out (the CLI does). */
  crossValidation?: unknown;
  timeHoldout?: unknown;
  /** Per feature: its type and how much of it is missing over all rows (absent on older cards). */
  columns?: ColumnProfile[];
  /** Columns of the data that are not features and why (target, time, --drop, leaks); filled by callers. */
  excluded?: { feature: string; reason: string }[];
}

export interface ColumnProfile {
  feature: string;
  type: 'numeric' | 'categorical';
  /** Share of all rows where the value is missing (NaN, null or ''). */
  missingShare: number;
  /** Categorical only: distinct non-missing levels over all rows. */
  levels?: number;
}

export interface SliceInfo {
  rows: number;
  positives: number;
  /** Time range of the slice when time was given. */
  timeFrom?: number;
  timeTo?: number;
}

/**
 * Population stability per feature (reference = training rows, binned on their deciles; categoricals by level)
 * and calibration on the newest slice, against a bound that allows for the slice's sampling noise.
 */
export interface DriftCheck {
  /** False without time (no newest slice to compare): then nothing else here means anything (zeros, no warning). */
  checked: boolean;
  newestSlice: SliceInfo;
  /** Every feature, largest shift first. */
  psi: { feature: string; psi: number }[];
  /** ECE of the calibrated probabilities on the newest slice, and the most that noise (+ a small tolerance) explains. */
  newestEce: number;
  eceBound: number;
  /** Plain language: which inputs shifted, how far the probabilities are off; null when there is no drift. */
  warning: string | null;
}

export interface ModelBundle {
  onnx: Uint8Array;
  featureSpec: FeatureSpec;
  card: ModelCard;
}

export interface Contribution {
  feature: string;
  value: FeatureValue;
  contribution: number;
  /** The value is a level unseen in training, scored as the "other" level. */
  unseen?: true;
}

export interface Explanation {
  baseValue: number;
  margin: number;
  /** Sorted by |contribution| descending. */
  contributions: Contribution[];
}

export interface Scorer {
  readonly featureSpec: FeatureSpec;
  predict(rows: Record<string, FeatureValue>[]): Promise<Float64Array>;
  explain(rows: Record<string, FeatureValue>[]): Promise<Explanation[]>;
}
