import { z } from 'zod';
import { BadInputError } from '../errors/errors.ts';
import type { GbdtParams } from './types.ts';

/**
 * Defaults follow the scikit-learn HistGradientBoosting setting that scores 0.801 on bank-full, plus 80%
 * column subsampling per tree (measured on bank-full 5-fold CV over three seeds: +0.0005 AUC and ~20% faster).
 * As there (validation_fraction 0.1), 10% of the rows drive early stopping and the trees fit on the other
 * 90%. Calibration is fitted on that same slice (calibrationFraction 0): the slice only chose a few numbers
 * (the tree count, the logistic L2 strength, which model), Platt scaling is a monotone two-parameter map, and
 * a slice of its own would only take fit rows away (the trees would fit on 80%). The figures trainModel
 * reports still come from rows used for none of this: the test slice (testFraction 0.1).
 */
export const defaultParams: GbdtParams = {
  learningRate: 0.06,
  maxIterations: 400,
  maxLeaves: 31,
  maxDepth: 0,
  minSamplesLeaf: 20,
  minHessianLeaf: 1e-3,
  l2: 1,
  maxBins: 255,
  rowSubsample: 1,
  colSubsample: 0.8,
  earlyStoppingRounds: 10,
  validationFraction: 0.1,
  calibrationFraction: 0,
  testFraction: 0.1,
  calibration: 'platt',
  maxCategories: 5000,
  minCategoryCount: 5,
  categorySmoothing: 10,
};

const paramsSchema = z
  .object({
    learningRate: z.number().positive().max(1),
    maxIterations: z.number().int().min(1).max(100_000),
    maxLeaves: z.number().int().min(2).max(4096),
    maxDepth: z.number().int().min(0).max(64),
    minSamplesLeaf: z.number().int().min(1),
    minHessianLeaf: z.number().min(0),
    l2: z.number().min(0),
    maxBins: z.number().int().min(2).max(255),
    rowSubsample: z.number().gt(0).max(1),
    colSubsample: z.number().gt(0).max(1),
    earlyStoppingRounds: z.number().int().min(0),
    validationFraction: z.number().gt(0).lt(0.9),
    calibrationFraction: z.number().min(0).lt(0.9),
    testFraction: z.number().min(0).lt(0.9),
    calibration: z.enum(['platt', 'isotonic', 'none']),
    maxCategories: z.number().int().min(1).max(100_000),
    minCategoryCount: z.number().int().min(1),
    categorySmoothing: z.number().min(0),
  })
  .partial()
  .strict();

export function resolveParams(overrides: Partial<GbdtParams> | undefined): GbdtParams {
  const params = { ...defaultParams, ...paramsSchema.parse(overrides ?? {}) };
  if (params.validationFraction + params.calibrationFraction + params.testFraction >= 0.9) {
    throw new BadInputError('validationFraction + calibrationFraction + testFraction must leave at least 10% of rows to fit on');
  }
  return params;
}
