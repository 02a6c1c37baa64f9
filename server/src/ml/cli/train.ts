import type { CommandIo, OptionValues } from '../../cli/command.ts';
import { UsageError } from '../../cli/command.ts';
import { crossValidate } from '../evaluate.ts';
import { writeReportHtml } from '../report-html.ts';
import { trainModel } from '../train.ts';
import { loadTrainingCsv } from './evaluate.ts';
import { writeAtomically } from './io.ts';

export async function runTrain(values: OptionValues, io: CommandIo): Promise<number> {
  const out = typeof values.out === 'string' ? values.out : undefined;
  if (!out) throw new UsageError('--out DIR is required');
  const loaded = await loadTrainingCsv(values, io);
  const started = performance.now();
  const bundle = await trainModel(loaded.input);
  const fitSeconds = (performance.now() - started) / 1000;
  const test = bundle.card.slices.test;
  const { selection } = bundle.card;
  const scores = selection.candidates.map((c) => `${c.kind} ${c.auc.toFixed(4)}`).join(', ');
  io.stderr.write(
    `validation AUC (${selection.validation === 'time' ? 'newest rows' : 'stratified'}): ${scores}; chosen: ${selection.chosen}\n`,
  );
  const fitted =
    selection.chosen === 'gbdt' ? `${bundle.card.iterations} trees` : `a logistic regression (L2 ${bundle.card.logistic?.l2 ?? '?'})`;
  io.stderr.write(
    `trained ${fitted} in ${fitSeconds.toFixed(2)} s; hold-out AUC ${bundle.card.holdout.auc.toFixed(4)} ` +
      `on ${test.rows} rows (${bundle.card.slices.by === 'time' ? 'newest' : 'stratified'} ${Math.round(bundle.card.params.testFraction * 100)}%) used neither for early stopping nor for calibration\n`,
  );
  for (const warning of bundle.card.warnings) io.stderr.write(`warning: ${warning}\n`);
  bundle.featureSpec.target = { name: loaded.target, positive: loaded.positive };
  bundle.featureSpec.source = loaded.source;
  bundle.card.excluded = loaded.excluded;
  const holdoutName = bundle.card.holdoutSlice === 'test' ? 'the test slice' : 'the calibration slice';
  let figuresFrom = `${holdoutName} (${bundle.card.holdout.rows.toLocaleString('en-US')} rows)`;
  let cvNote = 'figures from the test slice (rows used neither for fitting, early stopping nor calibration)';
  let figures = { calibration: bundle.card.holdout.calibration, lift: bundle.card.holdout.lift };
  if (loaded.folds >= 2) {
    const cv = crossValidate(loaded.input, loaded.folds, (fold) =>
      io.stderr.write(`cv fold ${fold.fold + 1}/${loaded.folds}: AUC ${fold.auc.toFixed(4)}\n`),
    );
    bundle.card.crossValidation = {
      folds: loaded.folds,
      auc: cv.auc,
      logLoss: cv.logLoss,
      brier: cv.brier,
      ece: cv.ece,
      fitSeconds: cv.fitSeconds,
      calibration: cv.pooled.calibration,
      lift: cv.pooled.lift,
    };
    cvNote = `${loaded.folds}-fold cross-validation, pooled out-of-fold predictions`;
    figuresFrom = `${loaded.folds}-fold cross-validation, pooled out-of-fold predictions (${loaded.input.labels.length.toLocaleString('en-US')} rows)`;
    figures = { calibration: cv.pooled.calibration, lift: cv.pooled.lift };
  }
  const card = { ...bundle.card, source: { file: loaded.file, target: loaded.target, positive: loaded.positive }, fitSeconds };
  const cvAuc = (card.crossValidation as { auc?: { mean: number } } | undefined)?.auc?.mean;
  const html = writeReportHtml({
    title: `Closewise model: ${loaded.target} = ${loaded.positive}`,
    note: `Trained ${card.trainedAt} on ${loaded.file}; ${cvNote}.`,
    // The hold-out AUC, ECE and log loss head the summary; these are the rest of the run.
    summary: {
      rows: card.data.rows,
      features: card.data.features,
      'positive rate': `${(card.data.positiveRate * 100).toFixed(1)}%`,
      model: card.selection.chosen,
      trees: card.iterations,
      ...(cvAuc !== undefined ? { [`CV AUC (${loaded.folds} folds)`]: cvAuc } : {}),
      'hold-out Brier': card.holdout.brier,
      seed: card.params.seed,
      'fit seconds': Number(fitSeconds.toFixed(2)),
    },
    calibration: figures.calibration,
    lift: figures.lift,
    importance: card.importance,
    figuresFrom,
    card,
    formats: loaded.source.columns,
  });
  await writeAtomically(out, {
    'model.onnx': bundle.onnx,
    'feature-spec.json': `${JSON.stringify(bundle.featureSpec, null, 2)}\n`,
    'model-card.json': `${JSON.stringify(card, null, 2)}\n`,
    'report.html': html,
  });
  io.stdout.write(`wrote ${out}/model.onnx, feature-spec.json, model-card.json, report.html\n`);
  return 0;
}
