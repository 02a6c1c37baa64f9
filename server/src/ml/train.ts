import { z } from 'zod';
import { BadInputError } from '../errors/errors.ts';
import { applyCalibration } from './calibration.ts';
import { profileColumns } from './column-profile.ts';
import { checkDrift, uncheckedDrift } from './drift.ts';
import { type FittedModel, fitModel, holdoutOf, marginsOf } from './fit.ts';
import { metricSet } from './metrics.ts';
import { ensembleToOnnx, ONNX_INPUT, ONNX_PROBABILITIES } from './onnx-export.ts';
import { linearToOnnx } from './onnx-export-linear.ts';
import { resolveParams } from './params.ts';
import { sliceInfo } from './slice-info.ts';
import type { RowSplit } from './split-data.ts';
import { buildTable, type RawTable } from './table.ts';
import type { FeatureSpec, ModelBundle, ModelCard, ModelKind, TrainInput } from './types.ts';

const featureDefsSchema = z
  .array(
    z.object({
      name: z.string().min(1),
      type: z.enum(['numeric', 'categorical']),
      monotone: z.union([z.literal(-1), z.literal(0), z.literal(1)]).optional(),
    }),
  )
  .min(1)
  .refine((defs) => new Set(defs.map((d) => d.name)).size === defs.length, 'feature names must be unique');

const candidatesSchema = z
  .array(z.enum(['gbdt', 'logistic']))
  .min(1, 'give at least one candidate model')
  .optional();

/** The candidate models asked for (default: all), validated with a clear message. */
export function candidatesOf(input: TrainInput): ModelKind[] | undefined {
  const parsed = candidatesSchema.safeParse(input.candidates);
  if (!parsed.success) throw new BadInputError(`candidates: ${parsed.error.issues[0]?.message ?? 'invalid'} (use gbdt, logistic)`);
  return parsed.data;
}

export interface PreparedInput {
  table: RawTable;
  labels: Uint8Array;
  time: Float64Array | undefined;
}

/** Validates a TrainInput and normalises it to columns; errors name the offending row or feature. */
export function prepareInput(input: TrainInput): PreparedInput {
  const features = featureDefsSchema.parse(input.features);
  const n = input.labels.length;
  if (!input.rows === !input.columns) throw new BadInputError('give exactly one of rows or columns');
  if (input.rows && input.rows.length !== n) throw new BadInputError(`${input.rows.length} rows but ${n} labels`);
  const labels = new Uint8Array(n);
  let positives = 0;
  for (let i = 0; i < n; i++) {
    const y = input.labels[i];
    if (y !== 0 && y !== 1) throw new BadInputError(`label of row ${i + 1} is ${String(y)}, expected 0 or 1`);
    labels[i] = y;
    positives += y;
  }
  if (positives === 0 || positives === n)
    throw new BadInputError(`the target is constant (${positives === 0 ? 'no positives' : 'all positive'}) over ${n} rows`);
  let time: Float64Array | undefined;
  if (input.time) {
    if (input.time.length !== n) throw new BadInputError(`${input.time.length} time values but ${n} labels`);
    time = Float64Array.from(input.time);
    const bad = time.findIndex((t) => !Number.isFinite(t));
    if (bad >= 0) throw new BadInputError(`time of row ${bad + 1} is missing or not a number`);
  }
  return { table: buildTable(features, n, input.rows, input.columns), labels, time };
}

export function featureSpecOf(fitted: FittedModel): FeatureSpec {
  return {
    format: 'closewise.feature-spec',
    version: 1,
    inputName: ONNX_INPUT,
    probabilityOutput: ONNX_PROBABILITIES,
    positiveIndex: 1,
    features: fitted.spec,
    calibration: fitted.calibration,
  };
}

