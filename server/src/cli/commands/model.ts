import type { Command } from '../command.ts';

// The ML engine (and ONNX Runtime) load only when a model subcommand runs, so the CLI starts fast.
const trainingOptions = {
  csv: { type: 'string' },
  target: { type: 'string' },
  positive: { type: 'string' },
  drop: { type: 'string' },
  categorical: { type: 'string' },
  time: { type: 'string' },
  folds: { type: 'string' },
  seed: { type: 'string' },
  na: { type: 'string' },
  encoding: { type: 'string' },
  'date-format': { type: 'string' },
  models: { type: 'string' },
} as const;

const trainingHelp = {
  csv: 'CSV file (, or ; separated, quoted fields, UTF-8 with or without BOM)',
  target: 'column to predict (two classes)',
  positive: 'value of the target that counts as positive (guessed for 1/yes/true/won)',
  drop: 'comma-separated columns to leave out (e.g. leaks such as duration)',
  categorical: 'comma-separated columns to treat as categories even if numeric',
  time: "column of numbers or dates for a time hold-out ('@row' = file order)",
  folds: 'cross-validation folds (default 5)',
  seed: 'random seed (default 42)',
  na: "comma-separated placeholder values that mean missing (e.g. 'Select,N/A')",
  encoding: 'file encoding: utf-8 (default; anything else is an error) or latin1',
  'date-format': 'DD-MM-YYYY or MM-DD-YYYY, for date columns whose days and months are all <= 12',
  models: 'candidate models, compared on the validation slice: gbdt,logistic (default both)',
};

const evaluateCommand: Command = {
  name: 'evaluate',
  summary: 'Cross-validate the model (trees or logistic regression, chosen per fold) on a CSV and print AUC, log loss, Brier, ECE',
  options: { ...trainingOptions, json: { type: 'boolean' }, report: { type: 'string' } },
  optionHelp: { ...trainingHelp, json: 'print one JSON object', report: 'also write an HTML report to this file' },
  details: 'Example: closewise model evaluate --csv bank-full.csv --target y --positive yes --drop duration --json',
  async run({ values, io }) {
    const { runEvaluate } = await import('../../ml/cli/evaluate.ts');
    return runEvaluate(values, io);
  },
};

const trainCommand: Command = {
  name: 'train',
  summary: 'Train on a CSV and write model.onnx, feature-spec.json, model-card.json and report.html',
  options: { ...trainingOptions, out: { type: 'string' } },
  optionHelp: { ...trainingHelp, folds: 'cross-validation folds for the model card (default 5, 0 = skip)', out: 'output folder' },
  async run({ values, io }) {
    const { runTrain } = await import('../../ml/cli/train.ts');
    return runTrain(values, io);
  },
};

const scoreCommand: Command = {
  name: 'score',
  summary: 'Score a CSV with a trained (or bring-your-own ONNX) model: id, probability, top reasons',
  options: {
    model: { type: 'string' },
    csv: { type: 'string' },
    out: { type: 'string' },
    id: { type: 'string' },
    reasons: { type: 'string' },
    na: { type: 'string' },
    encoding: { type: 'string' },
  },
  optionHelp: {
    model: 'folder with model.onnx and feature-spec.json',
    csv: 'records to score',
    out: 'output CSV',
    id: "id column to copy (default: a column named 'id', else the row number)",
    reasons: 'reasons per row (default 3)',
    na: trainingHelp.na,
    encoding: trainingHelp.encoding,
  },
  async run({ values, io }) {
    const { runScore } = await import('../../ml/cli/score.ts');
    return runScore(values, io);
  },
};

export const modelCommand: Command = {
  name: 'model',
  summary: 'Evaluate, train and score gradient-boosted win-probability models on CSV files',
  subcommands: [evaluateCommand, trainCommand, scoreCommand],
};
