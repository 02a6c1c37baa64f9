import { z } from 'zod';
import { BadInputError } from '../errors/errors.ts';
import type { FeatureSpec } from './types.ts';

const calibrationSchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('none') }),
  z.object({ method: z.literal('platt'), a: z.number(), b: z.number(), bounds: z.tuple([z.number(), z.number()]).optional() }),
  z.object({ method: z.literal('isotonic'), x: z.array(z.number()), y: z.array(z.number()) }),
]);

/** The versioned feature spec, as read from feature-spec.json (ours or one written for a bring-your-own model). */
export const featureSpecSchema = z.object({
  format: z.literal('closewise.feature-spec'),
  version: z.literal(1),
  inputName: z.string().min(1),
  probabilityOutput: z.string().min(1),
  positiveIndex: z.number().int().min(0).max(1),
  features: z
    .array(
      z.object({
        name: z.string().min(1),
        type: z.enum(['numeric', 'categorical']),
        monotone: z.union([z.literal(-1), z.literal(0), z.literal(1)]).optional(),
        levels: z.array(z.string()).optional(),
      }),
    )
    .min(1),
  calibration: calibrationSchema.default({ method: 'none' }),
  target: z.object({ name: z.string(), positive: z.string() }).optional(),
  source: z
    .object({
      encoding: z.enum(['utf-8', 'latin1']),
      columns: z.record(
        z.string(),
        z.discriminatedUnion('kind', [
          z.object({ kind: z.literal('number'), thousands: z.enum(['', ',', '.', ' ', "'"]), decimal: z.enum(['.', ',']) }),
          z.object({ kind: z.literal('date'), format: z.enum(['YYYY-MM-DD', 'DD-MM-YYYY', 'MM-DD-YYYY']) }),
          z.object({ kind: z.literal('text') }),
        ]),
      ),
    })
    .optional(),
});

export function parseFeatureSpec(value: unknown, source = 'feature spec'): FeatureSpec {
  const parsed = featureSpecSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BadInputError(`${source}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data as FeatureSpec;
}
