import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { type FeatureSpec, parseFeatureSpec } from './engine.ts';
import { type StoredCard, storedCardSchema } from './model-store.ts';
import type { ModelTarget } from './snapshots.ts';

/**
 * Prior models shipped in `models/` (built by models/build-priors.ts): used while a portal has too little
 * closed history for its own model, and flagged "prior" wherever their scores are shown.
 */
export const PRIORS_DIR = new URL('../../../models/', import.meta.url);

const priorFileSchema = z.object({
  format: z.literal('closewise.prior-model'),
  target: z.string(),
  priorId: z.string(),
  trainedAt: z.string(),
  onnxFile: z.string(),
  featureSpec: z.unknown(),
  card: storedCardSchema,
});

export interface PriorModel {
  target: ModelTarget;
  priorId: string;
  trainedAt: Date;
  featureSpec: FeatureSpec;
  card: StoredCard;
  onnx: Uint8Array;
}

export async function loadPrior(target: ModelTarget, dir: URL = PRIORS_DIR): Promise<PriorModel | null> {
  let text: string;
  try {
    text = await readFile(new URL(`${target}.json`, dir), 'utf8');
  } catch {
    return null;
  }
  const parsed = priorFileSchema.parse(JSON.parse(text));
  const onnx = new Uint8Array(await readFile(new URL(parsed.onnxFile, dir)));
  return {
    target,
    priorId: parsed.priorId,
    trainedAt: new Date(parsed.trainedAt),
    featureSpec: parseFeatureSpec(parsed.featureSpec, `${target}.json featureSpec`),
    card: { ...parsed.card, source: 'prior' },
    onnx,
  };
}