function warningsOf(fitted: FittedModel): string[] {
  const warnings: string[] = [];
  if (fitted.calibrationCheck.noSpread) warnings.push(`no spread: every record gets the prevalence (${fitted.calibrationCheck.note})`);
  else if (fitted.calibrationCheck.note) warnings.push(`calibration: ${fitted.calibrationCheck.note}`);
  return warnings;
}

/**
 * Keeps a test slice (the newest rows when time is given) out of everything, fits the candidate models (trees
 * with early stopping, the logistic regression with its L2 strength) on the fit slice, keeps the one with the
 * best validation AUC, calibrates it on a slice of its own, exports ONNX and fills the model card with the
 * test slice's metrics and the selection.
 */
export async function trainModel(input: TrainInput): Promise<ModelBundle> {
  const { table, labels, time } = prepareInput(input);
  const params = resolveParams(input.params);
  const seed = input.seed ?? 42;
  const all = Uint32Array.from({ length: table.n }, (_, i) => i);
  const outer: RowSplit =
    params.testFraction > 0 ? holdoutOf(labels, all, params.testFraction, seed + 7, time) : { train: all, test: new Uint32Array(0) };
  const fitted = fitModel(table, labels, outer.train, { params, seed, time, candidates: candidatesOf(input) });
  const reported = outer.test.length > 0 ? outer.test : fitted.calibrationRows;
  const reportedMargins = outer.test.length > 0 ? marginsOf(fitted.model, fitted.x, outer.test) : fitted.calibrationMargins;
  const reportedLabels = Uint8Array.from(reported, (r) => labels[r] as number);
  const reportedProbabilities = Float64Array.from(reportedMargins, (m) => applyCalibration(fitted.calibration, m));
  const positives = labels.reduce((a, b) => a + b, 0);
  const separateCalibration = fitted.calibrationRows !== fitted.validRows;
  // The newest rows the trees never saw (the calibration slice is newer than the fit slice; without a test
  // slice it is the newest there is, though then its probabilities were recalibrated on it).
  const drift = time
    ? checkDrift({ table, labels, reference: fitted.fitRows, newest: reported, newestPredictions: reportedProbabilities, time, seed })
    : uncheckedDrift();
  const card: ModelCard = {
    format: 'closewise.model-card',
    version: 1,
    trainedAt: new Date().toISOString(),
    data: {
      rows: table.n,
      features: table.features.length,
      positives,
      positiveRate: positives / table.n,
      trainRows: fitted.fitRows.length,
      validationRows: fitted.validRows.length,
      calibrationRows: separateCalibration ? fitted.calibrationRows.length : 0,
      testRows: outer.test.length,
    },
    slices: {
      by: time ? 'time' : 'stratified',
      fit: sliceInfo(fitted.fitRows, labels, time),
      earlyStopping: sliceInfo(fitted.validRows, labels, time),
      calibration: sliceInfo(fitted.calibrationRows, labels, time),
      test: sliceInfo(outer.test, labels, time),
    },
    params: { ...params, seed },
    iterations: fitted.iterations,
    selection: fitted.selection,
    ...(fitted.logisticL2 !== undefined ? { logistic: { l2: fitted.logisticL2 } } : {}),
    holdout: metricSet(reportedLabels, reportedProbabilities),
    holdoutSlice: outer.test.length > 0 ? 'test' : 'calibration',
    calibration: fitted.calibrationCheck,
    importance: fitted.importance,
    otherLevels: fitted.otherLevels,
    warnings: drift.warning ? [...warningsOf(fitted), drift.warning] : warningsOf(fitted),
    columns: profileColumns(table),
    drift,
  };
  const metadata = {
    'closewise.trained_at': card.trainedAt,
    'closewise.feature_spec_version': '1',
    'closewise.model_kind': fitted.model.kind,
  };
  const onnx = fitted.model.kind === 'gbdt' ? ensembleToOnnx(fitted.model.ensemble, metadata) : linearToOnnx(fitted.model.linear, metadata);
  return { onnx, featureSpec: featureSpecOf(fitted), card };
}
