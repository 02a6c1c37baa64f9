import { z } from 'zod';
import { BadInputError } from '../errors/errors.ts';
import type { LinearModel } from './linear-model.ts';

const numberSchema = z.number().finite();
const linearModelSchema = z.object({
  nFeatures: z.number().int().min(1),
  intercept: numberSchema,
  numeric: z.array(
    z.object({
      feature: z.number().int().min(0),
      mean: numberSchema,
      invScale: numberSchema,
      coef: numberSchema,
      missingCoef: numberSchema,
      missingRate: numberSchema,
    }),
  ),
  categorical: z.array(
    z.object({
      feature: z.number().int().min(0),
      coefs: z.array(numberSchema),
      frequencies: z.array(numberSchema),
      missingCoef: numberSchema,
      missingRate: numberSchema,
    }),
  ),
  l2: numberSchema,
});

/** The logistic regression's description from an ONNX file's metadata (written by linearToOnnx). */
export function parseLinearModel(json: string): LinearModel {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new BadInputError(`ONNX model: the linear model metadata is not JSON: ${(error as Error).message}`);
  }
  const parsed = linearModelSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BadInputError(`ONNX model: linear model metadata: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  const model = parsed.data;
  const columns = [...model.numeric, ...model.categorical].map((t) => t.feature);
  if (columns.some((f) => f >= model.nFeatures) || new Set(columns).size !== columns.length) {
    throw new BadInputError('ONNX model: linear model metadata: feature columns out of range or repeated');
  }
  return model;
}
