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
  validationFraction: number;
  calibration: 'platt' | 'isotonic' | 'none';
  /**
   * Most frequent categorical levels kept per column (rarer ones are treated as missing). Above 255 levels,
   * binning groups neighbouring levels in positive-rate order, so high-cardinality columns keep their signal.
   */
  maxCategories: number;
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
}

export type Calibration = { method: 'none' } | { method: 'platt'; a: number; b: number } | { method: 'isotonic'; x: number[]; y: number[] };

export interface FeatureSpecEntry {
  name: string;
  type: 'numeric' | 'categorical';
  monotone?: -1 | 0 | 1;
  /** Categorical only: level → code is the index in this list; unknown levels are missing. */
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
  data: { rows: number; features: number; positives: number; positiveRate: number; trainRows: number; validationRows: number };
  params: GbdtParams & { seed: number };
  iterations: number;
  /** Metrics on the validation slice (also used for early stopping and calibration). */
  holdout: MetricSet;
  importance: ImportanceEntry[];
  /** Filled by callers that ran cross-validation or a time hold-out (the CLI does). */
  crossValidation?: unknown;
  timeHoldout?: unknown;
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
