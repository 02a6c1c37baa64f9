import type { CommandIo, OptionValues } from '../../cli/command.ts';
import { UsageError } from '../../cli/command.ts';
import { parseDateFormat } from '../csv/column-format.ts';
import { datasetFromCsv } from '../csv/dataset.ts';
import { parseEncoding } from '../csv/decode.ts';
import { crossValidate, timeHoldoutEvaluation } from '../evaluate.ts';
import { writeReportHtml } from '../report-html.ts';
import type { CsvSource, ModelKind, TrainInput } from '../types.ts';
import { intOption, readCsvFile, splitList, writeFileAtomically } from './io.ts';

export interface CsvTrainingOptions {
  input: TrainInput;
  source: CsvSource;
  /** Columns that are not features, and why. */
  excluded: { feature: string; reason: string }[];
  file: string;
  target: string;
  positive: string;
  folds: number;
  seed: number;
}

function str(values: OptionValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

/** Reads --csv/--target/... into a TrainInput; shared by evaluate and train. */
export async function loadTrainingCsv(values: OptionValues, io: CommandIo): Promise<CsvTrainingOptions> {
  const file = str(values, 'csv');
  const target = str(values, 'target');
  if (!file) throw new UsageError('--csv FILE is required');
  if (!target) throw new UsageError('--target COL is required');
  const folds = intOption(str(values, 'folds'), 'folds', 5, 0, 50);
  const seed = intOption(str(values, 'seed'), 'seed', 42, 0, 2 ** 31 - 1);
  const encoding = parseEncoding(str(values, 'encoding'));
  const table = await readCsvFile(file, encoding);
  const dataset = datasetFromCsv(table, file, {
    target,
    positive: str(values, 'positive'),
    drop: splitList(str(values, 'drop')),
    time: str(values, 'time'),
    categorical: splitList(str(values, 'categorical')),
    na: splitList(str(values, 'na')),
    dateFormat: parseDateFormat(str(values, 'date-format')),
  });
  io.stderr.write(`columns: ${dataset.report.join('; ')}\n`);
  for (const warning of dataset.warnings) io.stderr.write(`warning: ${warning}\n`);
  const input: TrainInput = { features: dataset.features, columns: dataset.columns, labels: dataset.labels, seed };
  const models = splitList(str(values, 'models'));
  if (models.length > 0) {
    const unknown = models.filter((m) => m !== 'gbdt' && m !== 'logistic');
    if (unknown.length > 0) throw new UsageError(`--models: unknown model ${unknown.join(', ')} (use gbdt, logistic)`);
    input.candidates = models as ModelKind[];
  }
  if (dataset.time) input.time = dataset.time;
  return {
    input,
    source: { encoding, columns: dataset.formats },
    excluded: dataset.excluded,
    file,
    target,
    positive: dataset.positive,
    folds,
    seed,
  };
}

const round = (v: number, digits = 4) => Number(v.toFixed(digits));

export async function runEvaluate(values: OptionValues, io: CommandIo): Promise<number> {
  const loaded = await loadTrainingCsv(values, io);
  const folds = loaded.folds < 2 ? 5 : loaded.folds;
  const json = values.json === true;
  const cv = crossValidate(loaded.input, folds, (fold) => {
    io.stderr.write(
      `fold ${fold.fold + 1}/${folds}: AUC ${fold.auc.toFixed(4)}, ${fold.chosen === 'gbdt' ? `${fold.iterations} trees` : 'logistic regression'}, fit ${fold.fitSeconds.toFixed(2)} s\n`,
    );
  });
  const out: Record<string, unknown> = {
    auc: { mean: round(cv.auc.mean), std: round(cv.auc.std), folds: cv.auc.folds.map((a) => round(a)) },
    logLoss: round(cv.logLoss),
    brier: round(cv.brier),
    ece: round(cv.ece),
    fitSeconds: { mean: round(cv.fitSeconds.mean, 3), folds: cv.fitSeconds.folds.map((s) => round(s, 3)) },
    rows: cv.rows,
    features: cv.features,
    positive: loaded.positive,
    calibration: cv.pooled.calibration,
    lift: cv.pooled.lift,
    importance: cv.importance,
  };
  if (loaded.input.time) {
    const holdout = timeHoldoutEvaluation({ ...loaded.input, time: loaded.input.time });
    out.timeHoldout = {
      auc: round(holdout.auc),
      logLoss: round(holdout.logLoss),
      brier: round(holdout.brier),
      ece: round(holdout.ece),
      trainRows: holdout.trainRows,
      testRows: holdout.rows,
    };
  }
  const report = str(values, 'report');
  if (report) {
    await writeFileAtomically(
      report,
      writeReportHtml({
        title: `Closewise model evaluation: ${loaded.file}`,
        note: `${folds}-fold stratified cross-validation (seed ${loaded.seed}); charts from pooled out-of-fold predictions.`,
        summary: {
          rows: cv.rows,
          features: cv.features,
          'AUC (mean ± std)': `${cv.auc.mean.toFixed(4)} ± ${cv.auc.std.toFixed(4)}`,
          'log loss': cv.logLoss,
          Brier: cv.brier,
          'ECE (mean over folds)': cv.ece,
          'fit s/fold': cv.fitSeconds.mean,
        },
        calibration: cv.pooled.calibration,
        lift: cv.pooled.lift,
        importance: cv.importance,
        figuresFrom: `${folds}-fold cross-validation, pooled out-of-fold predictions (${cv.rows.toLocaleString('en-US')} rows)`,
        measured: {
          on: 'pooled out-of-fold predictions',
          rows: cv.pooled.rows,
          positives: cv.pooled.positives,
          auc: cv.pooled.auc,
          logLoss: cv.pooled.logLoss,
          brier: cv.pooled.brier,
          ece: cv.pooled.ece,
          prevalence: cv.pooled.positives / Math.max(1, cv.pooled.rows),
        },
      }),
    );
  }
  if (json) {
    io.stdout.write(`${JSON.stringify(out)}\n`);
    return 0;
  }
  io.stdout.write(
    [
      `rows ${cv.rows}, features ${cv.features}, positive class '${loaded.positive}'`,
      `ROC AUC   ${cv.auc.mean.toFixed(4)} ± ${cv.auc.std.toFixed(4)} (${folds} folds)`,
      `log loss  ${cv.logLoss.toFixed(4)}`,
      `Brier     ${cv.brier.toFixed(4)}`,
      `ECE       ${cv.ece.toFixed(4)}`,
      `fit       ${cv.fitSeconds.mean.toFixed(3)} s/fold`,
      ...(out.timeHoldout ? [`time hold-out (newest 20%): AUC ${(out.timeHoldout as { auc: number }).auc.toFixed(4)}`] : []),
      `top features: ${cv.importance
        .slice(0, 5)
        .map((e) => `${e.feature} ${(e.gain * 100).toFixed(0)}%`)
        .join(', ')}`,
      '',
    ].join('\n'),
  );
  return 0;
}
